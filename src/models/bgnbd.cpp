#include "cltv/models/bgnbd.hpp"
