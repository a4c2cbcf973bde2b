// Placeholder: being written.
#include "plot/charts.hpp"

namespace cltv::plot {

rendered_chart render_holdout(const holdout_view&) { return {}; }
std::string holdout_chart(const holdout_view&, chart_format) { return {}; }

}  // namespace cltv::plot
