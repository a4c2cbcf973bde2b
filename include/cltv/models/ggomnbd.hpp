#pragma once
// The Gamma-Gompertz/NBD model (Bemmaor & Glady 2012, "Modeling purchasing
// behavior with sudden 'death': a flexible customer lifetime model",
// Management Science 58(5)), CLVTools' `ggomnbd`: while alive, a customer
// buys as a Poisson process with rate λ ~ Gamma(r, α); her lifetime is
// Gompertz, P(alive at τ | η) = exp(−η (e^{bτ} − 1)), with η ~ Gamma(s, β)
// across customers, so that the population's survival is
// S(τ) = (β / (β + e^{bτ} − 1))^s. As b → 0 (with β/b fixed) the lifetime
// becomes exponential and the model Pareto/NBD with β_P = β/b: near that
// limit b and β are not identified separately, only their ratio.
//
// The likelihood's integral over the time of death between the last purchase
// and the end of observation has no closed form: it is summed by a fixed
// Gauss–Legendre rule (exact gradients, the same cost wherever the optimiser
// goes), and the fit checks the rule at its estimate against Boost.Math's
// adaptive Gauss–Kronrod quadrature. Times are in the unit of the rows.

#include <span>
#include <vector>

#include "cltv/error.hpp"
#include "cltv/models/fit.hpp"
#include "cltv/models/rfm_data.hpp"

namespace cltv::models {

/// λ ~ Gamma(shape r, rate α); Gompertz scale b; η ~ Gamma(shape s, rate β).
struct ggomnbd_params {
  double r = 1;
  double alpha = 1;
  double b = 1;
  double s = 1;
  double beta = 1;
};

struct ggomnbd_fit {
  ggomnbd_params params;
  std::vector<parameter_estimate> estimates;  ///< r, α, b, s, β
  fit_report report;  ///< its integration_error: the fixed rule against adaptive Gauss–Kronrod
};

/// Σ count · ln L(r, α, b, s, β | x, t_x, T) (Bemmaor & Glady 2012, eq. 6);
/// when `gradient` is not empty (5 elements) it receives ∂LL/∂(r, α, b, s, β).
[[nodiscard]] result<double> ggomnbd_log_likelihood(const ggomnbd_params& params,
                                                    std::span<const rfm_tuple> rows,
                                                    std::span<double> gradient = {});

/// The same log-likelihood with each customer's integral by adaptive
/// Gauss–Kronrod quadrature (Boost.Math, relative tolerance 1e-10): the check
/// of the fixed rule.
[[nodiscard]] result<double> ggomnbd_log_likelihood_adaptive(const ggomnbd_params& params,
                                                             std::span<const rfm_tuple> rows);

/// Maximum likelihood, in log-parameters, from the Pareto/NBD fit of the same
/// rows (the model's b → 0 limit). Where the data do not identify a direction,
/// report.degenerate says which and what is identified: b and β near the
/// Pareto/NBD limit (only β/b), or s and β running off together when every
/// customer has the same frailty (only η = s/β). The estimates are then points
/// on the flat ridge, their standard errors and intervals large.
///
/// Example (CDNOW, 2,357 customers in weeks; Bemmaor & Glady 2012):
///   r ≈ 0.553, α ≈ 10.58, s ≈ 0.606, LL ≈ −9594.98 (b and β near 0).
[[nodiscard]] result<ggomnbd_fit> fit_ggomnbd(std::span<const rfm_tuple> rows);

/// P(alive at T | x, t_x, T).
[[nodiscard]] result<double> probability_alive(const ggomnbd_params& params,
                                               const rfm_tuple& customer);

/// E[Y(t) | x, t_x, T]: expected purchases in the next t time units.
[[nodiscard]] result<double> conditional_expected_purchases(const ggomnbd_params& params,
                                                            const rfm_tuple& customer, double t);

/// E[X(t)]: a new customer's expected purchases in her first t time units.
[[nodiscard]] result<double> expected_purchases(const ggomnbd_params& params, double t);

/// Expected purchases of a customer with history (x, t_x, T) in each of the
/// next `periods` periods of length `period_length`.
[[nodiscard]] result<std::vector<double>> expected_purchases_by_period(const ggomnbd_params& params,
                                                                       const rfm_tuple& customer,
                                                                       int periods,
                                                                       double period_length = 1);

/// The same for a customer known to be alive at T with frequency x.
[[nodiscard]] result<std::vector<double>> expected_purchases_by_period_if_alive(
    const ggomnbd_params& params, double x, double T, int periods, double period_length = 1);

/// DERT at a continuous rate δ per time unit: P(alive) (r + x)/(α + T) ·
/// ∫_0^∞ e^{−δu} E[P(alive at T + u | alive at T)] du.
[[nodiscard]] result<double> discounted_expected_residual_purchases(const ggomnbd_params& params,
                                                                    const rfm_tuple& customer,
                                                                    double delta);

/// Purchase-count probabilities have no form here yet: these fail, saying so.
[[nodiscard]] result<std::vector<double>> probabilities_of_purchases(const ggomnbd_params& params,
                                                                     double t, int n_max);
[[nodiscard]] result<std::vector<double>> conditional_probabilities_of_purchases(
    const ggomnbd_params& params, const rfm_tuple& customer, double t, int n_max);

}  // namespace cltv::models
