#pragma once
// What every fitted CLV model reports: each parameter with its standard error
// and 95% interval, and how the fit went. Shared by models/bgnbd.hpp,
// models/sbg.hpp and models/gamma_gamma.hpp (names kept stable: other models
// build these with estimate_from_log()).

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "cltv/error.hpp"

namespace cltv::models {

/// A maximum-likelihood estimate of one positive parameter.
///
/// The models are fitted in log-parameters, where the likelihood is closer to
/// quadratic; the interval is therefore exp(log θ ± 1.96 · se(log θ)) — never
/// negative, not symmetric — and standard_error is the delta-method
/// θ · se(log θ). When the fit has no standard errors (the likelihood is flat
/// or saddle-shaped at the estimate: fit_report::standard_errors_missing says
/// why), standard_error, lower_95 and upper_95 are NaN.
struct parameter_estimate {
  double value = 0;
  double standard_error = 0;
  double lower_95 = 0;
  double upper_95 = 0;
};

/// The estimate of θ = exp(log_value) from log θ and its standard error.
[[nodiscard]] inline parameter_estimate estimate_from_log(double log_value,
                                                          double log_standard_error) noexcept {
  constexpr double z95 = 1.959963984540054;  // Φ⁻¹(0.975)
  const double value = std::exp(log_value);
  return {value, value * log_standard_error, std::exp(log_value - z95 * log_standard_error),
          std::exp(log_value + z95 * log_standard_error)};
}

/// The estimate of θ = exp(log_value) when log θ has no standard error: the
/// value, with NaN for the standard error and the interval.
[[nodiscard]] inline parameter_estimate estimate_without_error(double log_value) noexcept {
  constexpr double none = std::numeric_limits<double>::quiet_NaN();
  return {std::exp(log_value), none, none, none};
}

/// A two-sided interval of an estimate or a prediction (a bootstrap
/// percentile or a delta-method interval; the function that makes it says).
struct interval_bounds {
  double lower = 0;
  double upper = 0;
};

/// How a fit went.
struct fit_report {
  bool converged = false;
  int evaluations = 0;              // objective + gradient evaluations by the optimiser
  double log_likelihood = 0;        // total over customers, at the estimate
  std::uint64_t customers = 0;      // rows the likelihood counts (Σ counts)
  std::uint64_t unique_tuples = 0;  // distinct rows it loops over
  std::string status;               // the optimiser's reason for stopping, in words
  /// Why the estimates have no standard errors (their standard_error is
  /// NaN), in words; empty when they have them.
  std::string standard_errors_missing;
  /// When the data do not identify the model and the estimates are those of
  /// its limit (Pareto/NBD: every customer with the same dropout rate), what
  /// the limit is, in words; empty otherwise.
  std::string degenerate;
  /// The Hessian of the total negative log-likelihood (with the penalty, when
  /// there is one: what was minimised) at the estimate, with respect to the
  /// log-parameters (ln θ₁, ln θ₂, …) the models are fitted in; row-major
  /// n×n in the order of the estimates. Empty when the fit has none.
  std::vector<double> log_hessian;
  /// The covariance of the estimates θ on their natural scale, row-major n×n:
  /// the inverse of log_hessian carried over by the delta method,
  /// Cov(θᵢ, θⱼ) = θᵢ θⱼ (H⁻¹)ᵢⱼ, so that its diagonal is the standard errors
  /// squared. Empty without standard errors; NaN in the rows of parameters
  /// that have none (a degenerate fit's limit stand-ins).
  std::vector<double> covariance;
  /// The penalty coefficient c of the fit (0: plain maximum likelihood).
  double penalty = 0;
  /// For a likelihood that is an integral computed by a fixed quadrature rule
  /// (Gamma-Gompertz/NBD): |LL by that rule − LL by adaptive quadrature| at
  /// the estimate, the check of the rule; NaN for closed-form likelihoods.
  double integration_error = std::numeric_limits<double>::quiet_NaN();
};

/// A ridge penalty on the parameters, as lifetimes' `penalizer_coef`: the
/// fit minimises the mean negative log-likelihood per customer plus
/// c · Σₖ θ̃ₖ², where θ̃ are the parameters on their natural scale with the
/// rates of time (α, and Pareto/NBD's β) measured in units of the longest
/// customer age T_max, as lifetimes rescales time before it fits. The
/// penalty pulls the parameters towards 0 the more, the larger c. It is not
/// scale-invariant: the same c shrinks differently when the data span more
/// time, or (Gamma-Gamma's γ) when spend is in cents rather than dollars.
/// Stabilises fits that run off to a boundary, at the cost of bias.
struct fit_penalty {
  double coefficient = 0;  ///< c >= 0
};

/// Checks a penalty coefficient: a finite number >= 0 ("penalty must be a
/// number >= 0, got -1").
[[nodiscard]] result<fit_penalty> make_fit_penalty(double coefficient);

}  // namespace cltv::models
