#pragma once
// A small SVG writer: elements with attributes, text escaped for XML, and
// coordinates written the same way every time (at most two decimals, no
// trailing zeros), so that the same chart is the same bytes. No C++ charting
// library is packaged in Debian; a chart needs no more than this.

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace cltv::plot {

/// A number as a coordinate or length: rounded to two decimals, "-0" as "0",
/// no trailing zeros ("12.5", "100", "0.33").
[[nodiscard]] std::string svg_number(double v);

/// `text` with &, <, >, " and ' escaped for XML text and attribute values.
[[nodiscard]] std::string xml_escaped(std::string_view text);

/// One attribute: its name and its value as written (escaped by the writer).
using attribute = std::pair<std::string_view, std::string>;

/// Writes one SVG document into a string, element by element.
class svg_writer {
 public:
  /// Opens the document: the <svg> element of `width` × `height` user units
  /// with role="img", then its <title> and <desc> (screen readers announce
  /// them; browsers show the title on hover).
  svg_writer(double width, double height, std::string_view title, std::string_view description);

  /// An element without content: <name a="v" … />.
  void empty(std::string_view name, std::initializer_list<attribute> attributes);
  /// An element with text content: <name …>text</name>.
  void text_element(std::string_view name, std::initializer_list<attribute> attributes,
                    std::string_view text);
  /// Opens an element that will hold others; close it with close().
  void open(std::string_view name, std::initializer_list<attribute> attributes);
  void close();
  /// Raw markup, for what the writer has no method for (a <defs> pattern).
  void raw(std::string_view markup);

  /// Closes every open element and the document; returns the SVG.
  [[nodiscard]] std::string finish();

 private:
  void start_tag(std::string_view name, std::initializer_list<attribute> attributes);
  std::string out_;
  std::string open_[16];
  int depth_ = 0;
};

}  // namespace cltv::plot
