#pragma once
// The unit a summary's times (recency, T, the holdout's length) are in, as a
// number of days: one meaning of `--time-unit` in every command, and the
// rule that the statements of a unit (a summary's, a model's, the user's)
// must agree instead of one being guessed.

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "cltv/date.hpp"
#include "cltv/error.hpp"

namespace cltv {

/// Days in a month: a year over 12 (365.25 / 12 = 30.4375), the unit of a
/// monthly summary.
inline constexpr double days_per_month = 365.25 / 12;

/// The length of one period of `unit` in days: 1, 7 or 30.4375 (a month on
/// average; calendar months differ).
///
/// Example: period_days(period_unit::week) == 7.
[[nodiscard]] double period_days(period_unit unit) noexcept;

/// The time unit named by `text`, in days: "days" (or "day") 1, "weeks" (or
/// "week") 7, "months" (or "month") 30.4375, or a positive number of days.
/// Fails on anything else (field "time_unit").
///
/// Example: parse_time_unit("weeks") == 7; parse_time_unit("3") == 3.
[[nodiscard]] result<double> parse_time_unit(std::string_view text);

/// The unit for people: "days", "weeks", "months" or "units of 3 days".
[[nodiscard]] std::string time_unit_name(double days);

/// The unit as a measure, for messages that compare units: "units of 1
/// day", "units of 7 days".
[[nodiscard]] std::string time_unit_measure(double days);

/// Who states a unit, and which: `subject` opens the clause ("the summary
/// s.csv is in", "--time-unit says").
struct time_unit_statement {
  std::string subject;
  double days = 1;
};

/// The unit all `statements` agree on, nullopt when there are none (the unit
/// is unknown). Fails (field "time_unit") at the first statement that
/// differs from the first one, naming both:
/// "time_unit: the model m.json is in units of 7 days but the summary s.csv
/// is in units of 1 day".
[[nodiscard]] result<std::optional<double>> agreed_time_unit(
    std::span<const time_unit_statement> statements);

}  // namespace cltv
