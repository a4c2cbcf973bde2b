#include "io/predictions.hpp"

#include <fmt/format.h>

#include <vector>

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

error at_customer(const summary_data& s, std::size_t i, const error& e) {
  // A log's summary has no rows of its own to point at: the customer says it.
  if (s.of_log)
    return error{e.field,
                 fmt::format("{}: customer {}: {}", s.name, printable(s.id(i)), e.message)};
  return error{e.field, fmt::format("{}: customer {} (row {}): {}", s.name, printable(s.id(i)),
                                    i + 1, e.message)};
}

}  // namespace cltv::cli
