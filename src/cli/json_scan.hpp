#pragma once
// Finding where a JSON value ends without parsing it: the framing the record
// reader needs, and the test that tells trailing content from truncation.

#include <cstddef>

namespace cltv::cli {

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
