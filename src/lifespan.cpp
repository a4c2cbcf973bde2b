#include "cltv/lifespan.hpp"
