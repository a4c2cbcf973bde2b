#pragma once
// Everything of the cltv core library in one include.

#include "cltv/error.hpp"
#include "cltv/formulas.hpp"
#include "cltv/ltv.hpp"
#include "cltv/number.hpp"
#include "cltv/period.hpp"
#include "cltv/scenario.hpp"
#include "cltv/version.hpp"
