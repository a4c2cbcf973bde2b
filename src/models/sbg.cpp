#include "cltv/models/sbg.hpp"
