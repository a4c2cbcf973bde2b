#pragma once
// Invariant checks for the fuzz harnesses: a violation prints what broke and
// aborts, which libFuzzer reports as a crash (and the replay test as a failure).

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <system_error>

namespace cltv::fuzz {

[[noreturn]] inline void violated(const char* what, const char* file, int line) {
  std::fprintf(stderr, "%s:%d: invariant violated: %s\n", file, line, what);
  std::abort();
}

/// Like assert(), but never compiled out.
#define CLTV_FUZZ_CHECK(condition) \
  ((condition) ? static_cast<void>(0) : ::cltv::fuzz::violated(#condition, __FILE__, __LINE__))

// A copy of the one in src/cli/scenario_json.cpp, on purpose: an oracle that
// shared code with what it checks would agree with its bugs.
/// Whether `text` follows JSON's number grammar:
/// -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
inline bool is_json_number(std::string_view text) {
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

/// Whether the whole of `text` reads back (std::from_chars) as `expected`.
/// -0 and +0 compare equal: the writers print both as "0".
inline bool reads_back_as(std::string_view text, double expected) {
  double value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  return ec == std::errc{} && ptr == end && value == expected;
}

/// Whether CLTV_FUZZ_KNOWN (a comma-separated list) names `finding`: an open
/// finding in fuzz/findings/ whose check a fuzzing run may relax so that it
/// can look past it for new ones. The replay tests never set it.
inline bool known(std::string_view finding) {
  static const std::string_view list = [] {
    const char* env = std::getenv("CLTV_FUZZ_KNOWN");
    return std::string_view(env ? env : "");
  }();
  std::string_view rest = list;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    if (rest.substr(0, comma) == finding) return true;
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return false;
}

/// An error message fit for `cltv: <message>` on stderr: not empty, one line.
/// (Relaxed by CLTV_FUZZ_KNOWN=multiline-message, findings/README.md.)
inline bool is_one_line_message(std::string_view message) {
  if (message.empty()) return false;
  return message.find_first_of("\r\n") == std::string_view::npos || known("multiline-message");
}

}  // namespace cltv::fuzz
