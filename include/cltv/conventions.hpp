#pragma once
// The same scenario under the LTV conventions people meet in practice, side
// by side, so that a user can see why two dashboards disagree.

#include <optional>
#include <string_view>
#include <vector>

#include "cltv/error.hpp"
#include "cltv/scenario.hpp"

namespace cltv {

/// The churn floor one large billing platform documents for customers with
/// no observed churn: 1.67 % per month (a lifetime of about 60 months).
inline constexpr double churn_floor_per_month = 0.0167;

/// The churn floor in the scenario's period: 1.67 % per month, or
/// 1 − (1 − 0.0167)^12 ≈ 18.33 % per year.
[[nodiscard]] double churn_floor(period p) noexcept;

/// One convention's LTV. All are infinite sums over a churn-based lifetime:
/// none counts the horizon, and only Skok's counts expansion.
struct convention_value {
  std::string_view key;         ///< machine name: "start_of_period"
  std::string_view name;        ///< "Payment at the start of each period"
  std::string_view definition;  ///< "m (1 + d) / (1 + d − r)"
  /// nullopt when the sum is unbounded (churn 0 and, where it counts, no
  /// discount rate) or too large for a double.
  std::optional<double> ltv;
};

/// The scenario under each convention, in this order (v value per period,
/// gm gross margin, m = v·gm − cost to serve, c churn, r = 1 − c, d discount
/// rate, G expansion):
///   arpu_over_churn   v / c
///   gross_margin      v · gm / c
///   start_of_period   m (1 + d) / (1 + d − r)      (cltv's own, without horizon or expansion)
///   end_of_period     m / (1 + d − r)
///   gupta_lehmann     m r / (1 + d − r)            (Gupta & Lehmann 2003: pay after surviving)
///   skok              m [1/(1 − K) + G K/(1 − K)²], K = (1 − c)(1 − d)   (only when d < 1)
///   churn_floor       v / max(c, floor)            (only when c = 0; see churn_floor)
/// Fails, naming the field, when the lifetime is fixed: the conventions are
/// about churn.
///
/// Example:
///   // arpu 50, churn 4 %: v / c = 1250, start 1250, end 1250, Gupta–Lehmann 1200
///   auto rows = cltv::reconcile(*cltv::resolve(in));
[[nodiscard]] result<std::vector<convention_value>> reconcile(const scenario& s);

}  // namespace cltv
