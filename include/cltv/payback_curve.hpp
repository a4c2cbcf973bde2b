#pragma once
// The payback curve of a scenario: the expected margin an acquired customer
// has paid by each period, cumulated, against the CAC that bought her — the
// series behind `cltv plot payback`.

#include <optional>
#include <vector>

#include "cltv/error.hpp"
#include "cltv/ltv.hpp"
#include "cltv/scenario.hpp"

namespace cltv {

/// The most periods a payback curve spans unless asked for more.
inline constexpr int default_max_curve_periods = 600;

/// One point of the curve: after `period` periods (0, 1, 2, …), the expected
/// (survival-weighted, discounted) margin of the payments made at the starts
/// of periods 0 … period − 1.
struct payback_point {
  int period = 0;
  double margin = 0;      ///< the payment of period − 1 (0 at period 0)
  double cumulative = 0;  ///< the sum of the payments so far
};

/// A scenario's payback curve and the marks drawn on it.
struct payback_curve {
  cltv::period period = period::month;
  std::vector<payback_point> points;  ///< periods 0 … N
  double ltv = 0;                     ///< where the curve ends as N grows (evaluate's LTV)
  std::optional<double> cac;
  double target = default_target;
  std::optional<double> target_ltv;     ///< target × CAC, with a CAC
  std::optional<double> ltv_cac_ratio;  ///< LTV / CAC, when CAC > 0 (evaluate's)
  std::optional<bool> meets_target;     ///< ratio ≥ target, when there is a ratio
  /// Where the curve first reaches the CAC, in periods (linear between the
  /// points): the expected payback. Absent without a CAC, or when the curve
  /// stays below it over the periods drawn.
  std::optional<double> expected_payback;
  /// calc's simple payback, CAC / margin per period (ltv_result::cac_payback),
  /// which ignores churn and discounting: never later than the expected one.
  std::optional<double> simple_payback;
  /// The curve stays below the CAC for ever (LTV < CAC); distinct from a
  /// payback that only lies past the periods drawn.
  bool never_paid_back = false;
};

/// The cumulative expected margin of `s` by period, the same sums evaluate()
/// makes, stopped early: C(n) = value × gross margin × Σ_{t<n} w(t) (1 + g)^t
/// − cost to serve × Σ_{t<n} w(t), w(t) = S(t) / (1 + d)^t, with S(t) the
/// share still paying at the start of period t ((1 − c)^t, the sBG curve, or
/// 1 for t below a fixed lifetime L; a fractional L ends the sum as
/// paid_periods_fixed does). C(H) is the LTV with a horizon H; without one,
/// C(n) → LTV.
///
/// The curve spans `periods` periods when given (1 … 10000), else: the
/// horizon; or, for a fixed lifetime, ⌈L⌉; otherwise until it is within 5 %
/// of the LTV and past the expected and simple paybacks (by a quarter),
/// at least 12 months or 3 years and at most default_max_curve_periods.
/// Fails on a `periods` out of range, or as evaluate() does.
///
/// Example:
///   // arpu 50, churn 4 %, cac 300: C(n) = 50 (1 − 0.96^n) / 0.04 = 1250 (1 − 0.96^n);
///   // C(6) = 271.55, C(7) = 310.69: expected payback 6 + 28.45 / 39.14 ≈ 6.73 months,
///   // simple payback 300 / 50 = 6 months
///   auto curve = cltv::make_payback_curve(*cltv::resolve(in), std::nullopt);
[[nodiscard]] result<payback_curve> make_payback_curve(const scenario& s,
                                                       std::optional<int> periods);

}  // namespace cltv
