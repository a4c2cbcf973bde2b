#include "cltv/models/gamma_gamma.hpp"
