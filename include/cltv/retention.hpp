#pragma once
// The shifted-beta-geometric (sBG) retention curve and the lifetime sums over
// it: what the LTV of a scenario with an sBG lifetime needs (cltv/ltv.hpp),
// below the sBG model that fits the curve to data (cltv/models/sbg.hpp).
//
// Each customer churns at the end of every period with a constant
// probability θ, and θ varies across customers as Beta(α, β) (Fader & Hardie
// 2007, J. Interactive Marketing 21(1)). S(t) = B(α, β + t) / B(α, β) is the
// share of a cohort still active at the start of period t; a customer pays at
// the start of each period they are active, as in cltv/formulas.hpp.

#include <cstdint>
#include <optional>

#include "cltv/error.hpp"

namespace cltv {

/// The two shape parameters of the Beta distribution of churn probabilities.
/// Both are positive; E[θ] = α / (α + β).
struct sbg_params {
  double alpha = 1;
  double beta = 1;
};

/// Checks that α and β are positive finite numbers, naming the offending one.
///
/// Example:
///   auto params = cltv::make_sbg_params(0.668, 3.806);
[[nodiscard]] result<sbg_params> make_sbg_params(double alpha, double beta);

/// Expected lifetime in periods of a just-acquired customer,
/// E[T] = Σ_{t≥0} S(t) = E[1/θ] = (α + β − 1) / (α − 1) = 1 + β / (α − 1);
/// nullopt when α ≤ 1, where it is unbounded (the Beta density near θ = 0 is
/// too heavy: a customer's expected lifetime 1/θ has no finite mean).
/// Precondition: valid params.
[[nodiscard]] std::optional<double> sbg_expected_lifetime(const sbg_params& params);

/// Discounted expected lifetime of a just-acquired customer at discount rate
/// d per period (Fader & Hardie 2010, Marketing Science 29(1)):
///   DEL(d) = Σ_{t≥0} S(t) / (1 + d)^t = 2F1(1, β; α + β; 1 / (1 + d)),
/// the first, undiscounted period included. Equal to the expected lifetime
/// when d = 0. Fails when d is negative or not finite, when d = 0 and α ≤ 1
/// (unbounded), and when d is so small (below ~5e−6) that the series would
/// need more than 10^7 terms.
///
/// Example: high-end cohort (α 0.668, β 3.806) at d = 0.10 → 5.922 periods.
[[nodiscard]] result<double> sbg_discounted_expected_lifetime(const sbg_params& params,
                                                              double discount_rate);

/// Discounted expected residual lifetime of a customer who has made
/// `renewals` = n ≥ 0 renewals (is active in period n), valued at the end of
/// period n, just before the decision to renew for period n + 1 (Fader &
/// Hardie 2010, whose "n − 1 renewals" is our n):
///   DERL(d, n) = Σ_{t>n} (S(t) / S(n)) / (1 + d)^{t−n−1}
///              = (β + n) / (α + β + n) · 2F1(1, β + n + 1; α + β + n + 1; 1 / (1 + d)).
/// The next renewal is not discounted. Hence DERL(d, 0) is not DEL(d): DEL
/// counts the first period's payment too, and DEL(d) = 1 + DERL(d, 0) / (1 + d).
/// When d = 0 and α > 1 it is (β + n) / (α − 1). Fails as
/// sbg_discounted_expected_lifetime does, and on negative `renewals`.
///
/// Example (Fader & Hardie 2010, as quoted in ../shared/reference/models.md):
/// high-end cohort, d = 0.10, 7 renewals → 7.53 periods.
[[nodiscard]] result<double> sbg_discounted_expected_residual_lifetime(const sbg_params& params,
                                                                       double discount_rate,
                                                                       std::int64_t renewals);

/// The expected (discounted, horizon-capped) number of payments of a
/// just-acquired customer, the paid_periods of cltv/formulas.hpp for an sBG
/// cohort: Σ_{t=0..H−1} S(t) / (1 + d)^t with a horizon of H periods, else
/// DEL(d) (to convergence). Fails when α ≤ 1 with neither a discount rate
/// (d = 0) nor a horizon (the sum is unbounded), on a negative or non-finite
/// d, on a horizon below 1, and on invalid params (naming alpha or beta).
/// With d = 0 and a horizon, it takes time proportional to the horizon.
///
/// Example: α 0.668, β 3.806, d 0, horizon 2 → S(0) + S(1) = 1 + 3.806/4.474.
[[nodiscard]] result<double> sbg_paid_periods(const sbg_params& params, double discount_rate,
                                              std::optional<int> horizon);

}  // namespace cltv
