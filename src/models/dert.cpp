#include "cltv/models/dert.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <variant>
#include <vector>

#include <boost/math/quadrature/exp_sinh.hpp>

#include "cltv/number.hpp"
#include "models/bgnbd_expectation.hpp"
#include "models/quadrature_rules.hpp"

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
                              1e-10);
}

}  // namespace

result<double> continuous_discount_rate(double monthly_rate, double days_per_month,
                                        double time_unit_days) {
  if (!(monthly_rate >= 0 && monthly_rate < 10))
    return error{"discount_rate", "discount rate must be from 0 to 1000% per month, got " +
                                      format_shortest(monthly_rate)};
  if (!(days_per_month > 0 && std::isfinite(days_per_month)))
    return error{"days_per_month", "days per month must be a positive number, got " +
                                       format_shortest(days_per_month)};
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

namespace {

// P(alive) of a DERT's customer, once the customer and the rate are checked.
template <class Params>
result<double> alive_to_discount(const Params& params, const rfm_tuple& customer, double delta) {
  auto alive = probability_alive(params, customer);
  if (!alive) return alive;
  if (auto d = check_continuous_discount(delta); !d) return d;
  return alive;
}

}  // namespace

result<double> discounted_expected_residual_purchases(const pareto_nbd_params& params,
                                                      const rfm_tuple& customer, double delta) {
  auto alive = alive_to_discount(params, customer, delta);
  if (!alive) return alive;
  // E[1/(δ+μ)] = ∫_0^∞ e^(−δτ) E[e^(−μτ)] dτ = ∫ e^(−δτ) (1 + τ/(β+T))^(−s) dτ.
  const double beta_t = params.beta + customer.T;
  const double mean_life = exponential_mean_of_power(params.s, 1 / (delta * beta_t)) / delta;
  return *alive * (params.r + customer.x) / (params.alpha + customer.T) * mean_life;
}

result<double> discounted_expected_residual_purchases(const bgnbd_params& params,
                                                      const rfm_tuple& customer, double delta) {
  auto alive = alive_to_discount(params, customer, delta);
  if (!alive) return alive;
  // By parts, DERT given alive = δ ∫_0^∞ e^(−δτ) E[Y(τ) | alive] dτ, with
  // E[Y] from the model's Taylor-stepped stream at all the rule's times in
  // one pass. Head, δτ ≤ 1: Gauss–Legendre panels in y = ln(1 + τ/β'),
  // β' = α+T, at most 1/2 wide (E[Y] rises on the scale β'). Tail, δτ ≥ 1:
  // Gauss–Laguerre in v = δτ − 1, where E[Y] grows no faster than τ.
  static const detail::gauss_legendre<8> head_rule;
  static const detail::gauss_laguerre<32> tail_rule;
  const double shape = params.r + customer.x;
  const double scale = params.alpha + customer.T;
  const double bp = params.b + customer.x + (params.variant == bgnbd_variant::mbgnbd ? 1 : 0);
  const double head_end = std::log1p(1 / (delta * scale));
  const int panels = std::max(1, static_cast<int>(std::ceil(2 * head_end)));
  const double h = head_end / panels;
  std::vector<double> times, weights;
  times.reserve(static_cast<std::size_t>(panels) * head_rule.node.size() + tail_rule.node.size());
  weights.reserve(times.capacity());
  for (int k = 0; k < panels; ++k)
    for (std::size_t i = head_rule.node.size(); i-- > 0;) {  // nodes fall; times must rise
      const double y = h * (k + 0.5 * (1 + head_rule.node[i]));
      const double tau = scale * std::expm1(y);
      // dτ = (β' + τ) dy
      times.push_back(tau);
      weights.push_back(0.5 * h * head_rule.weight[i] * delta * std::exp(-delta * tau) *
                        (scale + tau));
    }
  for (std::size_t i = 0; i < tail_rule.node.size(); ++i) {
    times.push_back((1 + tail_rule.node[i]) / delta);
    weights.push_back(std::exp(-1.0) * tail_rule.weight[i]);
  }
  auto expected = detail::bgnbd_expected_if_alive_at_times(shape, scale, params.a, bp, times);
  double total = 0;
  if (expected)
    for (std::size_t k = 0; k < times.size(); ++k) total += weights[k] * (*expected)[k];
  const double dert = *alive * total;
  if (!expected || !std::isfinite(dert))
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
