#pragma once
// The shifted-beta-geometric (sBG) model of contractual retention (Fader &
// Hardie 2007, "How to project customer retention", J. Interactive Marketing
// 21(1)): each customer churns at the end of every period with a constant
// probability θ, and θ varies across customers as Beta(α, β). The cohort's
// retention rate therefore rises with tenure (the customers likely to churn
// leave first), which a single churn rate cannot express.
//
// Conventions (those of Fader & Hardie 2007 and 2010): a cohort is acquired at
// the start of period 0; T ∈ {1, 2, …} is the number of periods a customer
// stays (T = t: active in periods 0 … t−1, churned before the start of period
// t); S(t) = P(T > t) is the share still active at the start of period t, that
// is, the share that has made t renewals. A customer pays at the start of each
// period they are active, as in cltv/formulas.hpp.

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "cltv/error.hpp"
#include "cltv/models/fit.hpp"
#include "cltv/retention.hpp"

namespace cltv::models {

// The curve itself and its lifetime sums are in cltv/retention.hpp, below the
// LTV formulas that use them; they keep their names here too.
using cltv::make_sbg_params;
using cltv::sbg_discounted_expected_lifetime;
using cltv::sbg_discounted_expected_residual_lifetime;
using cltv::sbg_expected_lifetime;
using cltv::sbg_paid_periods;
using cltv::sbg_params;

/// A maximum-likelihood fit: the estimates (with standard errors and 95 %
/// intervals from the Hessian in log-parameters) and how the optimiser ended.
struct sbg_fit {
  sbg_params params;  ///< the estimates' values, ready for the predictions below
  parameter_estimate alpha;
  parameter_estimate beta;
  fit_report report;  ///< customers: the cohort (active[0]); unique_tuples: k periods
};

/// Fits α and β by maximum likelihood to a survival curve: `active[t]` is the
/// number of customers of one cohort still active at the start of period t,
/// t = 0 … k (Fader & Hardie 2007):
///   LL = Σ_{t=1..k} (n_{t−1} − n_t) ln P(T = t) + n_k ln S(k).
/// The counts must be whole numbers, active[0] > 0, never increasing, and
/// cover at least two periods (k ≥ 2: one period identifies only the mean
/// churn α / (α + β)). Errors (field "active" unless said otherwise):
/// - a bad count, naming the period and the values;
/// - no customer churns, or all churn at the end of period 0 (the estimates
///   would run to a boundary);
/// - the retention rate does not rise with tenure: without heterogeneity the
///   likelihood only approaches that of a constant churn rate (α, β → ∞), so
///   the fit must beat that limit; the error quotes the constant rate
///   (churned / customer-periods at risk) that describes the curve instead;
/// - the optimiser fails or does not converge, or the Hessian is not positive
///   definite (field "", the reason in words).
///
/// Example (Fader & Hardie 2007, "high end" segment):
///   const double active[] = {1000, 869, 743, 653, 593, 551, 517, 491};
///   auto fit = cltv::models::fit_sbg(active);  // α ≈ 0.668, β ≈ 3.806
[[nodiscard]] result<sbg_fit> fit_sbg(std::span<const double> active);

/// Checks the next count of a survival curve read one period at a time:
/// a whole number >= 0 ("active count must be a whole number >= 0, got 2.5")
/// and, after the first (`previous`), no more than the count before it
/// ("active count 500 is greater than 468 the period before; a survival curve
/// never increases"). Field "active". fit_sbg checks the whole curve again.
[[nodiscard]] result<double> check_next_active_count(double count, std::optional<double> previous);

/// Fits α and β to several cohorts at once (e.g. one per acquisition month,
/// each observed for as many periods as it is old): the log-likelihood is the
/// sum of each cohort's, as in fit_sbg; a cohort's last count is its
/// right-censored survivors. Cohorts may have any number of periods (k ≥ 0)
/// as long as one has at least two (k ≥ 2). Errors as fit_sbg, naming the
/// cohort (counting from 1) when there are several; report.customers is the
/// sum of the cohorts' period-0 counts.
///
/// Example: cohorts {1000, 869, 743, 653} and {800, 700} pooled.
[[nodiscard]] result<sbg_fit> fit_sbg_cohorts(std::span<const std::vector<double>> cohorts);

/// The log-likelihood of a survival curve (as in fit_sbg) at `params`. When
/// `gradient` is not empty (it must then hold 2 elements) it receives
/// ∂LL/∂α and ∂LL/∂β. Fails on invalid counts (as fit_sbg; one period, k = 1,
/// is enough here) or parameters.
[[nodiscard]] result<double> sbg_log_likelihood(const sbg_params& params,
                                                std::span<const double> active,
                                                std::span<double> gradient = {});

/// P(T = t) = B(α + 1, β + t − 1) / B(α, β), t ≥ 1: the share of the cohort
/// that churns at the end of period t − 1 (active in exactly t periods).
/// Precondition: valid params, t ≥ 1.
[[nodiscard]] double sbg_churn_probability(const sbg_params& params, std::int64_t t);

/// S(t) = P(T > t) = B(α, β + t) / B(α, β), t ≥ 0: the share still active at
/// the start of period t (S(0) = 1). Precondition: valid params, t ≥ 0.
[[nodiscard]] double sbg_survival(const sbg_params& params, std::int64_t t);

/// The retention rate of period t ≥ 1, r_t = S(t) / S(t − 1)
/// = (β + t − 1) / (α + β + t − 1): the share of the customers active in
/// period t − 1 who renew for period t. Rises with t towards 1.
/// Precondition: valid params, t ≥ 1.
[[nodiscard]] double sbg_retention_rate(const sbg_params& params, std::int64_t t);

/// Lifetime value of a just-acquired customer paying `margin` at the start of
/// each active period: margin × sbg_paid_periods(…). Fails as
/// sbg_paid_periods does, and on a non-finite margin.
[[nodiscard]] result<double> sbg_ltv(const sbg_params& params, double margin, double discount_rate,
                                     std::optional<int> horizon);

}  // namespace cltv::models
