#include "io/ndjson_rows.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <utility>

#include "cltv/number.hpp"
#include "io/byte_source.hpp"
#include "io/json_scan.hpp"
#include "io/json_type_name.hpp"

namespace cltv::cli {

namespace {

namespace od = simdjson::ondemand;

// 1 MiB, as table_reader: the buffer grows only for a longer line.
constexpr std::size_t default_block = byte_source::default_block;
constexpr std::size_t padding = simdjson::SIMDJSON_PADDING;

enum class value_state : std::uint8_t { absent, null, present };

std::string_view trim_json_space(std::string_view text) {
  while (!text.empty() && is_json_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_json_space(text.back())) text.remove_suffix(1);
  return text;
}

// The start of a line for a message: at most 40 bytes, cut at a UTF-8
// character boundary, with "…" when cut.
std::string excerpt(std::string_view text) {
  constexpr std::size_t most = 40;
  if (text.size() <= most) return '"' + printable(text) + '"';
  std::size_t n = most;
  while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
  return '"' + printable(text.substr(0, n)) + "\"…";
}

std::string syntax_message(simdjson::error_code code) {
  switch (code) {
    case simdjson::UTF8_ERROR:
      return "invalid JSON: the text is not valid UTF-8";
    case simdjson::UNCLOSED_STRING:
      return "invalid JSON: a string is not closed";
    case simdjson::DEPTH_ERROR:
      return "invalid JSON: nested too deeply";
    case simdjson::INCOMPLETE_ARRAY_OR_OBJECT:
      return "invalid JSON: the object is not closed (truncated line?)";
    case simdjson::UNESCAPED_CHARS:
      return "invalid JSON: control character inside a string";
    case simdjson::STRING_ERROR:
      return "invalid JSON: bad escape in a string";
    default:
      return "invalid JSON: malformed (a missing value, comma, colon, quote or brace)";
  }
}

}  // namespace

struct ndjson_rows::state {
  state(byte_source bytes, std::vector<std::string> k, std::size_t block_bytes)
      : keys(std::move(k)),
        input(std::move(bytes), block_bytes, padding),
        values(keys.size()),
        states(keys.size()) {}

  // simdjson says INCOMPLETE_ARRAY_OR_OBJECT both for an object cut short and
  // for content after a complete one: tell them apart (error path only).
  void syntax_fail(simdjson::error_code code, std::string_view line_text) {
    const char* const stop = line_text.data() + line_text.size();
    if (code == simdjson::INCOMPLETE_ARRAY_OR_OBJECT) {
      std::size_t lines = 0;
      const char* const value_end = json_value_end(line_text.data(), stop, lines);
      if (value_end != nullptr && value_end != stop)
        return row_fail("invalid JSON: unexpected content after the object");
    }
    row_fail(syntax_message(code));
  }

  void row_fail(std::string message) {
    std::fill(states.begin(), states.end(), value_state::absent);
    row_error = error{"input", std::move(message)};
  }

  // Extracts the keys of one line (trimmed, not empty); sets row_error when
  // it is not a row.
  void parse(std::string_view line_text) {
    std::fill(states.begin(), states.end(), value_state::absent);
    row_error.reset();
    if (line_text.front() != '{')
      return row_fail("expected a JSON object, got " + excerpt(line_text));
    od::document doc;
    if (auto code =
            parser.iterate(line_text.data(), line_text.size(), line_text.size() + padding).get(doc))
      return syntax_fail(code, line_text);
    od::object object;
    if (auto code = doc.get_object().get(object)) return syntax_fail(code, line_text);
    for (auto field_result : object) {
      od::field field;
      if (auto code = std::move(field_result).get(field)) return syntax_fail(code, line_text);
      std::string_view key;
      if (auto code = field.unescaped_key().get(key)) return syntax_fail(code, line_text);
      const auto it = std::find(keys.begin(), keys.end(), key);
      if (it == keys.end()) continue;  // the value is skipped with the next field
      const auto k = static_cast<std::size_t>(it - keys.begin());
      if (states[k] != value_state::absent)
        return row_fail("duplicate field \"" + printable(key) + "\"");
      od::value value = field.value();
      od::json_type type{};
      if (auto code = value.type().get(type)) return syntax_fail(code, line_text);
      switch (type) {
        case od::json_type::string: {
          std::string_view text;
          if (auto code = value.get_string().get(text)) return syntax_fail(code, line_text);
          values[k] = text;
          states[k] = value_state::present;
          break;
        }
        case od::json_type::number: {
          const std::string_view raw = trim_json_space(value.raw_json_token());
          if (!is_json_number(raw))
            return row_fail("field \"" + printable(key) +
                            "\" is not a valid JSON number: " + excerpt(raw));
          values[k] = raw;
          states[k] = value_state::present;
          break;
        }
        case od::json_type::null: {
          bool is_null = false;
          if (value.is_null().get(is_null) || !is_null)
            return syntax_fail(simdjson::TAPE_ERROR, line_text);  // "nul", "nothing"
          states[k] = value_state::null;
          break;
        }
        default:
          return row_fail("field \"" + printable(key) + "\" must be a string or a number, got " +
                          json_type_name(type));
      }
    }
    // Nothing may follow the object (simdjson 3.0's document has no at_end():
    // a location inside the input means more content).
    if (!doc.current_location().error())
      return row_fail("invalid JSON: unexpected content after the object");
  }

  bool next() {
    if (done) return false;
    if (!started) {
      started = true;
      input.skip_bom();
    }
    const std::optional<std::string_view> line_text = input.next_line(row_line);
    if (!line_text) {
      done = true;
      return false;
    }
    parse(*line_text);
    return true;
  }

  const std::vector<std::string> keys;
  text_window input;  // `padding` readable bytes after each line
  bool started = false;
  bool done = false;

  // The current row.
  od::parser parser;
  std::vector<std::string_view> values;
  std::vector<value_state> states;
  std::optional<error> row_error;
  std::size_t row_line = 0;
};

result<ndjson_rows> ndjson_rows::open(const std::string& path, std::vector<std::string> keys) {
  auto source = byte_source::open(path, byte_source::decoding::gunzip_by_magic);
  if (!source) return std::move(source).error();
  return ndjson_rows(std::make_unique<state>(std::move(*source), std::move(keys), default_block));
}

ndjson_rows ndjson_rows::from_string(std::string text, std::vector<std::string> keys,
                                     std::size_t block) {
  return ndjson_rows(std::make_unique<state>(
      byte_source::from_string(std::move(text), byte_source::decoding::gunzip_by_magic, block),
      std::move(keys), block == 0 ? default_block : block));
}

ndjson_rows::ndjson_rows(std::unique_ptr<state> s) : s_(std::move(s)) {}
ndjson_rows::ndjson_rows(ndjson_rows&&) noexcept = default;
ndjson_rows& ndjson_rows::operator=(ndjson_rows&&) noexcept = default;
ndjson_rows::~ndjson_rows() = default;

bool ndjson_rows::next() {
  return s_->next();
}

const std::optional<error>& ndjson_rows::row_error() const noexcept {
  return s_->row_error;
}

std::optional<std::string_view> ndjson_rows::value(std::size_t key) const noexcept {
  if (s_->states[key] != value_state::present) return std::nullopt;
  return s_->values[key];
}

const std::string& ndjson_rows::key(std::size_t key) const noexcept {
  return s_->keys[key];
}

bool ndjson_rows::is_null(std::size_t key) const noexcept {
  return s_->states[key] == value_state::null;
}

std::uint64_t ndjson_rows::line() const noexcept {
  return s_->row_line;
}

std::uint64_t ndjson_rows::bytes() const noexcept {
  return s_->input.consumed();
}

const std::optional<error>& ndjson_rows::failure() const noexcept {
  return s_->input.failure();
}

}  // namespace cltv::cli
