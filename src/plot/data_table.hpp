#pragma once
// The plotted numbers of a chart as a table, for `--format csv|json` and for
// the inline data of a Vega-Lite spec: every format writes the same rows.

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace cltv::plot {

/// One value: missing, a number, text, or a yes/no (CSV: true/false).
using cell = std::variant<std::monostate, double, std::string, bool>;

/// A number, or missing.
[[nodiscard]] inline cell optional_cell(const std::optional<double>& v) {
  return v ? cell(*v) : cell{};
}

struct data_table {
  std::vector<std::string> columns;
  std::vector<std::vector<cell>> rows;  ///< each as long as columns
};

/// A number as JSON writes it: the shortest text that reads back the same
/// double; null when not finite.
[[nodiscard]] std::string json_number(double v);
/// `text` as a JSON string, quoted and escaped.
[[nodiscard]] std::string json_string(std::string_view text);

/// RFC 4180 CSV: the header, then one line per row; a missing value is an
/// empty field, text is quoted when it must be.
[[nodiscard]] std::string to_csv(const data_table& table);

/// The rows as a JSON array of objects keyed by the columns (a missing value
/// is null), with no white space.
[[nodiscard]] std::string json_rows(const data_table& table);

}  // namespace cltv::plot
