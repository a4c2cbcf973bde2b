#pragma once
// The special functions the model likelihoods share, from Boost.Math with one
// error policy. Internal to the library (not installed).

#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/trigamma.hpp>
#include <boost/math/special_functions/gamma.hpp>

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

}  // namespace cltv::models::detail
