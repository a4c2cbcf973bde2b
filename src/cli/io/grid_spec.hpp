#pragma once
// The parts of `cltv grid` that are text in, values out: the --vary specs
// ("churn=2%..10%:5", "arpu=20,40,60") and the --metric names.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cltv/error.hpp"
#include "cltv/scenario_fields.hpp"

namespace cltv::cli {

/// Points per --vary are capped so that a typo (":50000") cannot make a huge grid.
inline constexpr std::size_t max_grid_points = 1000;
/// And the whole grid, so that two long axes cannot either (1000 × 100).
inline constexpr std::size_t max_grid_cells = 100000;

/// One varied input and the values it takes, in order.
struct vary_spec {
  scenario_field field;
  std::vector<double> values;
};

/// Parses one --vary: FIELD=FROM..TO:COUNT (COUNT evenly spaced points, both
/// ends included) or FIELD=V1,V2,… . FIELD is a JSON input name (dashes are
/// accepted for underscores); values are parsed as that input's flag would
/// be ("4%" for rates). Range checks of the values themselves are left to
/// resolve(), cell by cell.
///
/// Example: parse_vary("churn=2%..10%:5") → churn at 0.02, 0.04, 0.06, 0.08, 0.10.
[[nodiscard]] result<vary_spec> parse_vary(std::string_view text);

/// At most two varied inputs, no input twice, no two sources of one group
/// (arpu and value; churn and customers_start: cltv::are_alternatives), at
/// most max_grid_cells cells.
[[nodiscard]] std::optional<error> check_varies(const std::vector<vary_spec>& varies);

enum class grid_metric { ltv, ltv_cac_ratio, net_value, cac_payback };

[[nodiscard]] std::optional<grid_metric> parse_grid_metric(std::string_view name);
[[nodiscard]] std::string_view to_string(grid_metric m);

}  // namespace cltv::cli
