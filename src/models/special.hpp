#pragma once
// The special functions the model likelihoods share, from Boost.Math with one
// error policy. Internal to the library (not installed).

#include <algorithm>
#include <cmath>
#include <optional>

#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/special_functions/trigamma.hpp>

namespace cltv::models::detail {

// No exceptions out of Boost.Math (results are checked for finiteness
// instead), and double arithmetic throughout: promoting to long double would
// cost speed in the likelihoods for accuracy we do not need.
using math_policy = boost::math::policies::policy<
    boost::math::policies::domain_error<boost::math::policies::ignore_error>,
    boost::math::policies::pole_error<boost::math::policies::ignore_error>,
    boost::math::policies::overflow_error<boost::math::policies::ignore_error>,
    boost::math::policies::underflow_error<boost::math::policies::ignore_error>,
    boost::math::policies::evaluation_error<boost::math::policies::ignore_error>,
    boost::math::policies::rounding_error<boost::math::policies::ignore_error>,
    boost::math::policies::indeterminate_result_error<boost::math::policies::ignore_error>,
    boost::math::policies::promote_double<false>>;

/// ln Γ(x). Thread-safe, unlike std::lgamma, which writes the global signgam.
[[nodiscard]] inline double log_gamma(double x) {
  return boost::math::lgamma(x, math_policy());
}

/// ψ(x), the derivative of ln Γ.
[[nodiscard]] inline double digamma(double x) {
  return boost::math::digamma(x, math_policy());
}

/// ψ′(x), the derivative of ψ.
[[nodiscard]] inline double trigamma(double x) {
  return boost::math::trigamma(x, math_policy());
}

/// ln B(x, y).
[[nodiscard]] inline double log_beta(double x, double y) {
  return log_gamma(x) + log_gamma(y) - log_gamma(x + y);
}

// ln 2F1(A, B; C; z) for A, B, C > 0 and 0 ≤ z < 1, by its power series: all
// terms positive, so no cancellation; the partial sum is rescaled before it
// can overflow (2F1 grows like (1−z)^(C−A−B) when A + B > C). The terms fall
// off like z^k, so the series needs about 40/(1−z) terms: a horizon up to
// ~10⁶ (α + T) is summed (at most 4·10⁷ terms); a longer one is refused.
[[nodiscard]] inline std::optional<double> log_hyp2f1(double A, double B, double C, double z) {
  constexpr long max_terms = 40'000'000;
  constexpr double rescale = 1e-200;
  const double log_rescale = std::log(1e200);
  double term = 1, sum = 1, log_scale = 0;
  for (long k = 0; k < max_terms; ++k) {
    const double kd = static_cast<double>(k);
    const double ratio = (A + kd) * (B + kd) / ((C + kd) * (kd + 1)) * z;
    term *= ratio;
    sum += term;
    // The ratios tend to z, from above or below: the tail after this term is
    // at most term · ρ / (1 − ρ) with ρ = max(ratio, z) once ρ < 1.
    const double rho = std::max(ratio, z);
    if (rho < 1 && term * rho <= 1e-17 * (1 - rho) * sum) return log_scale + std::log(sum);
    if (sum > 1e200) {
      sum *= rescale;
      term *= rescale;
      log_scale += log_rescale;
    }
  }
  return std::nullopt;
}

}  // namespace cltv::models::detail
