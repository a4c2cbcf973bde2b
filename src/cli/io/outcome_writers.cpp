#include "io/outcome_writers.hpp"

#include <variant>

#include "io/segment_writers.hpp"

namespace cltv::cli {
namespace {

// The plain scenario's what-if, if it has one.
const calculation* with_what_if(const outcome& o) {
  const auto* c = std::get_if<calculation>(&o.value);
  return c && c->what_if ? c : nullptr;
}

}  // namespace

result_writer::result_writer(const writer_options& options, output& out)
    : options_(options), out_(out) {
  if (options_.format == output_format::csv) out_.write(csv_header(options_));
}

void result_writer::write(const outcome& o) {
  std::string& buf = out_.buffer();
  const bool segmented = std::holds_alternative<segmented_calculation>(o.value);
  // A batch as one JSON array; a single scenario as one object.
  const bool array = options_.format == output_format::json && options_.batch;
  switch (options_.format) {
    case output_format::json:
    case output_format::ndjson:
      if (array) buf += written_ == 0 ? "[\n" : ",\n";
      if (segmented)
        append_segmented_json(buf, o);
      else
        append_json_record(buf, o);
      if (const calculation* c = with_what_if(o)) {
        buf.pop_back();  // the record's closing brace: the what-if goes inside
        append_plan_what_if_json(buf, *c);
        buf += '}';
      }
      if (!array) buf += '\n';
      break;
    case output_format::csv:
      if (segmented)
        append_segmented_csv(buf, o, options_);
      else
        append_csv_row(buf, o, "", options_);
      if (with_what_if(o)) append_plan_what_if_csv(buf, o, options_);
      break;
    case output_format::table:
      if (segmented)
        append_segmented_table(buf, o, options_);
      else
        append_table(buf, o, options_, plain_written_++ == 0);
      if (with_what_if(o)) append_plan_what_if_table(buf, o, options_);
      break;
  }
  ++written_;
  out_.maybe_flush();
}

void result_writer::finish() {
  if (options_.format == output_format::json && options_.batch)
    out_.write(written_ == 0 ? "[]\n" : "\n]\n");
}

std::unique_ptr<result_writer> make_writer(const writer_options& options, output& out) {
  return std::make_unique<result_writer>(options, out);
}

}  // namespace cltv::cli
