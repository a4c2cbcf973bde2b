#pragma once
// Discounted expected residual transactions (DERT): the purchases a customer
// is still expected to make, over her whole remaining life and with no
// horizon, each discounted continuously at rate δ per time unit (Fader,
// Hardie & Lee 2005, "RFM and CLV: using iso-value curves for customer base
// analysis", JMR 42(4); CLVTools' DERT). A customer's predicted CLV is her
// DERT times her expected margin per purchase.
//
//   DERT(δ | x, t_x, T) = ∫_0^∞ e^(−δτ) dE[Y(τ) | x, t_x, T]
//
// Pareto/NBD has it in closed form; BG/NBD and MBG/NBD as an integral over
// time, summed numerically.

#include "cltv/error.hpp"
#include "cltv/models/bgnbd.hpp"
#include "cltv/models/pareto_nbd.hpp"
#include "cltv/models/purchase_model.hpp"
#include "cltv/models/rfm_data.hpp"

namespace cltv::models {

/// The continuous rate δ per time unit equivalent to a discount rate d per
/// month: (1 + d) per month is e^δ per time unit compounded over the month's
/// time units, δ = ln(1 + d) / (days_per_month / time_unit_days). Fails when
/// d is not in [0, 10) or a length is not positive.
///
/// Example: auto delta = continuous_discount_rate(0.01, 30.4375, 7);  // ≈ 0.002286 per week
[[nodiscard]] result<double> continuous_discount_rate(double monthly_rate, double days_per_month,
                                                      double time_unit_days);

/// Checks a continuous discount rate δ per time unit: finite and > 0 (at 0
/// DERT is the expected number of remaining purchases, which BG/NBD with
/// a ≤ 1 and Pareto/NBD with s ≤ 1 make infinite).
[[nodiscard]] result<double> check_continuous_discount(double delta);

/// Pareto/NBD: P(alive) · (r+x)/(α+T) · E[1/(δ+μ)] with μ ~ Gamma(s, β+T),
/// the closed form (β+T)^s δ^(s−1) Ψ(s, s; δ(β+T)) of FHL 2005 (eq. 2) with
/// Tricomi's Ψ summed from its Laplace integral.
///
/// Example: auto d = discounted_expected_residual_purchases(params, {2, 30.43, 38.86, 1}, 0.0027);
[[nodiscard]] result<double> discounted_expected_residual_purchases(const pareto_nbd_params& params,
                                                                    const rfm_tuple& customer,
                                                                    double delta);

/// BG/NBD and MBG/NBD: there is no closed form (CLVTools integrates too).
/// DERT = P(alive) · δ ∫_0^∞ e^(−δτ) E[Y(τ) | alive] dτ, by Gauss–Legendre
/// panels while δτ ≤ 1 and Gauss–Laguerre beyond, over the model's stream of
/// expectations (the same E[Y] as conditional_expected_purchases). The tests
/// check it against E[λ / (δ + pλ)] over the posterior λ ~ Gamma(r+x, α+T),
/// p ~ Beta(a, b+x) (MBG/NBD: b+x+1), summed by adaptive quadrature.
[[nodiscard]] result<double> discounted_expected_residual_purchases(const bgnbd_params& params,
                                                                    const rfm_tuple& customer,
                                                                    double delta);

/// The DERT of whichever model `model` is.
[[nodiscard]] result<double> discounted_expected_residual_purchases(const purchase_model& model,
                                                                    const rfm_tuple& customer,
                                                                    double delta);

}  // namespace cltv::models
