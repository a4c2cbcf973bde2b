// Placeholder: being written.
#include "plot/charts.hpp"

namespace cltv::plot {

rendered_chart render_matrix(const matrix_view&) { return {}; }
std::string matrix_chart(const matrix_view&, chart_format) { return {}; }

}  // namespace cltv::plot
