// Placeholder: being written.
#include "plot/charts.hpp"

namespace cltv::plot {

rendered_chart render_value(const value_view&) { return {}; }
std::string value_chart(const value_view&, chart_format) { return {}; }

}  // namespace cltv::plot
