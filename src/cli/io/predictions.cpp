#include "io/predictions.hpp"

#include <fmt/format.h>

#include "cltv/number.hpp"
#include "io/text.hpp"

namespace cltv::cli {

void record_writer::header(std::string& out) const {
  if (format != output_format::csv) return;
  append_csv_field(out, id_name);
  for (const char* n : names) (out += ',') += n;
  out += '\n';
}

void record_writer::row(std::string& out, std::string_view id, std::span<const double> values) {
  if (format == output_format::csv) {
    append_csv_field(out, id);
    for (const double v : values) {
      out += ',';
      append_number(out, v);
    }
    out += '\n';
    return;
  }
  if (format == output_format::json && !first) out += ',';
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
  if (format == output_format::ndjson) out += '\n';
}

error at_customer(const summary_data& s, std::size_t i, const error& e) {
  return error{e.field, fmt::format("{}: customer {} (row {}): {}", s.name, printable(s.id(i)),
                                    i + 1, e.message)};
}

}  // namespace cltv::cli
