#include "cltv/time_unit.hpp"

#include <cmath>

#include "cltv/number.hpp"

namespace cltv {

double period_days(period_unit unit) noexcept {
  switch (unit) {
    case period_unit::week:
      return 7;
    case period_unit::month:
      return days_per_month;
    case period_unit::year:
      return 12 * days_per_month;
    case period_unit::day:
      break;
  }
  return 1;
}

result<double> parse_time_unit(std::string_view text) {
  if (text == "days" || text == "day") return 1.0;
  if (text == "weeks" || text == "week") return 7.0;
  if (text == "months" || text == "month") return days_per_month;
  if (text == "years" || text == "year") return 12 * days_per_month;
  auto days = parse_number("time_unit", text, number_style::plain);
  if (!days || !(std::isfinite(*days) && *days > 0))
    return error{
        "time_unit",
        "time_unit must be days, weeks, months, years or a positive number of days, got \"" +
            printable(text) + "\""};
  return *days;
}

std::string time_unit_name(double days) {
  if (days == 1) return "days";
  if (days == 7) return "weeks";
  if (days == days_per_month) return "months";
  if (days == 12 * days_per_month) return "years";
  return "units of " + format_shortest(days) + " days";
}

std::string time_unit_measure(double days) {
  return "units of " + format_shortest(days) + (days == 1 ? " day" : " days");
}

result<std::optional<double>> agreed_time_unit(std::span<const time_unit_statement> statements) {
  if (statements.empty()) return std::optional<double>();
  const time_unit_statement& first = statements.front();
  for (const time_unit_statement& s : statements.subspan(1))
    if (s.days != first.days)
      return error{"time_unit", "time_unit: " + first.subject + " " +
                                    time_unit_measure(first.days) + " but " + s.subject + " " +
                                    time_unit_measure(s.days)};
  return std::optional<double>(first.days);
}

}  // namespace cltv
