#include "io/predictions.hpp"

#include <fmt/format.h>

#include <vector>

#include "cltv/models/dert.hpp"
#include "cltv/number.hpp"
#include "cltv/time_unit.hpp"
#include "io/text.hpp"

namespace cltv::cli {

void record_writer::header(std::string& out) const {
  if (format != output_format::csv) return;
  const char* separator = "";
  if (!id_name.empty()) {
    append_csv_field(out, id_name);
    separator = ",";
  }
  for (const char* n : names) {
    (out += separator) += n;
    separator = ",";
  }
  for (const constant_field& c : constants) (out += ',') += c.name;
  out += '\n';
}

void record_writer::row(std::string& out, std::string_view id, std::span<const double> values) {
  if (format == output_format::csv) {
    const char* separator = "";
    if (!id_name.empty()) {
      append_csv_field(out, id);
      separator = ",";
    }
    for (const double v : values) {
      out += separator;
      separator = ",";
      append_number(out, v);
    }
    for (const constant_field& c : constants) (out += ',') += c.text;
    out += '\n';
    return;
  }
  if (format == output_format::json && !first) out += ',';
  first = false;
  out += '{';
  const char* separator = "";
  if (!id_name.empty()) {
    append_json_string(out, id_name);
    out += ':';
    append_json_string(out, id);
    separator = ",";
  }
  for (std::size_t i = 0; i < values.size(); ++i) {
    out += separator;
    separator = ",";
    out += '"';
    out += names[i];
    out += "\":";
    append_number(out, values[i]);
  }
  for (const constant_field& c : constants) {
    out += ",\"";
    out += c.name;
    out += "\":";
    if (c.quoted) {
      append_json_string(out, c.text);
    } else {
      out += c.text;
    }
  }
  out += '}';
  if (format == output_format::ndjson) out += '\n';
}

result<std::optional<double>> stated_time_unit(const fitted_models& models,
                                               const summary_data& summary,
                                               std::optional<double> given) {
  std::vector<time_unit_statement> statements;
  if (given) statements.push_back({"--time-unit says", *given});
  statements.insert(statements.end(), models.units.begin(), models.units.end());
  if (summary.stamp.time_unit_days)
    statements.push_back(
        {(summary.of_log ? "the summary of " + summary.name : the_summary(summary.name)) + " is in",
         *summary.stamp.time_unit_days});
  return agreed_time_unit(statements);
}

namespace {

// "week" for "weeks", "unit of 3 days" for "units of 3 days".
std::string singular(const std::string& plural) {
  if (plural.starts_with("units")) return "unit" + plural.substr(5);
  return plural.ends_with('s') ? plural.substr(0, plural.size() - 1) : plural;
}

}  // namespace

result<chosen_discount> choose_continuous_discount(const std::string& continuous,
                                                   std::optional<double> monthly,
                                                   double days_per_month,
                                                   std::optional<double> unit_days) {
  const std::string unit = unit_days ? time_unit_name(*unit_days) : "time unit";
  if (!continuous.empty()) {
    auto delta = parse_number("continuous_discount", continuous, number_style::plain);
    if (delta) delta = models::check_continuous_discount(*delta);
    if (!delta) return std::move(delta).error();
    return chosen_discount{*delta, fmt::format("{} per {} (--continuous-discount)",
                                               format_significant(*delta, 4), singular(unit))};
  }
  if (!monthly || *monthly <= 0)
    return error{"continuous_discount",
                 "DERT needs a discount rate > 0: --continuous-discount RATE per time unit, or "
                 "--discount-rate RATE per month"};
  if (!unit_days)
    return error{"time_unit",
                 "--discount-rate is per month: nothing states the summary's time unit to "
                 "convert it (give --time-unit, or --continuous-discount per time unit)"};
  auto delta = models::continuous_discount_rate(*monthly, days_per_month, *unit_days);
  if (!delta) return std::move(delta).error();
  return chosen_discount{
      *delta, fmt::format("{} per {} (ln(1 + {}) per month of {} {})",
                          format_significant(*delta, 4), singular(unit), percent(*monthly),
                          trimmed_number(days_per_month / *unit_days, 4), unit)};
}

error at_customer(const summary_data& s, std::size_t i, const error& e) {
  // A log's summary has no rows of its own to point at: the customer says it.
  if (s.of_log)
    return error{e.field,
                 fmt::format("{}: customer {}: {}", s.name, printable(s.id(i)), e.message)};
  return error{e.field, fmt::format("{}: customer {} (row {}): {}", s.name, printable(s.id(i)),
                                    i + 1, e.message)};
}

}  // namespace cltv::cli
