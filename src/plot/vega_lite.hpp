#pragma once
// A Vega-Lite v5 spec with its data inline, built layer by layer: for people
// who restyle a chart in a notebook (Altair, the Vega editor).

#include <string>
#include <string_view>

#include "plot/data_table.hpp"

namespace cltv::plot {

class vega_lite_spec {
 public:
  vega_lite_spec(std::string_view title, std::string_view description, double width = 600,
                 double height = 340);

  /// A layer: its own inline `data`, a mark and an encoding, each given as a
  /// JSON object's text.
  void layer(const data_table& data, std::string_view mark, std::string_view encoding);

  /// The spec as one JSON document and a newline.
  [[nodiscard]] std::string finish();

 private:
  std::string head_;
  std::string layers_;
};

}  // namespace cltv::plot
