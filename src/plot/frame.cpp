#include "plot/frame.hpp"

#include <algorithm>
#include <cmath>

namespace cltv::plot {

namespace {

constexpr double left_margin = 84;
constexpr double top_margin = 72;
constexpr double bottom_margin = 58;
constexpr double tick_length = 5;

// Ticks whose labels do not overlap along the x axis: fewer until they fit.
ticks fitting_x_ticks(const frame_spec& spec, double plot_width) {
  int wanted = std::max(2, static_cast<int>(plot_width / 80));
  for (;; --wanted) {
    ticks t = linear_ticks(spec.x_low, spec.x_high, wanted, spec.x_whole);
    if (wanted <= 2) return t;
    const scale s{t.low, t.high, 0, plot_width};
    text_boxes boxes;
    for (const double v : t.values)
      boxes.push_back(box_of(tick_label(v, spec.x_style, t.step), s(v), 0, label_font, "middle"));
    // A gap of at least 8 px between neighbours.
    for (text_box& b : boxes) b.right += 8;
    if (!any_overlap(boxes)) return t;
  }
}

}  // namespace

frame::frame(svg_writer& svg, text_boxes& labels, const frame_spec& spec)
    : svg_(svg), labels_(labels) {
  left_ = left_margin;
  right_ = spec.width - spec.right_margin;
  top_ = top_margin;
  bottom_ = spec.height - bottom_margin;

  const ticks xt = fitting_x_ticks(spec, right_ - left_);
  const ticks yt = spec.y_log ? log_ticks(spec.y_low, spec.y_high)
                              : linear_ticks(spec.y_low, spec.y_high,
                                             std::max(3, static_cast<int>((bottom_ - top_) / 60)));
  x_ = {xt.low, xt.high, left_, right_, false};
  y_ = {yt.low, yt.high, bottom_, top_, spec.y_log};

  label(16, 28, spec.title, "start", colour::ink, 18, 0);
  if (!spec.subtitle.empty()) label(16, 50, spec.subtitle, "start", colour::muted, 13, 0);

  svg_.open("g", {{"class", "grid"}, {"stroke", colour::grid}, {"stroke-width", "1"}});
  for (const double v : yt.values)
    svg_.empty("line", {{"x1", svg_number(left_)},
                        {"x2", svg_number(right_)},
                        {"y1", svg_number(y_(v))},
                        {"y2", svg_number(y_(v))}});
  svg_.close();

  svg_.open("g", {{"class", "axes"}, {"stroke", colour::ink}, {"stroke-width", "1"}});
  svg_.empty("line", {{"x1", svg_number(left_)},
                      {"x2", svg_number(right_)},
                      {"y1", svg_number(bottom_)},
                      {"y2", svg_number(bottom_)}});
  svg_.empty("line", {{"x1", svg_number(left_)},
                      {"x2", svg_number(left_)},
                      {"y1", svg_number(top_)},
                      {"y2", svg_number(bottom_)}});
  const std::vector<double> x_marks = spec.x_ticks ? xt.values : std::vector<double>{};
  for (const double v : x_marks)
    svg_.empty("line", {{"x1", svg_number(x_(v))},
                        {"x2", svg_number(x_(v))},
                        {"y1", svg_number(bottom_)},
                        {"y2", svg_number(bottom_ + tick_length)}});
  svg_.close();

  svg_.open("g", {{"class", "tick-labels"}, {"font-size", svg_number(label_font)}});
  for (const double v : x_marks)
    label(x_(v), bottom_ + 19, tick_label(v, spec.x_style, xt.step), "middle", colour::ink,
          label_font, 0);
  for (const double v : yt.values)
    label(left_ - 8, y_(v) + 4, tick_label(v, spec.y_style, yt.step), "end", colour::ink,
          label_font, 0);
  svg_.close();

  if (!spec.x_title.empty())
    label((left_ + right_) / 2, bottom_ + 44, spec.x_title, "middle", colour::ink, 13, 0);
  place_vertical_title(svg_, labels_, (top_ + bottom_) / 2, spec.y_title);
}

double frame::y_at(double v) const {
  return y_(std::clamp(v, y_.domain_low, y_.domain_high));
}

void frame::label(double x, double y, std::string_view text, std::string_view anchor,
                  const char* fill, double font_size, int tries) {
  text_box box = box_of(text, x, y, font_size, anchor);
  for (int step = 0; step < tries; ++step) {
    const bool clear = std::none_of(labels_.begin(), labels_.end(),
                                    [&](const text_box& other) { return box.overlaps(other); });
    if (clear) break;
    const double line = font_size * 1.25;
    y += line;
    box.top += line;
    box.bottom += line;
  }
  place_label(svg_, labels_, x, y, text, anchor, fill, font_size);
}

void frame::edge_labels(std::vector<edge_label> items) {
  std::stable_sort(items.begin(), items.end(),
                   [&](const edge_label& a, const edge_label& b) { return y_at(a.y) < y_at(b.y); });
  const double line = label_font * 1.3;
  std::vector<double> at;
  for (const edge_label& item : items) {
    double position = y_at(item.y) + 4;
    if (!at.empty()) position = std::max(position, at.back() + line);
    at.push_back(position);
  }
  // Spread past the bottom: shift the whole stack up.
  if (!at.empty() && at.back() > bottom_ + 4) {
    const double excess = at.back() - (bottom_ + 4);
    for (double& position : at) position -= excess;
  }
  for (std::size_t i = 0; i < items.size(); ++i)
    label(right_ + 8, at[i], items[i].text, "start", items[i].colour, label_font, 0);
}

void place_label(svg_writer& svg, text_boxes& labels, double x, double y, std::string_view text,
                 std::string_view anchor, const char* fill, double font_size) {
  labels.push_back(box_of(text, x, y, font_size, anchor));
  svg.text_element("text",
                   {{"x", svg_number(x)},
                    {"y", svg_number(y)},
                    {"text-anchor", std::string(anchor)},
                    {"font-size", svg_number(font_size)},
                    {"fill", fill}},
                   text);
}

void place_vertical_title(svg_writer& svg, text_boxes& labels, double y_middle,
                          std::string_view text) {
  svg.text_element("text",
                   {{"x", "0"},
                    {"y", "0"},
                    {"transform", "translate(20 " + svg_number(y_middle) + ") rotate(-90)"},
                    {"text-anchor", "middle"},
                    {"font-size", "13"},
                    {"fill", colour::ink}},
                   text);
  const double length = text_width(text, 13);
  labels.push_back({20 - 0.93 * 13, y_middle - length / 2, 20 + 0.24 * 13, y_middle + length / 2});
}

frame_spec category_frame(std::size_t categories, double highest) {
  frame_spec spec;
  spec.x_low = 0;
  spec.x_high = std::max<double>(static_cast<double>(categories), 1);
  spec.x_ticks = false;
  spec.y_low = 0;
  spec.y_high = highest > 0 ? highest : 1;
  return spec;
}

void frame::empty_note(std::string_view text) {
  label((left_ + right_) / 2, (top_ + bottom_) / 2, text, "middle", colour::muted);
}

std::string path_of(const std::vector<std::pair<double, double>>& pixels) {
  std::string d;
  for (std::size_t i = 0; i < pixels.size(); ++i) {
    d += i == 0 ? "M" : " L";
    d += svg_number(pixels[i].first);
    d += ' ';
    d += svg_number(pixels[i].second);
  }
  return d;
}

}  // namespace cltv::plot
