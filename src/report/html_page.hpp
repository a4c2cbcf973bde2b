#pragma once
// One self-contained HTML page: inline CSS and SVG, no script, nothing
// fetched. Light and dark follow prefers-color-scheme; a print stylesheet
// keeps every figure whole on A4 and Letter. The same calls give the same
// bytes (no dates, no random ids).

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cltv::report {

/// A headline number: "LTV" "1,250", with an optional verdict colour.
struct key_figure {
  enum class tone { plain, good, bad };
  std::string label;
  std::string value;
  std::string detail{};  ///< a short line under the value
  tone mood = tone::plain;
};

/// A table: headers, then rows of cells already written for people. Columns
/// listed in `numeric` are right-aligned.
struct table_data {
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> numeric{};  ///< per column; missing: text
  std::string caption{};
};

/// `svg` with every id (and each reference to one: url(#…), aria-labelledby,
/// href="#…") prefixed by `prefix`, so that several charts share one page
/// without two elements of the same id.
[[nodiscard]] std::string prefixed_ids(std::string_view svg, std::string_view prefix);

class html_page {
 public:
  /// Opens the page: <title>, the style sheet, the <h1> and a lead paragraph.
  html_page(std::string_view title, std::string_view lead);

  void section(std::string_view heading);  ///< an <h2>: a new section
  void paragraph(std::string_view text);
  void note(std::string_view text);  ///< small, muted
  void verdict(std::string_view text, bool good);
  void key_figures(std::span<const key_figure> figures);
  void table(const table_data& t);
  /// A chart (an SVG document as cltv::plot writes it) with a caption; kept
  /// on one printed page.
  void figure(std::string_view svg, std::string_view caption);

  /// Closes the page and returns it.
  [[nodiscard]] std::string finish();

 private:
  std::string out_;
  int figures_ = 0;
};

}  // namespace cltv::report
