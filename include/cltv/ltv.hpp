#pragma once
// Evaluating a scenario: margin, lifetime, LTV, net value, LTV:CAC and payback.

#include <optional>

#include "cltv/error.hpp"
#include "cltv/scenario.hpp"

namespace cltv {

/// Everything derivable from one scenario. Optional members are absent when
/// they cannot be derived: no CAC → no net value, ratio, verdict or payback.
struct ltv_result {
  cltv::period period = period::month;
  /// Average customer lifetime in periods (1 / churn, or the fixed lifetime);
  /// nullopt when unbounded (churn 0).
  std::optional<double> lifetime;
  /// Expected (discounted, horizon-capped) number of payments: LTV / margin.
  double paid_periods = 0;
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
};

/// Computes every metric of a validated scenario. Fails only when a result is
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
