#include "io/record_reader.hpp"

#include <algorithm>
#include <cstring>
#include <string_view>
#include <utility>

#include "io/json_scan.hpp"
#include "io/scenario_csv.hpp"
#include "io/scenario_json.hpp"

namespace cltv::cli {
namespace {

constexpr std::size_t initial_capacity = std::size_t{1} << 20;

}  // namespace

scenario_format scenario_format_of(const std::string& path, const std::string& input_format) {
  if (input_format == "csv") return scenario_format::csv;
  if (!input_format.empty()) return scenario_format::json;
  constexpr std::string_view csv_extension = ".csv";
  if (path.size() < csv_extension.size()) return scenario_format::json;
  const std::string_view tail = std::string_view(path).substr(path.size() - csv_extension.size());
  const bool is_csv = std::equal(tail.begin(), tail.end(), csv_extension.begin(),
                                 [](char a, char b) { return (a | 0x20) == b; });
  return is_csv ? scenario_format::csv : scenario_format::json;
}

bool parse_record(scenario_parser& parser, const record& rec, parsed_scenario& out, error& err) {
  if (rec.failure) {
    out = parsed_scenario{};
    err = *rec.failure;
    return false;
  }
  return parser.parse(rec.text, out, err);
}

result<record_reader> record_reader::open(const std::string& path, scenario_format format) {
  if (format == scenario_format::csv) {
    auto csv = scenario_csv_reader::open(path);
    if (!csv) return std::move(csv).error();
    return record_reader(std::move(*csv));
  }
  auto source = byte_source::open(path, byte_source::decoding::raw);
  if (!source) return std::move(source).error();
  return record_reader(std::move(*source));
}

record_reader::record_reader(byte_source source)
    : text_(std::move(source), initial_capacity, json_padding) {}

// text_ holds nothing: the rows come from csv_.
record_reader::record_reader(scenario_csv_reader csv)
    : text_(byte_source::from_string({}, byte_source::decoding::raw), 0, json_padding),
      started_(true),
      csv_(std::make_unique<scenario_csv_reader>(std::move(csv))) {}

record_reader::record_reader(record_reader&&) noexcept = default;
record_reader& record_reader::operator=(record_reader&&) noexcept = default;
record_reader::~record_reader() = default;

const std::optional<error>& record_reader::fatal() const noexcept {
  return csv_ ? csv_->fatal() : fatal_;
}

const std::string& record_reader::name() const noexcept {
  return csv_ ? csv_->name() : text_.source.name();
}

void record_reader::set_fatal(std::string message) {
  if (!fatal_) fatal_ = error{"input", std::move(message)};
  done_ = true;
}

bool record_reader::fill() {
  if (text_.fill()) return true;
  if (text_.broken) set_fatal(text_.failure()->message);
  return false;
}

bool record_reader::read_all() {
  while (fill()) {
  }
  return !fatal_;
}

void record_reader::detect_shape() {
  // Find the first byte that is not whitespace or a UTF-8 byte order mark.
  text_.skip_bom();
  if (text_.broken) return set_fatal(text_.failure()->message);
  const char* data = nullptr;
  std::size_t pos = 0;
  for (;;) {
    data = text_.buf.data();  // fill() may move it
    while (text_.begin + pos < text_.end && is_json_space(data[text_.begin + pos])) ++pos;
    if (text_.begin + pos < text_.end) break;
    if (!fill()) {
      if (!fatal_) set_fatal("no scenario in " + name() + ": the input is empty");
      return;
    }
  }
  const char first = data[text_.begin + pos];
  if (first == '[') {
    shape_ = input_shape::array;
    if (!read_all()) return;
    for (std::size_t i = 0; i < pos; ++i)
      if (text_.buf[text_.begin + i] == '\n') ++text_.line;
    text_.begin += pos + 1;  // past '['
    return;
  }
  if (first == '{') {
    // NDJSON when the first value ends on its first line.
    std::size_t searched = pos;  // relative to begin; fill() may move the data
    for (;;) {
      const char* from = text_.buf.data() + text_.begin + pos;
      const char* nl = static_cast<const char*>(std::memchr(
          text_.buf.data() + text_.begin + searched, '\n', text_.end - text_.begin - searched));
      searched = text_.end - text_.begin;
      if (nl || text_.eof) {
        std::size_t lines = 0;
        const char* line_end = nl ? nl : text_.buf.data() + text_.end;
        if (json_value_end(from, line_end, lines)) {
          shape_ = input_shape::lines;
          return;
        }
        break;
      }
      if (!fill() && fatal_) return;
    }
    shape_ = input_shape::values;
    read_all();
    return;
  }
  shape_ = input_shape::lines;  // not JSON: each line becomes an error record
}

std::optional<record> record_reader::next() {
  if (csv_) return csv_->next();
  if (!started_) {
    started_ = true;
    detect_shape();
  }
  if (done_) return std::nullopt;
  switch (shape_) {
    case input_shape::lines:
      return next_line();
    case input_shape::values:
      return next_value();
    case input_shape::array:
      return next_element();
  }
  return std::nullopt;
}

std::optional<record> record_reader::next_line() {
  record r;
  const std::optional<std::string_view> line = text_.next_line(r.line);
  if (!line) {
    if (text_.broken) set_fatal(text_.failure()->message);
    done_ = true;
    return std::nullopt;
  }
  r.text = *line;
  r.index = index_++;
  return r;
}

void record_reader::skip_space() {
  const char* data = text_.buf.data();
  while (text_.begin < text_.end && is_json_space(data[text_.begin])) {
    if (data[text_.begin] == '\n') ++text_.line;
    ++text_.begin;
  }
}

record record_reader::take_value(bool& complete) {
  const char* data = text_.buf.data();
  record r;
  r.line = text_.line;
  r.index = index_++;
  const char* start = data + text_.begin;
  const char* stop = json_value_end(start, data + text_.end, text_.line);
  complete = stop != nullptr;
  if (!complete) {  // truncated: the parser reports it, with this record's line
    r.text = std::string_view(start, text_.end - text_.begin);
    text_.begin = text_.end;
    return r;
  }
  r.text = std::string_view(start, static_cast<std::size_t>(stop - start));
  text_.begin = static_cast<std::size_t>(stop - data);
  return r;
}

void record_reader::close_array() {
  ++text_.begin;  // past ']'
  skip_space();
  if (text_.begin < text_.end)
    set_fatal("invalid JSON in " + name() + ": content after the array (line " +
              std::to_string(text_.line) + ")");
  done_ = true;
}

std::optional<record> record_reader::next_value() {
  skip_space();
  if (text_.begin == text_.end) {
    done_ = true;
    return std::nullopt;
  }
  bool complete = false;
  return take_value(complete);
}

std::optional<record> record_reader::next_element() {
  skip_space();
  if (text_.begin == text_.end) {
    set_fatal("the JSON array in " + name() + " is not closed (truncated input?)");
    return std::nullopt;
  }
  if (text_.buf[text_.begin] == ']') {
    if (index_ > 0) {
      set_fatal("invalid JSON array in " + name() + ": ',' before ']' (line " +
                std::to_string(text_.line) + ")");
      return std::nullopt;
    }
    close_array();
    return std::nullopt;
  }
  bool complete = false;
  record r = take_value(complete);
  if (!complete) {
    done_ = true;  // the record's own error says it is truncated
    return r;
  }
  skip_space();
  if (text_.begin < text_.end && text_.buf[text_.begin] == ',') {
    ++text_.begin;
  } else if (text_.begin < text_.end && text_.buf[text_.begin] == ']') {
    close_array();
  } else if (text_.begin == text_.end) {
    set_fatal("the JSON array in " + name() + " is not closed (truncated input?)");
  } else {
    set_fatal("invalid JSON array in " + name() + ": expected ',' or ']' after element " +
              std::to_string(r.index + 1) + " (line " + std::to_string(text_.line) + ")");
  }
  return r;
}

}  // namespace cltv::cli
