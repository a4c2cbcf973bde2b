// Placeholder: being written.
#include "plot/charts.hpp"

namespace cltv::plot {

rendered_chart render_cohorts(const cohort_view&) { return {}; }
std::string cohorts_chart(const cohort_view&, chart_format) { return {}; }

}  // namespace cltv::plot
