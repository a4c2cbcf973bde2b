#include "plot/vega_lite.hpp"

#include <fmt/format.h>

namespace cltv::plot {

vega_lite_spec::vega_lite_spec(std::string_view title, std::string_view description, double width,
                               double height)
    : head_(fmt::format(
          "{{\"$schema\":\"https://vega.github.io/schema/vega-lite/v5.json\",\"title\":{},"
          "\"description\":{},\"width\":{},\"height\":{}",
          json_string(title), json_string(description), json_number(width), json_number(height))) {}

void vega_lite_spec::layer(const data_table& data, std::string_view mark,
                           std::string_view encoding) {
  if (!layers_.empty()) layers_ += ',';
  layers_ += fmt::format("{{\"data\":{{\"values\":{}}},\"mark\":{},\"encoding\":{}}}",
                         json_rows(data), mark, encoding);
}

std::string vega_lite_spec::finish() {
  return head_ + ",\"layer\":[" + layers_ + "]}\n";
}

}  // namespace cltv::plot
