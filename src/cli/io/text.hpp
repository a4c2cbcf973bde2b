#pragma once
// Number and string formatting for the output formats: exact and fast for
// JSON/CSV, rounded and readable for people.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cltv::cli {

/// Shortest text that reads back as exactly `x`: valid JSON, DBL_MAX and the
/// subnormals included. write_number needs 32 bytes at `out` and returns the
/// end of what it wrote. A non-finite `x` has no number to write: the caller
/// let an overflow or a NaN through, so it throws std::logic_error (main
/// reports "internal error", exit 2) rather than print something that is no
/// number or looks like one.
char* write_number(char* out, double x);
void append_number(std::string& out, double x);

/// Why `id` cannot be an id, or "" when it can: ids are printable text, so an
/// id holding a control character (a NUL, a tab, a line break, DEL, C1) or
/// bytes that are not UTF-8 is refused rather than echoed raw into CSV and
/// tables or silently altered. `field` names the id's column.
///
/// Example: unprintable_id("customer_id", std::string("a\0b", 3))
///          // "customer_id holds a control character (0x00 at byte 2): ids must be printable text"
[[nodiscard]] std::string unprintable_id(std::string_view field, std::string_view id);

/// A JSON string literal: quotes, escapes, and invalid UTF-8 replaced by U+FFFD.
void append_json_string(std::string& out, std::string_view text);

/// `,"name":x`: a number member after the first of a JSON object.
void append_number_member(std::string& out, std::string_view name, double x);

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

/// One record of named values, written as a JSON object or as CSV (a header
/// line and one row): the same names and values either way, in the order added.
///
/// Example:
///   flat_record r;
///   r.text("as_of", "2024-06-30").count("customers", 3).null("active");
///   r.append_json(buf);  // {"as_of":"2024-06-30","customers":3,"active":null}
///   r.append_csv(buf);   // as_of,customers,active\n2024-06-30,3,\n
class flat_record {
 public:
  flat_record& number(std::string name, double x);
  /// null (an empty CSV field) when unknown.
  flat_record& number(std::string name, const std::optional<double>& x);
  flat_record& count(std::string name, std::uint64_t n);
  /// A decimal number as its text: `digits` such as "299060.17" (a JSON number
  /// as it stands), so an exact sum keeps its scale.
  flat_record& decimal(std::string name, std::string digits);
  flat_record& text(std::string name, std::string_view value);
  flat_record& boolean(std::string name, bool b);
  flat_record& null(std::string name);

  /// {"name":value,…}, without a line break.
  void append_json(std::string& out) const;
  /// The names, then the values, each a CSV line.
  void append_csv(std::string& out) const;
  /// The names as a CSV line (a header).
  void append_csv_names(std::string& out) const;
  /// The values as a CSV line (a row under that header).
  void append_csv_values(std::string& out) const;

 private:
  struct field {
    std::string name;
    std::string json;
    std::string csv;
  };
  flat_record& add(std::string name, std::string json, std::string csv);
  std::vector<field> fields_;
};

}  // namespace cltv::cli
