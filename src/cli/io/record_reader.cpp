#include "io/record_reader.hpp"

#include <cstring>
#include <utility>

#include "io/json_scan.hpp"
#include "io/scenario_json.hpp"

namespace cltv::cli {
namespace {

constexpr std::size_t initial_capacity = std::size_t{1} << 20;

}  // namespace

result<record_reader> record_reader::open(const std::string& path) {
  auto source = byte_source::open(path, byte_source::decoding::raw);
  if (!source) return std::move(source).error();
  return record_reader(std::move(*source));
}

record_reader::record_reader(byte_source source) : source_(std::move(source)) {}

void record_reader::set_fatal(std::string message) {
  if (!fatal_) fatal_ = error{"input", std::move(message)};
  done_ = true;
}

bool record_reader::fill() {
  if (eof_) return false;
  if (begin_ > 0) {  // keep only unconsumed bytes
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    scan_ -= std::min(scan_, begin_);
    begin_ = 0;
  }
  const std::size_t capacity = buffer_.empty() ? 0 : buffer_.size() - json_padding;
  if (end_ == capacity) buffer_.resize(std::max(initial_capacity, capacity * 2) + json_padding);
  std::size_t got = 0;
  const bool ok = source_.read(buffer_.data() + end_, buffer_.size() - json_padding - end_, got);
  end_ += got;
  if (ok && got > 0) return true;
  if (!ok) set_fatal(source_.failure()->message);
  eof_ = true;
  return false;
}

bool record_reader::read_all() {
  while (fill()) {
  }
  return !fatal_;
}

void record_reader::detect_shape() {
  // Find the first byte that is not whitespace or a UTF-8 byte order mark.
  std::size_t pos = 0;
  bool bom_checked = false;
  for (;;) {
    if (!bom_checked && (end_ - begin_ >= 3 || eof_)) {
      if (end_ - begin_ >= 3 && std::memcmp(buffer_.data() + begin_, "\xEF\xBB\xBF", 3) == 0)
        begin_ += 3;
      bom_checked = true;
    }
    if (bom_checked) {
      while (begin_ + pos < end_ && is_json_space(buffer_[begin_ + pos])) ++pos;
      if (begin_ + pos < end_) break;
    }
    if (!fill()) {
      if (fatal_) return;
      if (!bom_checked) continue;  // eof: check the BOM on what there is
      set_fatal("no scenario in " + name() + ": the input is empty");
      return;
    }
  }
  const char first = buffer_[begin_ + pos];
  if (first == '[') {
    shape_ = input_shape::array;
    if (!read_all()) return;
    for (std::size_t i = 0; i < pos; ++i)
      if (buffer_[begin_ + i] == '\n') ++line_;
    begin_ += pos + 1;  // past '['
    return;
  }
  if (first == '{') {
    // NDJSON when the first value ends on its first line.
    std::size_t searched = pos;  // relative to begin_; fill() may move the data
    for (;;) {
      const char* from = buffer_.data() + begin_ + pos;
      const char* nl = static_cast<const char*>(
          std::memchr(buffer_.data() + begin_ + searched, '\n', end_ - begin_ - searched));
      searched = end_ - begin_;
      if (nl || eof_) {
        std::size_t lines = 0;
        const char* line_end = nl ? nl : buffer_.data() + end_;
        if (json_value_end(from, line_end, lines)) {
          shape_ = input_shape::lines;
          return;
        }
        break;
      }
      if (!fill()) {
        if (fatal_) return;
      }
    }
    shape_ = input_shape::values;
    read_all();
    return;
  }
  shape_ = input_shape::lines;  // not JSON: each line becomes an error record
}

std::optional<record> record_reader::next() {
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
  for (;;) {
    if (scan_ < begin_) scan_ = begin_;
    const char* data = buffer_.data();
    const auto* nl = static_cast<const char*>(std::memchr(data + scan_, '\n', end_ - scan_));
    std::size_t line_end = 0;
    std::size_t next_begin = 0;
    if (nl) {
      line_end = static_cast<std::size_t>(nl - data);
      next_begin = line_end + 1;
    } else {
      scan_ = end_;  // searched up to here; do not search these bytes again
      if (!eof_) {
        fill();
        if (fatal_) return std::nullopt;
        continue;
      }
      if (begin_ == end_) {
        done_ = true;
        return std::nullopt;
      }
      line_end = next_begin = end_;  // last line without a final newline
    }
    record r;
    r.line = line_++;
    std::size_t start = begin_;
    begin_ = scan_ = next_begin;
    while (line_end > start && is_json_space(data[line_end - 1]))
      --line_end;  // CR, trailing blanks
    while (start < line_end && is_json_space(data[start])) ++start;
    if (start == line_end) continue;  // blank line: not a record
    r.text = std::string_view(data + start, line_end - start);
    r.index = index_++;
    return r;
  }
}

void record_reader::skip_space() {
  const char* data = buffer_.data();
  while (begin_ < end_ && is_json_space(data[begin_])) {
    if (data[begin_] == '\n') ++line_;
    ++begin_;
  }
}

record record_reader::take_value(bool& complete) {
  const char* data = buffer_.data();
  record r;
  r.line = line_;
  r.index = index_++;
  const char* start = data + begin_;
  const char* stop = json_value_end(start, data + end_, line_);
  complete = stop != nullptr;
  if (!complete) {  // truncated: the parser reports it, with this record's line
    r.text = std::string_view(start, end_ - begin_);
    begin_ = end_;
    return r;
  }
  r.text = std::string_view(start, static_cast<std::size_t>(stop - start));
  begin_ = static_cast<std::size_t>(stop - data);
  return r;
}

void record_reader::close_array() {
  ++begin_;  // past ']'
  skip_space();
  if (begin_ < end_)
    set_fatal("invalid JSON in " + name() + ": content after the array (line " +
              std::to_string(line_) + ")");
  done_ = true;
}

std::optional<record> record_reader::next_value() {
  skip_space();
  if (begin_ == end_) {
    done_ = true;
    return std::nullopt;
  }
  bool complete = false;
  return take_value(complete);
}

std::optional<record> record_reader::next_element() {
  skip_space();
  if (begin_ == end_) {
    set_fatal("the JSON array in " + name() + " is not closed (truncated input?)");
    return std::nullopt;
  }
  if (buffer_[begin_] == ']') {
    if (index_ > 0) {
      set_fatal("invalid JSON array in " + name() + ": ',' before ']' (line " +
                std::to_string(line_) + ")");
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
  if (begin_ < end_ && buffer_[begin_] == ',') {
    ++begin_;
  } else if (begin_ < end_ && buffer_[begin_] == ']') {
    close_array();
  } else if (begin_ == end_) {
    set_fatal("the JSON array in " + name() + " is not closed (truncated input?)");
  } else {
    set_fatal("invalid JSON array in " + name() + ": expected ',' or ']' after element " +
              std::to_string(r.index + 1) + " (line " + std::to_string(line_) + ")");
  }
  return r;
}

}  // namespace cltv::cli
