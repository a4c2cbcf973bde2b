#pragma once
// Finding where a JSON value ends without parsing it: the framing the record
// reader needs, and the test that tells trailing content from truncation.

#include <cstddef>
#include <string_view>

namespace cltv::cli {

// Whether `text` follows JSON's number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
// (simdjson's type() looks at the first byte only, and its number parsers
// reject integers beyond 64 bits that are fine as customer ids).
[[nodiscard]] inline bool is_json_number(std::string_view text) {
  std::size_t i = 0;
  const auto digits = [&] {
    const std::size_t from = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    return i > from;
  };
  if (i < text.size() && text[i] == '-') ++i;
  if (i < text.size() && text[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < text.size() && text[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == text.size();
}

[[nodiscard]] inline bool is_json_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// One past the end of the JSON value starting at `p`, or nullptr when the input
// ends first. Objects and arrays are matched by depth (strings and escapes
// skipped); anything else runs to the next delimiter. Newlines seen are
// added to `lines`. Only framing: the record parser validates the content.
[[nodiscard]] inline const char* json_value_end(const char* p, const char* end,
                                                std::size_t& lines) {
  if (*p != '{' && *p != '[') {
    const char* q = p + 1;  // at least one byte, so a stray ']' cannot stall the reader
    while (q < end && !is_json_space(*q) && *q != ',' && *q != ']' && *q != '}' && *q != '{' &&
           *q != '[')
      ++q;
    return q;
  }
  std::size_t depth = 0;
  bool in_string = false;
  for (; p < end; ++p) {
    const char c = *p;
    if (c == '\n') ++lines;
    if (in_string) {
      if (c == '\\') {
        if (p + 1 < end && p[1] == '\n') ++lines;
        ++p;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (--depth == 0) return p + 1;
    }
  }
  return nullptr;
}

}  // namespace cltv::cli
