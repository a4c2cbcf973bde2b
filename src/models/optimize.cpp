#include "models/optimize.hpp"
