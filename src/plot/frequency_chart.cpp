// Placeholder: being written.
#include "plot/charts.hpp"

namespace cltv::plot {

rendered_chart render_frequency(const frequency_view&) { return {}; }
std::string frequency_chart(const frequency_view&, chart_format) { return {}; }

}  // namespace cltv::plot
