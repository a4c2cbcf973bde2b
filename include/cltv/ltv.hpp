#pragma once
// Evaluating a scenario: margin, lifetime, LTV, net value, LTV:CAC and payback.

#include <optional>
#include <string_view>

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
  /// Every ratio in the range is below the target (a bounded highest ratio
  /// that misses it); neither this nor meets_target: the target is inside.
  std::optional<bool> below_target;
};

/// Which sum gave ltv_result::paid_periods, the expected (discounted) number
/// of payments: L′ is the fixed lifetime L, or min(L, H) with a horizon H; c
/// the churn, d the discount rate (see formulas.hpp and retention.hpp).
enum class paid_periods_formula {
  fixed,             ///< L′ (d = 0)
  fixed_discounted,  ///< (1 + d)(1 − (1 + d)^−L′) / d
  churn,             ///< 1 / c, the lifetime (d = 0, no horizon)
  churn_discounted,  ///< (1 + d) / (c + d) (no horizon)
  horizon,           ///< H: q = 1 (no churn and no discount), every period paid
  churn_horizon,     ///< (1 − q^H) / (1 − q), q = (1 − c) / (1 + d)
  sbg_sum,           ///< Σ S(t) / (1 + d)^t over t < H, or all t ≥ 0 without a horizon
};

/// How evaluate() arrived at the LTV, as values: which formula applied and
/// the quantities in it that are not inputs or results already, so that a
/// front end can show the working without deciding it again.
struct ltv_explanation {
  paid_periods_formula formula = paid_periods_formula::churn;
  /// L′, the periods a fixed lifetime counts (fixed and fixed_discounted).
  std::optional<double> counted_periods;
  /// The horizon cut a fixed lifetime short: L′ = H < L.
  bool capped_by_horizon = false;
  /// q = (1 − c) / (1 + d), the ratio of successive payments (horizon and
  /// churn_horizon).
  std::optional<double> payment_ratio;
  /// With expansion g: the ratio of successive revenue payments whose powers
  /// revenue_periods sums, (1 + g)(1 − c) / (1 + d), or (1 + g) / (1 + d)
  /// over a fixed lifetime.
  std::optional<double> revenue_ratio;
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
  /// What the target asks, when there is a ratio: the LTV that meets it at
  /// this CAC (target × CAC) …
  std::optional<double> required_ltv;
  /// … and the highest CAC that meets it at this LTV (LTV / target); absent
  /// when the LTV is not positive, as then no CAC is ever recovered. An
  /// extreme target (1e-300) can make either infinite: they are not checked.
  std::optional<double> max_cac;
  /// CAC / margin periods; absent when CAC is missing or the margin is ≤ 0
  /// (see payback_undefined).
  std::optional<double> cac_payback;
  bool payback_undefined = false;  ///< CAC given but margin ≤ 0: never paid back
  /// The payback rule's limit in periods (scenario::max_payback), when given …
  std::optional<double> max_payback;
  /// … and whether the CAC is paid back within it (cac_payback ≤ max_payback;
  /// false when it is never paid back).
  std::optional<bool> meets_payback;
  /// With counts and a confidence level: the churn interval and what it implies.
  std::optional<churn_interval> interval;
  ltv_explanation explanation;
};

/// Computes every metric of a validated scenario. With expansion g, the
/// revenue of a retained customer grows by (1 + g) each period while the cost
/// to serve does not (see formulas.hpp, paid_periods_*_growth); CAC payback
/// stays CAC / first-period margin. Fails only when a result is
/// too large for a double (e.g. arpu 1e300 over 1e10 periods); the error names
/// the inputs that caused it.
///
/// Example:
///   // arpu 50, churn 4 %, cac 300: margin 50, lifetime 25, LTV 1250, ratio 4.1667,
///   // required LTV 3 × 300 = 900, max CAC 1250 / 3 = 416.67, formula churn (1 / c)
///   auto r = cltv::evaluate(*cltv::resolve(in));
[[nodiscard]] result<ltv_result> evaluate(const scenario& s);

/// The LTV:CAC check's verdict on a result: with a churn interval, whether
/// its whole LTV:CAC range meets the target; otherwise whether the point
/// estimate does. Absent when there is no ratio (no CAC, or CAC 0).
///
/// Example:
///   // arpu 50, 12 of 300 customers lost, cac 300, confidence 95 %: the point
///   // ratio 4.17 meets 3, the pessimistic end 2.43 does not → false
///   bool pass = cltv::passes_check(r).value_or(false);
[[nodiscard]] std::optional<bool> passes_check(const ltv_result& r);

/// The rules of `cltv check`: LTV ≥ target × CAC, and, when a scenario gives
/// max_payback, CAC paid back within it.
enum class check_rule {
  ltv_cac,  ///< LTV:CAC ≥ target (passes_check)
  payback,  ///< CAC / margin per period ≤ max_payback (meets_payback)
};

/// "ltv_cac", "payback": the names JSON and CSV use.
[[nodiscard]] std::string_view to_string(check_rule rule) noexcept;

/// Whether a payback of `payback` periods is within `max_payback`, with the
/// relative tolerance of meets_target (1e-9), so that a CAC of exactly
/// 12 × margin computed as 12.000000000000002 periods passes.
/// Example: payback_within(600 / 39.2, 12) == false (15.31 months).
[[nodiscard]] constexpr bool payback_within(double payback, double max_payback) noexcept {
  return payback <= max_payback * (1.0 + 1e-9);
}

/// The check's verdict rule by rule: each is absent when it does not apply
/// (no ratio: no CAC or CAC 0; no max_payback).
struct check_verdict {
  std::optional<bool> ltv_cac;  ///< passes_check
  std::optional<bool> payback;  ///< ltv_result::meets_payback
  /// Every rule that applies is met; absent when none applies.
  [[nodiscard]] std::optional<bool> passes() const noexcept;
  /// Whether `rule` applies and fails.
  [[nodiscard]] bool fails(check_rule rule) const noexcept;
};

/// The verdict of each of the check's rules on a result.
///
/// Example:
///   // arpu 49, churn 3.5 %, gross margin 80 %, cac 600, max_payback 12:
///   // LTV 39.2 / 0.035 = 1120 = 1.87 × CAC < 3; payback 600 / 39.2 = 15.31 > 12
///   auto v = cltv::judge(r);  // v.ltv_cac == false, v.payback == false
[[nodiscard]] check_verdict judge(const ltv_result& r);

/// The expected payback of a scenario with a CAC: the period in which a new
/// customer's expected cumulative margin — each period's margin weighted by
/// the chance the customer is still there (retention (1 − c)^t, the sBG
/// curve S(t), or 1 up to a fixed lifetime, whose last period counts its
/// fraction) and discounted by (1 + d)^t, over at most the horizon — reaches
/// the CAC. Payments at the start of each period, as everywhere (formulas.hpp).
///
/// Convention (the textbook payback period): whole periods before the one in
/// which the CAC is recovered, plus the unrecovered part / that period's
/// expected margin: fractional, with the margin accruing evenly within a
/// period. Without churn, discount or horizon it equals the simple payback
/// CAC / margin. nullopt ("never") when the expected cumulative margin never
/// reaches CAC (LTV < CAC), when the margin is not positive, when there is
/// no CAC, or when it is not reached within 10,000 periods.
///
/// Example (hand-worked in tests/unit/ltv_test.cpp):
///   // margin 39.20, churn 3.5 %, CAC 600: cumulative after n periods is
///   // 39.2 (1 − 0.965^n) / 0.035; 589.98 after 21, + 18.55 in the 22nd:
///   // 21 + (600 − 589.98) / 18.55 = 21.54 periods (simple payback 15.31)
///   std::optional<double> n = cltv::expected_payback(*cltv::resolve(in));
[[nodiscard]] std::optional<double> expected_payback(const scenario& s);
/// expected_payback with `s`'s evaluate() result at hand (a writer has it):
/// the LTV it already holds is not computed again.
[[nodiscard]] std::optional<double> expected_payback(const scenario& s, const ltv_result& r);

/// resolve() then evaluate().
[[nodiscard]] result<ltv_result> calculate(const scenario_input& input);

}  // namespace cltv
