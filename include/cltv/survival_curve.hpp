#pragma once
// The survival and retention curve behind a scenario's lifetime — constant
// churn or an sBG curve — next to the counts it was fitted on: the series of
// `cltv plot survival`.

#include <optional>
#include <span>
#include <vector>

#include "cltv/error.hpp"
#include "cltv/period.hpp"
#include "cltv/scenario.hpp"

namespace cltv {

/// One period of the curve.
struct survival_point {
  int period = 0;
  double survival = 1;  ///< S(t): the share of a cohort still active at the start of period t
  /// r(t) = S(t) / S(t − 1), the share of last period's customers who renew
  /// (from period 1).
  std::optional<double> retention;
  /// The observed counts, where a cohort reaches period t: the share still
  /// active (the product of the pooled retention rates) and the pooled
  /// retention rate Σ active_t / Σ active_{t−1} over the cohorts observed at t.
  std::optional<double> observed_survival;
  std::optional<double> observed_retention;
};

struct survival_curve {
  cltv::period period = period::month;
  lifetime_basis basis = lifetime_basis::churn;  ///< churn or sbg
  double churn = 0;                              ///< with churn
  double sbg_alpha = 0, sbg_beta = 0;            ///< with sbg
  std::optional<double> expected_lifetime;       ///< Σ S(t); nullopt when unbounded
  std::vector<survival_point> points;            ///< periods 0 … N
  std::size_t cohorts = 0;                       ///< observed cohorts (0: none)
};

/// The curve of the lifetime `input` gives: churn (or customers_start with
/// customers_lost: churn = lost / start), S(t) = (1 − c)^t; or an sBG curve
/// (sbg_alpha, sbg_beta), S(t) = B(α, β + t) / B(α, β). The value inputs
/// are not needed; those given are checked as resolve() checks them.
/// `observed` holds the active counts of the cohorts the curve was fitted on
/// (each counts[t] at the start of period t, as fit_sbg takes them; checked
/// the same way), or nothing.
///
/// The curve spans `periods` periods when given (1 … 10000); else the
/// horizon; else twice the longest observed cohort, or, without counts,
/// until S(t) ≤ 10 %; at least 12 months or 3 years and at most 120 months
/// or 30 years.
/// Fails, naming the field, when the lifetime is fixed (lifetime,
/// contract_length: a fixed lifetime has no retention curve), missing or
/// invalid, or on bad counts or periods.
///
/// Example:
///   // churn 4 %: S(3) = 0.96³ = 0.884736, r(t) = 0.96, expected lifetime 25
///   auto curve = cltv::make_survival_curve(in, {}, std::nullopt);
[[nodiscard]] result<survival_curve> make_survival_curve(
    const scenario_input& input, std::span<const std::vector<double>> observed,
    std::optional<int> periods);

}  // namespace cltv
