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

void append_base_summary_table(std::string& out, const models::base_summary& summary,
                               std::string_view value_name, std::string_view horizon) {
  const double n = static_cast<double>(summary.customers);
  out += fmt::format("Expected active     {} of {} customers ({:.1f}%)\n",
                     grouped(summary.expected_active, 1), grouped(n, 0),
                     n > 0 ? summary.expected_active / n * 100 : 0.0);
  out += "P(alive)            ";
  for (std::size_t k = 0; k < summary.alive_bands.size(); ++k) {
    const models::alive_band& b = summary.alive_bands[k];
    out += fmt::format("{}{:.0f}-{:.0f}% {}", k ? ", " : "", b.from * 100, b.to * 100,
                       grouped(static_cast<double>(b.customers), 0));
  }
  out += '\n';
  out +=
      fmt::format("Expected purchases  {} {}\n", grouped(summary.expected_purchases, 1), horizon);
  if (summary.expected_value)
    out += fmt::format("Total {:<13} {}\n", value_name, money(*summary.expected_value));
}

void append_top_customers_table(std::string& out, const models::base_summary& summary,
                                const summary_data& customers, std::string_view value_name) {
  if (summary.top.empty()) return;
  out += fmt::format("Top {} customers by {}\n", summary.top.size(),
                     summary.expected_value ? value_name : "expected purchases");
  out += fmt::format("{:>12} {:>9} {:>8} {:>8} {:>8} {:>10} {:>12}\n", customers.id_name,
                     "frequency", "recency", "T", "P(alive)", "purchases",
                     summary.expected_value ? value_name : "");
  for (const models::top_customer& c : summary.top) {
    const models::rfm_tuple& r = customers.rows[c.index];
    out += fmt::format("{:>12} {:>9} {:>8} {:>8} {:>8} {:>10} {:>12}\n",
                       printable(customers.id(c.index)), trimmed_number(r.x, 2),
                       trimmed_number(r.t_x, 2), trimmed_number(r.T, 2),
                       fmt::format("{:.3f}", c.probability_alive),
                       trimmed_number(c.expected_purchases, 3), c.value ? money(*c.value) : "");
  }
}

void append_base_summary_json(std::string& out, const models::base_summary& summary,
                              const summary_data& customers) {
  out += ",\"summary\":{\"customers\":";
  out += std::to_string(summary.customers);
  append_number_member(out, "expected_active", summary.expected_active);
  out += ",\"alive_bands\":[";
  for (std::size_t k = 0; k < summary.alive_bands.size(); ++k) {
    const models::alive_band& b = summary.alive_bands[k];
    if (k > 0) out += ',';
    out += "{\"from\":";
    append_number(out, b.from);
    append_number_member(out, "to", b.to);
    out += fmt::format(",\"customers\":{}}}", b.customers);
  }
  out += ']';
  append_number_member(out, "expected_purchases", summary.expected_purchases);
  out += ",\"expected_value\":";
  if (summary.expected_value) {
    append_number(out, *summary.expected_value);
  } else {
    out += "null";
  }
  out += ",\"top\":[";
  for (std::size_t k = 0; k < summary.top.size(); ++k) {
    const models::top_customer& c = summary.top[k];
    if (k > 0) out += ',';
    out += '{';
    append_json_string(out, customers.id_name);
    out += ':';
    append_json_string(out, customers.id(c.index));
    append_number_member(out, "p_alive", c.probability_alive);
    append_number_member(out, "expected_purchases", c.expected_purchases);
    out += ",\"value\":";
    if (c.value) {
      append_number(out, *c.value);
    } else {
      out += "null";
    }
    out += '}';
  }
  out += "]}";
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
