#pragma once
// The period every rate and amount is stated in, and conversions between
// monthly and annual figures.

#include <optional>
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

}  // namespace cltv
