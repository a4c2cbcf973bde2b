#include "plot/svg.hpp"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace cltv::plot {

std::string svg_number(double v) {
  // + 0.0 turns a rounded −0 into +0: no "-0".
  const double rounded = std::round(v * 100) / 100 + 0.0;
  std::string text = fmt::format("{:.2f}", rounded);
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
}

std::string xml_escaped(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

svg_writer::svg_writer(double width, double height, std::string_view title,
                       std::string_view description) {
  const std::string w = svg_number(width);
  const std::string h = svg_number(height);
  out_ = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" "
      "viewBox=\"0 0 {0} {1}\" role=\"img\" aria-labelledby=\"chart-title chart-desc\" "
      "font-family=\"DejaVu Sans, Verdana, Arial, sans-serif\">\n",
      w, h);
  open_[depth_++] = "svg";
  text_element("title", {{"id", "chart-title"}}, title);
  text_element("desc", {{"id", "chart-desc"}}, description);
}

void svg_writer::start_tag(std::string_view name, std::initializer_list<attribute> attributes) {
  out_.append(static_cast<std::size_t>(depth_) * 2, ' ');
  out_ += '<';
  out_ += name;
  for (const auto& [key, value] : attributes) {
    out_ += ' ';
    out_ += key;
    out_ += "=\"";
    out_ += xml_escaped(value);
    out_ += '"';
  }
}

void svg_writer::empty(std::string_view name, std::initializer_list<attribute> attributes) {
  start_tag(name, attributes);
  out_ += "/>\n";
}

void svg_writer::text_element(std::string_view name, std::initializer_list<attribute> attributes,
                              std::string_view text) {
  start_tag(name, attributes);
  out_ += '>';
  out_ += xml_escaped(text);
  out_ += "</";
  out_ += name;
  out_ += ">\n";
}

void svg_writer::open(std::string_view name, std::initializer_list<attribute> attributes) {
  // A chart nests a few groups; more is a bug in a renderer, not an input.
  if (depth_ == static_cast<int>(std::size(open_)))
    throw std::logic_error("svg_writer: elements nested too deep");
  start_tag(name, attributes);
  out_ += ">\n";
  open_[depth_++] = std::string(name);
}

void svg_writer::close() {
  if (depth_ == 0) throw std::logic_error("svg_writer: close() without an open element");
  --depth_;
  out_.append(static_cast<std::size_t>(depth_) * 2, ' ');
  out_ += "</";
  out_ += open_[depth_];
  out_ += ">\n";
}

void svg_writer::raw(std::string_view markup) {
  out_.append(static_cast<std::size_t>(depth_) * 2, ' ');
  out_ += markup;
  out_ += '\n';
}

std::string svg_writer::finish() {
  while (depth_ > 0) close();
  return std::move(out_);
}

}  // namespace cltv::plot
