#pragma once
// Delta-method intervals: a prediction q(θ) made from estimates θ with
// covariance Σ has approximately the variance ∇q(θ)ᵀ Σ ∇q(θ). Far cheaper
// than the bootstrap (no refits: a few evaluations of q per customer) and
// exact in the limit of many customers, but it relies on q being close to
// linear in θ over the estimates' spread, which it is not for small data or
// estimates near a boundary (then prefer the bootstrap, models/bootstrap.hpp).
//
// The interval is made on a scale where a normal approximation fits better
// and cannot cross the quantity's bounds: ln q for a positive quantity
// (expected purchases, spend), logit q for a probability (P(alive)), then
// carried back, so it is not symmetric around q.

#include <functional>
#include <span>
#include <vector>

#include "cltv/error.hpp"
#include "cltv/models/fit.hpp"
#include "cltv/models/gamma_gamma.hpp"
#include "cltv/models/purchase_model.hpp"
#include "cltv/models/rfm_data.hpp"

namespace cltv::models {

/// The scale the normal approximation is made on.
enum class interval_scale {
  log,    ///< q > 0
  logit,  ///< 0 ≤ q ≤ 1; q = 0 or 1 exactly gives [q, q]
};

/// ∂q/∂θᵢ at `theta` (all > 0) by central differences in ln θᵢ (steps of
/// 1e-5 relative). Fails as q does at a perturbed θ.
[[nodiscard]] result<std::vector<double>> parameter_gradient(
    std::span<const double> theta,
    const std::function<result<double>(std::span<const double>)>& quantity);

/// The delta-method interval at `level` (in (0, 1)) of a quantity with
/// value `value` and gradient `gradient` (∂q/∂θ) under the estimates'
/// `covariance` (row-major n×n, natural scale, as fit_report::covariance).
/// Fails when the covariance has NaN entries (estimates without standard
/// errors) or the sizes disagree ("covariance").
///
/// Example: q = 2, ∇q = (1), Σ = (0.01), 95% on the log scale:
///   sd(ln q) = 0.1 / 2 = 0.05 → [2 e^(−1.96·0.05), 2 e^(1.96·0.05)] = [1.8133, 2.2059].
[[nodiscard]] result<interval_bounds> delta_method_interval(double value,
                                                            std::span<const double> gradient,
                                                            std::span<const double> covariance,
                                                            interval_scale scale, double level);

/// A customer's delta-method intervals under a purchase model: of
/// E[Y(horizon) | x, t_x, T] (log scale) and P(alive) (logit scale), and the
/// gradient of the former, whose sum over customers gives the interval of
/// their total (delta_method_interval of the sums).
struct purchase_delta_intervals {
  interval_bounds expected_purchases;
  interval_bounds probability_alive;
  std::vector<double> expected_purchases_gradient;
};

/// purchase_delta_intervals of `customer` under `model` with the
/// covariance of its parameters (in the order of names_of(kind).parameters).
/// Fails as the predictions and delta_method_interval do.
[[nodiscard]] result<purchase_delta_intervals> purchase_prediction_delta_intervals(
    const purchase_model& model, std::span<const double> covariance, const rfm_tuple& customer,
    double horizon, double level);

/// The delta-method interval (log scale) of Gamma-Gamma's E[M | x, m̄].
[[nodiscard]] result<interval_bounds> spend_delta_interval(const gamma_gamma_params& gg,
                                                           std::span<const double> covariance,
                                                           double frequency, double monetary_value,
                                                           double level);

}  // namespace cltv::models
