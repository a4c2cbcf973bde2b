#include "cltv/retention.hpp"

#include <cmath>
#include <string>

#include "cltv/number.hpp"

namespace cltv {
namespace {

// The series of 2F1 stops here. It needs about (37 + ln(1/d))/d terms, so
// this allows d down to ~5e−6 (a daily rate of 0.2 % a year) in tens of
// milliseconds.
constexpr std::int64_t max_series_terms = 10'000'000;

std::optional<error> check_params(double alpha, double beta) {
  if (!(std::isfinite(alpha) && alpha > 0))
    return error{"alpha", "alpha must be a positive number, got " + format_shortest(alpha)};
  if (!(std::isfinite(beta) && beta > 0))
    return error{"beta", "beta must be a positive number, got " + format_shortest(beta)};
  return std::nullopt;
}

std::optional<error> check_discount(double d) {
  if (!(std::isfinite(d) && d >= 0))
    return error{"discount_rate", "discount_rate must be a number ≥ 0, got " + format_shortest(d)};
  return std::nullopt;
}

// Σ_{i≥0} (b)_i / (c)_i · z^i = 2F1(1, b; c; z), for 0 < b < c and
// z = 1/(1 + d), d > 0 (d is passed rather than z: the tail bound needs it).
//
// Every term ratio (b + i)/(c + i) · z is below z, so the terms after term_i
// sum to less than term_i · z/(1 − z) = term_i / d: stopping once that bound
// is below the rounding of the sum makes the truncation error negligible. The
// sum is compensated (Neumaier), as it may run to millions of terms.
result<double> hypergeometric_1bc(double b, double c, double d) {
  const double z = 1 / (1 + d);
  double sum = 1, compensation = 0, term = 1;
  for (std::int64_t i = 0; i < max_series_terms; ++i) {
    const double fi = static_cast<double>(i);
    term *= (b + fi) / (c + fi) * z;
    const double next = sum + term;
    compensation += (sum - next) + term;  // |sum| ≥ term: the terms are positive
    sum = next;
    if (term <= 0x1p-54 * d * sum) return sum + compensation;
  }
  return error{"discount_rate",
               "discount_rate " + format_shortest(d) +
                   " is too small for the lifetime sum to converge in 10^7 periods; "
                   "use a larger rate or a horizon"};
}

}  // namespace

result<sbg_params> make_sbg_params(double alpha, double beta) {
  if (auto e = check_params(alpha, beta)) return *std::move(e);
  return sbg_params{alpha, beta};
}

std::optional<double> sbg_expected_lifetime(const sbg_params& params) {
  if (params.alpha <= 1) return std::nullopt;
  return 1 + params.beta / (params.alpha - 1);
}

result<double> sbg_discounted_expected_lifetime(const sbg_params& params, double discount_rate) {
  if (auto e = check_params(params.alpha, params.beta)) return *std::move(e);
  if (auto e = check_discount(discount_rate)) return *std::move(e);
  if (discount_rate == 0) {
    if (auto lifetime = sbg_expected_lifetime(params)) return *lifetime;
    return error{"discount_rate", "the expected lifetime is unbounded when alpha ≤ 1 (alpha " +
                                      format_shortest(params.alpha) +
                                      "): a discount rate above 0 is needed"};
  }
  return hypergeometric_1bc(params.beta, params.alpha + params.beta, discount_rate);
}

result<double> sbg_discounted_expected_residual_lifetime(const sbg_params& params,
                                                         double discount_rate,
                                                         std::int64_t renewals) {
  if (auto e = check_params(params.alpha, params.beta)) return *std::move(e);
  if (auto e = check_discount(discount_rate)) return *std::move(e);
  if (renewals < 0)
    return error{"renewals",
                 "renewals must be a whole number ≥ 0, got " + std::to_string(renewals)};
  const double n = static_cast<double>(renewals);
  const double b = params.beta + n;
  const double c = params.alpha + params.beta + n;
  if (discount_rate == 0) {
    // Gauss: 2F1(1, b + 1; c + 1; 1) = c / (c − b − 1) = c / (α − 1).
    if (params.alpha > 1) return b / (params.alpha - 1);
    return error{"discount_rate",
                 "the expected residual lifetime is unbounded when alpha ≤ 1 (alpha " +
                     format_shortest(params.alpha) + "): a discount rate above 0 is needed"};
  }
  auto f = hypergeometric_1bc(b + 1, c + 1, discount_rate);
  if (!f) return f;
  return b / c * *f;
}

result<double> sbg_paid_periods(const sbg_params& params, double discount_rate,
                                std::optional<int> horizon) {
  if (auto e = check_params(params.alpha, params.beta)) return *std::move(e);
  if (auto e = check_discount(discount_rate)) return *std::move(e);
  if (!horizon) {
    if (discount_rate == 0 && params.alpha <= 1)
      return error{"horizon", "the lifetime value is unbounded when alpha ≤ 1 (alpha " +
                                  format_shortest(params.alpha) +
                                  ") with neither a discount rate nor a horizon"};
    return sbg_discounted_expected_lifetime(params, discount_rate);
  }
  if (*horizon < 1)
    return error{"horizon", "horizon must be at least 1 period, got " + std::to_string(*horizon)};
  // Σ_{t<H} S(t) z^t with S(t) = S(t − 1)(β + t − 1)/(α + β + t − 1). With
  // d > 0 the rest of the sum is below term/d (as in hypergeometric_1bc):
  // stop once that is below rounding, so a huge horizon costs no more than
  // convergence.
  const double z = 1 / (1 + discount_rate);
  double sum = 1, term = 1;
  for (int t = 1; t < *horizon; ++t) {
    const double ft = static_cast<double>(t);
    term *= (params.beta + ft - 1) / (params.alpha + params.beta + ft - 1) * z;
    sum += term;
    if (term <= 0x1p-54 * discount_rate * sum) break;
  }
  return sum;
}

}  // namespace cltv
