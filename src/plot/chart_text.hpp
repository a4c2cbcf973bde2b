#pragma once
// A chart in each of its formats: every chart is one view written four ways
// (the plotted numbers as CSV or JSON, a Vega-Lite spec, the SVG). Internal
// to the renderer.

#include <string>

#include "plot/charts.hpp"
#include "plot/data_table.hpp"

namespace cltv::plot {

/// How a chart of a `View` writes each format.
template <class View>
struct chart_writers {
  data_table (*table)(const View&);       ///< the plotted numbers (CSV)
  std::string (*json)(const View&);       ///< the JSON document
  std::string (*vega_lite)(const View&);  ///< the Vega-Lite spec
  rendered_chart (*render)(const View&);  ///< the SVG
};

/// `view` as `format` says, by the chart's `writers`.
template <class View>
[[nodiscard]] std::string chart_text(const View& view, chart_format format,
                                     const chart_writers<View>& writers) {
  switch (format) {
    case chart_format::csv:
      return to_csv(writers.table(view));
    case chart_format::json:
      return writers.json(view);
    case chart_format::vega_lite:
      return writers.vega_lite(view);
    case chart_format::svg:
    default:
      return writers.render(view).svg;
  }
}

}  // namespace cltv::plot
