#pragma once
// Evaluating a scenario: margin, lifetime, LTV, net value, LTV:CAC and payback.

#include <optional>

#include "cltv/error.hpp"
#include "cltv/scenario.hpp"

namespace cltv {

/// A range of values; a missing bound is unbounded (−∞ below, +∞ above).
struct value_range {
  std::optional<double> low, high;
};

/// What the uncertainty of churn observed as counts implies: the Wilson
/// interval of churn at the scenario's confidence level, and the LTV and
/// LTV:CAC ranges over it (low churn ↔ high LTV when the margin is positive).
/// A churn bound whose lifetime exceeds 10,000 periods (or is unbounded, or
/// whose expansion sum diverges) with neither a horizon nor a discount rate
/// leaves its end of the LTV range unbounded instead of failing.
struct churn_interval {
  double confidence = 0;
  double z = 0;  ///< the normal quantile of the confidence level
  double churn_low = 0, churn_high = 0;
  value_range ltv;
  std::optional<value_range> ltv_cac_ratio;  ///< when CAC > 0
  /// Every ratio in the range meets the target (a bounded lowest ratio ≥ target).
  std::optional<bool> meets_target;
};

/// Everything derivable from one scenario. Optional members are absent when
/// they cannot be derived: no CAC → no net value, ratio, verdict or payback.
struct ltv_result {
  cltv::period period = period::month;
  /// Average customer lifetime in periods (1 / churn, or the fixed lifetime);
  /// nullopt when unbounded (churn 0).
  std::optional<double> lifetime;
  /// Expected (discounted, horizon-capped) number of payments: LTV / margin
  /// when there is no expansion.
  double paid_periods = 0;
  /// The same count with each payment grown by the expansion, (1 + g)^t;
  /// equal to paid_periods without expansion. LTV = value × gross margin ×
  /// revenue_periods − cost to serve × paid_periods.
  double revenue_periods = 0;
  std::optional<double> churn;  ///< lost / start, when churn came from counts
  double margin_per_period = 0;
  double ltv = 0;
  std::optional<double> net_value;      ///< LTV − CAC, when CAC is given
  std::optional<double> ltv_cac_ratio;  ///< LTV / CAC, when CAC > 0
  double target = default_target;
  std::optional<bool> meets_target;  ///< ratio ≥ target, when there is a ratio
  /// CAC / margin periods; absent when CAC is missing or the margin is ≤ 0
  /// (see payback_undefined).
  std::optional<double> cac_payback;
  bool payback_undefined = false;  ///< CAC given but margin ≤ 0: never paid back
  /// With counts and a confidence level: the churn interval and what it implies.
  std::optional<churn_interval> interval;
};

/// Computes every metric of a validated scenario. With expansion g, the
/// revenue of a retained customer grows by (1 + g) each period while the cost
/// to serve does not (see formulas.hpp, paid_periods_*_growth); CAC payback
/// stays CAC / first-period margin. Fails only when a result is
/// too large for a double (e.g. arpu 1e300 over 1e10 periods); the error names
/// the inputs that caused it.
///
/// Example:
///   // arpu 50, churn 4 %, cac 300: margin 50, lifetime 25, LTV 1250, ratio 4.1667
///   auto r = cltv::evaluate(*cltv::resolve(in));
[[nodiscard]] result<ltv_result> evaluate(const scenario& s);

/// resolve() then evaluate().
[[nodiscard]] result<ltv_result> calculate(const scenario_input& input);

}  // namespace cltv
