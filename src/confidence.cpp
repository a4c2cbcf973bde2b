#include "cltv/confidence.hpp"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>

#include "models/special.hpp"

namespace cltv {

double z_for_confidence(double level) {
  // The quantile at 1 − α/2, written as the complement of α/2 so that levels
  // near 1 (0.999999) keep their precision.
  const boost::math::normal_distribution<double, models::detail::math_policy> normal;
  return boost::math::quantile(boost::math::complement(normal, (1.0 - level) / 2.0));
}

proportion_interval wilson_interval(double successes, double trials, double z) noexcept {
  const double n = trials;
  const double p = successes / n;
  const double z2 = z * z;
  const double centre = p + z2 / (2.0 * n);
  const double spread = z * std::sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n));
  const double scale = 1.0 + z2 / n;
  proportion_interval out{std::clamp((centre - spread) / scale, 0.0, 1.0),
                          std::clamp((centre + spread) / scale, 0.0, 1.0)};
  // Rounding leaves ~1e-17 where the bound is exactly 0 (or 1) in theory.
  if (successes == 0) out.low = 0.0;
  if (successes == trials) out.high = 1.0;
  return out;
}

}  // namespace cltv
