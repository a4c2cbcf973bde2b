#include "io/predictions.hpp"

#include <fmt/format.h>

#include "cltv/number.hpp"
#include "io/text.hpp"

namespace cltv::cli {

result<record_format> parse_format(const std::string& text, bool table_allowed) {
  if (text == "csv") return record_format::csv;
  if (text == "ndjson") return record_format::ndjson;
  if (text == "json") return record_format::json;
  if (text == "table" && table_allowed) return record_format::table;
  return error{"format", fmt::format("format must be {}csv, ndjson or json, got \"{}\"",
                                     table_allowed ? "table, " : "", printable(text))};
}

void record_writer::header(std::string& out) const {
  if (format != record_format::csv) return;
  append_csv_field(out, id_name);
  for (const char* n : names) (out += ',') += n;
  out += '\n';
}

void record_writer::row(std::string& out, std::string_view id, std::span<const double> values) {
  if (format == record_format::csv) {
    append_csv_field(out, id);
    for (const double v : values) {
      out += ',';
      append_number(out, v);
    }
    out += '\n';
    return;
  }
  if (format == record_format::json && !first) out += ',';
  first = false;
  out += '{';
  append_json_string(out, id_name);
  out += ':';
  append_json_string(out, id);
  for (std::size_t i = 0; i < values.size(); ++i) {
    out += ",\"";
    out += names[i];
    out += "\":";
    append_number(out, values[i]);
  }
  out += '}';
  if (format == record_format::ndjson) out += '\n';
}

error at_customer(const summary_data& s, std::size_t i, const error& e) {
  return error{e.field, fmt::format("{}: customer {} (row {}): {}", s.name, printable(s.id(i)),
                                    i + 1, e.message)};
}

}  // namespace cltv::cli
