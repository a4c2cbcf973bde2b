#include "cltv/models/dert.hpp"

#include <cmath>
#include <string>
#include <variant>

#include <boost/math/quadrature/exp_sinh.hpp>
#include <boost/math/quadrature/tanh_sinh.hpp>

#include "cltv/number.hpp"
#include "models/special.hpp"

namespace cltv::models {
namespace {

// ∫_0^∞ e^(−w) (1 + c·w)^(−s) dw for c ≥ 0: E[(1 + cW)^(−s)], W ~ Exp(1).
// Both discounts reduce to it: with v = w·c, it is (1/c)·Tricomi's
// U(1, 2−s, 1/c). The integrand is e^(−w) at most, so the sum is well
// scaled for any c; exp-sinh resolves the kink at w ≈ 1/c when c is large.
double exponential_mean_of_power(double s, double c) {
  if (c == 0) return 1;
  thread_local boost::math::quadrature::exp_sinh<double> integrator;  // its tables grow as used
  return integrator.integrate([&](double w) { return std::exp(-w - s * std::log1p(c * w)); },
                              1e-13);
}

}  // namespace

result<double> continuous_discount_rate(double monthly_rate, double days_per_month,
                                        double time_unit_days) {
  if (!(monthly_rate >= 0 && monthly_rate < 10))
    return error{"discount_rate", "discount rate must be from 0 to 1000% per month, got " +
                                      format_shortest(monthly_rate)};
  if (!(days_per_month > 0 && std::isfinite(days_per_month)))
    return error{"days_per_month",
                 "days per month must be a positive number, got " + format_shortest(days_per_month)};
  if (!(time_unit_days > 0 && std::isfinite(time_unit_days)))
    return error{"time_unit", "the time unit must be a positive number of days, got " +
                                  format_shortest(time_unit_days)};
  return std::log1p(monthly_rate) * time_unit_days / days_per_month;
}

result<double> check_continuous_discount(double delta) {
  if (!(delta > 0 && std::isfinite(delta)))
    return error{"continuous_discount",
                 "the continuous discount rate must be a number > 0 per time unit, got " +
                     format_shortest(delta)};
  return delta;
}

result<double> discounted_expected_residual_purchases(const pareto_nbd_params& params,
                                                      const rfm_tuple& customer, double delta) {
  auto alive = probability_alive(params, customer);
  if (!alive) return std::move(alive).error();
  auto d = check_continuous_discount(delta);
  if (!d) return std::move(d).error();
  // E[1/(δ+μ)] = ∫_0^∞ e^(−δτ) E[e^(−μτ)] dτ = ∫ e^(−δτ) (1 + τ/(β+T))^(−s) dτ.
  const double beta_t = params.beta + customer.T;
  const double mean_life = exponential_mean_of_power(params.s, 1 / (delta * beta_t)) / delta;
  return *alive * (params.r + customer.x) / (params.alpha + customer.T) * mean_life;
}

result<double> discounted_expected_residual_purchases(const bgnbd_params& params,
                                                      const rfm_tuple& customer, double delta) {
  auto alive = probability_alive(params, customer);
  if (!alive) return std::move(alive).error();
  auto d = check_continuous_discount(delta);
  if (!d) return std::move(d).error();
  const double shape = params.r + customer.x;
  const double rate = params.alpha + customer.T;
  const double a = params.a;
  const double b = params.b + customer.x + (params.variant == bgnbd_variant::mbgnbd ? 1 : 0);
  const double log_norm = detail::log_beta(a, b);
  // E_λ[λ/(δ+pλ)] = ∫ e^(−δτ) E[λ e^(−pλτ)] dτ = (R/(Aδ)) E[(1 + W p/(Aδ))^(−(R+1))].
  const auto given_p = [&](double p) {
    return shape / (rate * delta) * exponential_mean_of_power(shape + 1, p / (rate * delta));
  };
  thread_local boost::math::quadrature::tanh_sinh<double> integrator;
  const double mean = integrator.integrate(
      // complement: 1 − p, exact near p = 1 where b < 1 makes the density steep
      // (boost passes b − p there, and a − p ≤ 0 in the left half).
      [&](double p, double complement) {
        const double log_q = complement > 0 ? std::log(complement) : std::log1p(-p);
        return std::exp((a - 1) * std::log(p) + (b - 1) * log_q - log_norm) * given_p(p);
      },
      0.0, 1.0, 1e-11);
  const double dert = *alive * mean;
  if (!std::isfinite(dert))
    return error{"", "DERT is not representable at δ = " + format_shortest(delta)};
  return dert;
}

result<double> discounted_expected_residual_purchases(const purchase_model& model,
                                                      const rfm_tuple& customer, double delta) {
  return std::visit(
      [&](const auto& p) { return discounted_expected_residual_purchases(p, customer, delta); },
      model.params());
}

}  // namespace cltv::models
