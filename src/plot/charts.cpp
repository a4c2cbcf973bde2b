#include "plot/charts.hpp"

namespace cltv::plot {

result<chart_format> parse_chart_format(std::string_view name) {
  if (name == "svg") return chart_format::svg;
  if (name == "csv") return chart_format::csv;
  if (name == "json") return chart_format::json;
  if (name == "vega-lite") return chart_format::vega_lite;
  return error{"format",
               "--format must be svg, csv, json or vega-lite, got \"" + std::string(name) + "\""};
}

}  // namespace cltv::plot
