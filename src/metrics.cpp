#include "cltv/metrics.hpp"
