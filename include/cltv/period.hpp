#pragma once
// The period every rate and amount is stated in, and conversions between
// monthly and annual figures.

#include <optional>
#include <string>
#include <string_view>

#include "cltv/error.hpp"

namespace cltv {

/// The unit of time all rates and per-period amounts of a scenario refer to.
enum class period { month, year };

/// "month" / "year".
[[nodiscard]] std::string_view to_string(period p) noexcept;

/// "months" / "years" (for amounts of time: "25 months").
[[nodiscard]] std::string_view plural(period p) noexcept;

/// Parses "month" or "year" (also "monthly", "yearly", "annual"), ignoring ASCII
/// case; nullopt otherwise.
[[nodiscard]] std::optional<period> parse_period(std::string_view text) noexcept;

/// parse_period, failing with a message that names `field`:
/// period must be "month" or "year", got "week".
[[nodiscard]] result<period> parse_period(std::string_view field, std::string_view text);

/// Share of customers lost over a year when `monthly_churn` are lost each month:
/// 1 − (1 − c)^12. Example: annual_churn_from_monthly(0.05) ≈ 0.4596.
[[nodiscard]] double annual_churn_from_monthly(double monthly_churn) noexcept;

/// Monthly churn that compounds to `annual_churn` over twelve months:
/// 1 − (1 − C)^(1/12). The inverse of annual_churn_from_monthly.
[[nodiscard]] double monthly_churn_from_annual(double annual_churn) noexcept;

/// Revenue per year from revenue per month: ARPU × 12.
[[nodiscard]] constexpr double annual_from_monthly_amount(double per_month) noexcept {
  return per_month * 12.0;
}

/// Monthly ARPU equivalent of an annual plan's price: price / 12.
[[nodiscard]] constexpr double monthly_from_annual_amount(double per_year) noexcept {
  return per_year / 12.0;
}

/// Discount rate per year equivalent to `monthly_rate` compounded over twelve
/// months: (1 + d)^12 − 1. Example: annual_rate_from_monthly(0.01) ≈ 0.126825.
[[nodiscard]] double annual_rate_from_monthly(double monthly_rate) noexcept;

/// Discount rate per month that compounds to `annual_rate` over twelve months:
/// (1 + D)^(1/12) − 1. The inverse of annual_rate_from_monthly.
[[nodiscard]] double monthly_rate_from_annual(double annual_rate) noexcept;

/// A quantity stated per period that convert_period restates in the other.
enum class periodic_quantity { churn, arpu, discount_rate };

/// Its field name: "churn", "arpu", "discount_rate".
[[nodiscard]] std::string_view to_string(periodic_quantity q) noexcept;

/// One quantity restated from one period in the other.
struct period_conversion {
  periodic_quantity quantity = periodic_quantity::churn;
  period from = period::month, to = period::year;
  double value = 0;      ///< per `from`, as given
  double converted = 0;  ///< per `to`
  /// The rule, in letters: lower case a month's value, upper case a year's
  /// ("1 − (1 − c)^12", "V / 12").
  std::string_view formula;
  /// The rule with the value written in: "1 − (1 − 0.035)^12".
  std::string worked;
};

/// Restates `value`, a `quantity` per the period other than `to`, per `to`:
/// churn 1 − (1 − c)^12 a year (1 − (1 − C)^(1/12) a month), ARPU × 12 (/ 12),
/// discount rate (1 + d)^12 − 1 ((1 + D)^(1/12) − 1). Fails, naming the field
/// and the value, on churn outside [0, 1) (a bare number above 1 names its %
/// form: churn 3.5 for 3.5 %), or a negative or non-finite ARPU or discount
/// rate.
///
/// Example:
///   // 3.5 % a month: 1 − 0.965^12 ≈ 34.75 % a year
///   auto c = cltv::convert_period(cltv::periodic_quantity::churn, 0.035, cltv::period::year);
[[nodiscard]] result<period_conversion> convert_period(periodic_quantity quantity, double value,
                                                       period to);

}  // namespace cltv
