#pragma once
// The frame every x–y chart shares: title and subtitle, the plot area, both
// axes with nice ticks, light grid lines and axis titles, and labels set at
// the right edge without overlapping. A chart draws its marks inside.

#include <string>
#include <vector>

#include "plot/axis.hpp"
#include "plot/svg.hpp"
#include "plot/text_box.hpp"

namespace cltv::plot {

/// The colour-blind-safe palette of Okabe & Ito (2008), in the order charts
/// take them, and the ink of text and axes.
namespace colour {
inline constexpr const char* blue = "#0072B2";
inline constexpr const char* vermillion = "#D55E00";
inline constexpr const char* green = "#009E73";
inline constexpr const char* orange = "#E69F00";
inline constexpr const char* sky = "#56B4E9";
inline constexpr const char* purple = "#CC79A7";
inline constexpr const char* ink = "#222222";
inline constexpr const char* muted = "#666666";
inline constexpr const char* grid = "#DDDDDD";
}  // namespace colour

inline constexpr double label_font = 12;

/// What the frame shows.
struct frame_spec {
  double width = 760, height = 460;
  std::string title, subtitle;
  std::string x_title, y_title;
  double x_low = 0, x_high = 1;  ///< the data's range; ticks widen it
  double y_low = 0, y_high = 1;
  value_style x_style = value_style::count, y_style = value_style::amount;
  bool x_whole = true;        ///< x ticks at whole numbers
  bool x_ticks = true;        ///< false: the chart labels its own categories
  bool y_log = false;         ///< a log scale for y (y_low > 0)
  double right_margin = 150;  ///< room for the labels at the right edge
};

/// Text at (x, y) pixels, its box recorded in `labels`: a label where the
/// chart has chosen the place (frame::label also moves it off others).
void place_label(svg_writer& svg, text_boxes& labels, double x, double y, std::string_view text,
                 std::string_view anchor, const char* fill, double font_size);

/// An axis title running upwards at x = 20, centred on `y_middle`, its box
/// (the rotated one) recorded in `labels`.
void place_vertical_title(svg_writer& svg, text_boxes& labels, double y_middle,
                          std::string_view text);

/// The frame of a chart of `categories` columns side by side (the chart
/// labels them itself) over a y axis from 0 to `highest` (1 when there is
/// nothing above 0).
[[nodiscard]] frame_spec category_frame(std::size_t categories, double highest);

/// A label for the right edge: its text at the height of `y` (data units).
struct edge_label {
  std::string text;
  double y = 0;
  const char* colour = colour::ink;
};

class frame {
 public:
  /// Writes the title, subtitle, grid, axes and ticks into `svg`, recording
  /// every label's box in `labels`.
  frame(svg_writer& svg, text_boxes& labels, const frame_spec& spec);

  [[nodiscard]] const scale& x() const noexcept { return x_; }
  [[nodiscard]] const scale& y() const noexcept { return y_; }
  [[nodiscard]] double left() const noexcept { return left_; }
  [[nodiscard]] double right() const noexcept { return right_; }
  [[nodiscard]] double top() const noexcept { return top_; }
  [[nodiscard]] double bottom() const noexcept { return bottom_; }
  /// y clamped into the plot area's data range (a log axis has no 0).
  [[nodiscard]] double y_at(double v) const;

  /// Text at (x, y) pixels, recorded; moved down until it overlaps no label
  /// already placed (at most `tries` steps of one line).
  void label(double x, double y, std::string_view text, std::string_view anchor, const char* fill,
             double font_size = label_font, int tries = 6);
  /// Labels at the right edge, each at its value's height, spread apart so
  /// that none overlaps the next.
  void edge_labels(std::vector<edge_label> items);
  /// A note in the middle of the plot area, for a chart with nothing to draw.
  void empty_note(std::string_view text);

 private:
  svg_writer& svg_;
  text_boxes& labels_;
  scale x_, y_;
  double left_ = 0, right_ = 0, top_ = 0, bottom_ = 0;
};

/// A polyline's points as an SVG path ("M x y L x y …").
[[nodiscard]] std::string path_of(const std::vector<std::pair<double, double>>& pixels);

}  // namespace cltv::plot
