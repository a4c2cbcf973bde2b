#include "io/outcome_writers.hpp"

#include <variant>

#include "io/segment_writers.hpp"

namespace cltv::cli {
namespace {

bool has_segments(const outcome& o) {
  return std::holds_alternative<segmented_calculation>(o.value);
}

void append_json(std::string& out, const outcome& o) {
  if (has_segments(o))
    append_segmented_json(out, o);
  else
    append_json_record(out, o);
}

class ndjson_writer final : public result_writer {
 public:
  explicit ndjson_writer(output& out) : out_(out) {}
  void write(const outcome& o) override {
    append_json(out_.buffer(), o);
    out_.buffer() += '\n';
    out_.maybe_flush();
  }

 private:
  output& out_;
};

// A batch as one JSON array; a single scenario as one object.
class json_writer final : public result_writer {
 public:
  json_writer(output& out, bool batch) : out_(out), batch_(batch) {}
  void write(const outcome& o) override {
    std::string& buf = out_.buffer();
    if (batch_) buf += count_++ == 0 ? "[\n" : ",\n";
    append_json(buf, o);
    if (!batch_) buf += '\n';
    out_.maybe_flush();
  }
  void finish() override {
    if (batch_) out_.write(count_ == 0 ? "[]\n" : "\n]\n");
  }

 private:
  output& out_;
  bool batch_;
  std::size_t count_ = 0;
};

class csv_writer final : public result_writer {
 public:
  csv_writer(output& out, const writer_options& options) : out_(out), options_(options) {
    out_.write(csv_header(options_));
  }
  void write(const outcome& o) override {
    if (has_segments(o))
      append_segmented_csv(out_.buffer(), o, options_);
    else
      append_csv_row(out_.buffer(), o, "", options_);
    out_.maybe_flush();
  }

 private:
  output& out_;
  writer_options options_;
};

class table_writer final : public result_writer {
 public:
  table_writer(output& out, const writer_options& options) : out_(out), options_(options) {}
  void write(const outcome& o) override {
    if (has_segments(o)) {
      append_segmented_table(out_.buffer(), o, options_);
    } else {
      append_table(out_.buffer(), o, options_, !plain_written_);
      plain_written_ = true;
    }
    out_.maybe_flush();
  }

 private:
  output& out_;
  writer_options options_;
  bool plain_written_ = false;  // calc's batch table has its header
};

}  // namespace

std::unique_ptr<result_writer> make_writer(const writer_options& options, output& out) {
  switch (options.format) {
    case output_format::ndjson:
      return std::make_unique<ndjson_writer>(out);
    case output_format::json:
      return std::make_unique<json_writer>(out, options.batch);
    case output_format::csv:
      return std::make_unique<csv_writer>(out, options);
    case output_format::table:
      break;
  }
  return std::make_unique<table_writer>(out, options);
}

}  // namespace cltv::cli
