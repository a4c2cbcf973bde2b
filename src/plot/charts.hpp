#pragma once
// The charts of `cltv plot`, each from the library's chart data, in every
// format: SVG, the plotted numbers as CSV or JSON, and a Vega-Lite v5 spec
// with its data inline.

#include <string>
#include <string_view>

#include "cltv/error.hpp"
#include "cltv/grid.hpp"
#include "cltv/payback_curve.hpp"
#include "cltv/segments.hpp"
#include "cltv/survival_curve.hpp"
#include "plot/text_box.hpp"

namespace cltv::plot {

enum class chart_format { svg, csv, json, vega_lite };

/// "svg", "csv", "json", "vega-lite"; anything else is an error (field "format").
[[nodiscard]] result<chart_format> parse_chart_format(std::string_view name);

/// An SVG chart and the boxes of the labels it placed (for overlap tests).
struct rendered_chart {
  std::string svg;
  text_boxes labels;
};

/// The payback chart: the cumulative expected margin per acquired customer by
/// period, the CAC and target × CAC lines, the expected payback (where the
/// curve crosses the CAC) and calc's simple payback (CAC / margin), marked
/// with different shapes.
[[nodiscard]] rendered_chart render_payback(const payback_curve& curve);
[[nodiscard]] std::string payback_chart(const payback_curve& curve, chart_format format);

/// The survival chart: S(t) and the retention rate r(t) of the model, and the
/// observed shares as markers when there are counts.
[[nodiscard]] rendered_chart render_survival(const survival_curve& curve);
[[nodiscard]] std::string survival_chart(const survival_curve& curve, chart_format format);

/// The grid heatmap: one metric over one or two varied inputs (cltv::grid),
/// cells that fail a rule hatched, and the boundary between passing and
/// failing cells drawn.
[[nodiscard]] rendered_chart render_grid(const grid& g);
[[nodiscard]] std::string grid_chart(const grid& g, chart_format format);

/// The segments chart: each segment's LTV and the blend's as bars, each with
/// its target × CAC line; bars below it hatched and marked ✗.
[[nodiscard]] rendered_chart render_segments(const segmented_result& r);
[[nodiscard]] std::string segments_chart(const segmented_result& r, chart_format format);

}  // namespace cltv::plot
