#pragma once
// Everything of the cltv core library in one include.

#include "cltv/date.hpp"
#include "cltv/error.hpp"
#include "cltv/formulas.hpp"
#include "cltv/lifespan.hpp"
#include "cltv/ltv.hpp"
#include "cltv/metrics.hpp"
#include "cltv/models/bgnbd.hpp"
#include "cltv/models/fit.hpp"
#include "cltv/models/gamma_gamma.hpp"
#include "cltv/models/rfm_data.hpp"
#include "cltv/models/sbg.hpp"
#include "cltv/number.hpp"
#include "cltv/period.hpp"
#include "cltv/rfm.hpp"
#include "cltv/scenario.hpp"
#include "cltv/version.hpp"
