#pragma once
// Number and string formatting for the output formats: exact and fast for
// JSON/CSV, rounded and readable for people.

#include <string>
#include <string_view>

namespace cltv::cli {

/// Shortest text that reads back as exactly `x` (valid JSON for finite x).
/// write_number needs 32 bytes at `out` and returns the end of what it wrote.
char* write_number(char* out, double x);
void append_number(std::string& out, double x);

/// A JSON string literal: quotes, escapes, and invalid UTF-8 replaced by U+FFFD.
void append_json_string(std::string& out, std::string_view text);

/// The text of a valid JSON string literal (quotes included): escapes decoded,
/// \uXXXX (and surrogate pairs) as UTF-8.
[[nodiscard]] std::string decode_json_string(std::string_view literal);

/// A CSV field (RFC 4180): quoted when it holds a comma, quote or line break.
void append_csv_field(std::string& out, std::string_view text);

/// "1,234.57": fixed `places` decimals with thousands separators.
[[nodiscard]] std::string grouped(double x, int places);

/// Money for people: grouped(x, 2).
[[nodiscard]] inline std::string money(double x) {
  return grouped(x, 2);
}

/// A rate as a percentage, trailing zeros trimmed: 0.04 → "4%", 0.0125 → "1.25%".
[[nodiscard]] std::string percent(double rate);

/// A plain number with up to `max_places` decimals, trailing zeros trimmed.
[[nodiscard]] std::string trimmed_number(double x, int max_places);

/// The columns UTF-8 text takes in a terminal: one per code point (×, — and −
/// are one column each).
[[nodiscard]] std::size_t display_width(std::string_view text);

/// `text` with spaces before it up to `width` columns (aligned right).
[[nodiscard]] std::string pad_left(std::string_view text, std::size_t width);

/// `text` with spaces after it up to `width` columns (aligned left).
[[nodiscard]] std::string pad_right(std::string_view text, std::size_t width);

}  // namespace cltv::cli
