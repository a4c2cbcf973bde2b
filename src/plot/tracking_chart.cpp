// Placeholder: being written.
#include "plot/charts.hpp"

namespace cltv::plot {

rendered_chart render_tracking(const tracking_view&) { return {}; }
std::string tracking_chart(const tracking_view&, chart_format) { return {}; }

}  // namespace cltv::plot
