#include "cltv/models/delta_method.hpp"

#include <cmath>

#include "cltv/confidence.hpp"

namespace cltv::models {

result<std::vector<double>> parameter_gradient(
    std::span<const double> theta,
    const std::function<result<double>(std::span<const double>)>& quantity) {
  constexpr double step = 1e-5;  // in ln θ: small against any SE, far above rounding
  std::vector<double> shifted(theta.begin(), theta.end());
  std::vector<double> gradient(theta.size());
  for (std::size_t i = 0; i < theta.size(); ++i) {
    shifted[i] = theta[i] * std::exp(step);
    auto up = quantity(shifted);
    if (!up) return std::move(up).error();
    shifted[i] = theta[i] * std::exp(-step);
    auto down = quantity(shifted);
    if (!down) return std::move(down).error();
    shifted[i] = theta[i];
    gradient[i] = (*up - *down) / (theta[i] * (std::exp(step) - std::exp(-step)));
  }
  return gradient;
}

result<interval_bounds> delta_method_interval(double value, std::span<const double> gradient,
                                              std::span<const double> covariance,
                                              interval_scale scale, double level) {
  const std::size_t n = gradient.size();
  if (covariance.size() != n * n)
    return error{"covariance", "the covariance does not match the parameters"};
  for (const double c : covariance)
    if (!std::isfinite(c))
      return error{"covariance",
                   "the estimates have no covariance (no standard errors): no delta-method "
                   "interval"};
  if (!(level > 0 && level < 1)) return error{"confidence", "confidence must be a level in (0, 1)"};
  double variance = 0;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      variance += gradient[i] * covariance[i * n + j] * gradient[j];
  const double sd = std::sqrt(std::max(variance, 0.0));
  const double z = z_for_confidence(level);
  if (scale == interval_scale::log) {
    if (!(value > 0)) return interval_bounds{value, value};
    const double spread = z * sd / value;  // sd of ln q = sd(q) / q
    return interval_bounds{value * std::exp(-spread), value * std::exp(spread)};
  }
  if (!(value > 0 && value < 1)) return interval_bounds{value, value};  // 0 or 1 for any θ
  const double logit = std::log(value / (1 - value));
  const double spread = z * sd / (value * (1 - value));  // d logit q / dq = 1 / (q (1 − q))
  auto back = [](double u) { return 1 / (1 + std::exp(-u)); };
  return interval_bounds{back(logit - spread), back(logit + spread)};
}

result<purchase_delta_intervals> purchase_prediction_delta_intervals(
    const purchase_model& model, std::span<const double> covariance, const rfm_tuple& customer,
    double horizon, double level) {
  const model_parameters estimates = model.parameters();
  auto at = [&](std::span<const double> theta) {
    return make_purchase_model({estimates.kind, std::vector<double>(theta.begin(), theta.end())});
  };
  auto expected = conditional_expected_purchases(model, customer, horizon);
  if (!expected) return std::move(expected).error();
  auto alive = probability_alive(model, customer);
  if (!alive) return std::move(alive).error();
  auto expected_gradient =
      parameter_gradient(estimates.values, [&](std::span<const double> theta) -> result<double> {
        auto m = at(theta);
        if (!m) return std::move(m).error();
        return conditional_expected_purchases(*m, customer, horizon);
      });
  if (!expected_gradient) return std::move(expected_gradient).error();
  auto alive_gradient =
      parameter_gradient(estimates.values, [&](std::span<const double> theta) -> result<double> {
        auto m = at(theta);
        if (!m) return std::move(m).error();
        return probability_alive(*m, customer);
      });
  if (!alive_gradient) return std::move(alive_gradient).error();
  auto e =
      delta_method_interval(*expected, *expected_gradient, covariance, interval_scale::log, level);
  if (!e) return std::move(e).error();
  auto a = delta_method_interval(*alive, *alive_gradient, covariance, interval_scale::logit, level);
  if (!a) return std::move(a).error();
  return purchase_delta_intervals{*e, *a, *std::move(expected_gradient)};
}

result<interval_bounds> spend_delta_interval(const gamma_gamma_params& gg,
                                             std::span<const double> covariance, double frequency,
                                             double monetary_value, double level) {
  auto spend = gamma_gamma_conditional_expected_spend(gg, frequency, monetary_value);
  if (!spend) return std::move(spend).error();
  const double theta[] = {gg.p, gg.q, gg.gamma};
  auto gradient = parameter_gradient(theta, [&](std::span<const double> t) {
    return gamma_gamma_conditional_expected_spend({t[0], t[1], t[2]}, frequency, monetary_value);
  });
  if (!gradient) return std::move(gradient).error();
  return delta_method_interval(*spend, *gradient, covariance, interval_scale::log, level);
}

}  // namespace cltv::models
