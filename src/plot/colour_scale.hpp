#pragma once
// The colour scale of the heatmaps (grid, matrix, cohorts): viridis —
// perceptually uniform, readable in grey and by the colour-blind — and its
// legend, a gradient bar with ticks.

#include <string>
#include <utility>
#include <vector>

#include "plot/svg.hpp"
#include "plot/text_box.hpp"

namespace cltv::plot {

/// The viridis colour at `position` (clamped to 0 … 1) as "#RRGGBB": nine
/// stops of the colour map, interpolated between them.
///
/// Example: colour_at(0) == "#440154", colour_at(1) == "#FDE725"
[[nodiscard]] std::string colour_at(double position);

/// Whether text on colour_at(position) should be white (the dark end).
[[nodiscard]] bool is_dark(double position);

/// A vertical colour legend: a bar running from colour_at(0) at the bottom to
/// colour_at(end) at the top, with ticks at its right and a title above.
struct colour_legend {
  double x = 0, top = 0;  ///< the bar's top-left corner (pixels)
  double width = 14, height = 160;
  double end = 1;     ///< the scale's position at the top of the bar (0 < end ≤ 1)
  std::string title;  ///< above the bar, left-aligned with it: "P(alive)"
  /// Ticks: a position on the scale (0 … end) and its label; a label that would
  /// overlap the one before it is left out.
  std::vector<std::pair<double, std::string>> ticks;
  std::string aria_label;  ///< of the bar: "Colour scale: 0% … 100%"
};

/// Draws `legend` into `svg` (a gradient defined once per chart, id
/// "colour-scale") and records its labels' boxes in `labels`.
void draw_colour_legend(svg_writer& svg, text_boxes& labels, const colour_legend& legend);

}  // namespace cltv::plot
