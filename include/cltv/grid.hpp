#pragma once
// A sensitivity grid: one metric of a scenario over one or two varied inputs
// (its axes), every cell the scenario with the axes' values put in — "how
// does LTV:CAC move with churn and ARPU?".

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cltv/error.hpp"
#include "cltv/ltv.hpp"
#include "cltv/scenario.hpp"
#include "cltv/scenario_fields.hpp"

namespace cltv {

/// Points per axis are capped so that a typo (":50000") cannot make a huge grid.
inline constexpr std::size_t max_grid_points = 1000;
/// And the whole grid, so that two long axes cannot either (1000 × 100).
inline constexpr std::size_t max_grid_cells = 100000;

/// One varied input and the values it takes, in order.
struct grid_axis {
  scenario_field field;
  std::vector<double> values;
};

/// Reads an axis: FIELD=VALUES, a value list (cltv/value_list.hpp):
/// FROM..TO:COUNT (COUNT evenly spaced points, both ends included), FROM..TO
/// with whole ends (every integer) or V1,V2,… . FIELD is the JSON name of a numeric input
/// (dashes are accepted for underscores); values read as that input's flag
/// would ("4%" for rates). Range checks of the values themselves are left to
/// resolve(), cell by cell. The grid's errors (field "vary") speak of an axis
/// as grid's users write it: `--vary "churn=2%..10%": a range without a count …`.
///
/// Example:
///   auto axis = cltv::parse_grid_axis("churn=2%..10%:5");  // 0.02, 0.04, 0.06, 0.08, 0.10
///   auto months = cltv::parse_grid_axis("contract_length=12..24");  // 12, 13, …, 24
[[nodiscard]] result<grid_axis> parse_grid_axis(std::string_view text);

/// The error that keeps `axes` from making a grid, or nullopt: one or two
/// axes, no input twice, no two sources of one group (arpu and value; churn
/// and customers_start: cltv::are_alternatives), at most max_grid_cells cells.
[[nodiscard]] std::optional<error> check_grid_axes(const std::vector<grid_axis>& axes);

/// Each spec through parse_grid_axis, in order, then check_grid_axes: the
/// first error.
[[nodiscard]] result<std::vector<grid_axis>> parse_grid_axes(const std::vector<std::string>& specs);

/// What a cell shows.
enum class grid_metric { ltv, ltv_cac_ratio, net_value, cac_payback };

/// "ltv", "ltv_cac_ratio", "net_value", "cac_payback".
[[nodiscard]] std::string_view to_string(grid_metric metric) noexcept;
/// The inverse of to_string; an unknown name is an error that lists the metrics.
[[nodiscard]] result<grid_metric> parse_grid_metric(std::string_view name);

/// The metric of the scenario at one point of the axes.
struct grid_cell {
  std::optional<double> value;       ///< nullopt: not defined (no CAC, payback never)
  std::optional<bool> meets_target;  ///< LTV:CAC ≥ target, when there is a ratio
  /// CAC paid back within max_payback, when the scenario gives a limit.
  std::optional<bool> meets_payback;
  std::optional<error> failure;  ///< why the scenario at this point has no result
  bool payback_never = false;    ///< cac_payback: a margin ≤ 0 never pays the CAC back

  /// Whether the cell's scenario fails `rule` (the rule applies and is not met).
  [[nodiscard]] bool fails(check_rule rule) const noexcept;
};

/// A grid's cells, row by row: the first axis makes the rows, the second (if
/// any) the columns.
struct grid {
  scenario_input base;
  std::vector<grid_axis> axes;  ///< one or two (evaluate_grid checks)
  grid_metric metric = grid_metric::ltv_cac_ratio;
  std::vector<grid_cell> cells;

  [[nodiscard]] std::size_t rows() const noexcept { return axes[0].values.size(); }
  [[nodiscard]] std::size_t columns() const noexcept {
    return axes.size() > 1 ? axes[1].values.size() : 1;
  }
  [[nodiscard]] const grid_cell& at(std::size_t row, std::size_t column) const {
    return cells[row * columns() + column];
  }
  /// The target every cell is held to, or nullopt when an axis varies it.
  [[nodiscard]] std::optional<double> fixed_target() const noexcept;
  /// The payback limit every cell is held to, or nullopt when an axis varies
  /// it or none is given.
  [[nodiscard]] std::optional<double> fixed_max_payback() const noexcept;
  /// The rules whose failures the grid marks, in order: the payback rule when
  /// a limit is given (or varied); the LTV:CAC rule when a cell has a ratio,
  /// except on a cac_payback grid with a limit, which shows payback against
  /// that limit.
  [[nodiscard]] std::vector<check_rule> marked_rules() const;
  /// For each cell, row by row, whether it fails one of marked_rules() (one
  /// pass: marked_rules() looks at every cell, so asking it per cell would be
  /// quadratic).
  [[nodiscard]] std::vector<bool> failing_cells() const;
  /// How many cells failed.
  [[nodiscard]] std::size_t failures() const noexcept;
};

/// The cell of `base` with axes[0] at its value `row` and axes[1] (if any) at
/// its value `column` (axes as parse_grid_axis makes them), evaluated through
/// calculate_scenario: an input the point makes invalid is the cell's
/// failure, not an error of the grid.
///
/// Example:
///   // arpu 50, cac 300, churn 4 %: LTV 50 / 0.04 = 1250, 1250 / 300 = 4.1667 ≥ 3
///   auto cell = cltv::evaluate_grid_cell(base, {*cltv::parse_grid_axis("churn=4%")}, 0, 0,
///                                        cltv::grid_metric::ltv_cac_ratio);
[[nodiscard]] grid_cell evaluate_grid_cell(const scenario_input& base,
                                           const std::vector<grid_axis>& axes, std::size_t row,
                                           std::size_t column, grid_metric metric);

/// Every cell of the grid of `metric` over `axes` around `base`. Fails when
/// check_grid_axes does, or when the metric needs a CAC that `base` does not
/// give and no axis varies; a cell that fails is only that cell's failure.
///
/// Example:
///   // arpu 50, cac 300 over churn 2 %, 4 %, 8 %: ratios 8.33, 4.17, 2.08; the last misses 3
///   auto g = cltv::evaluate_grid(base, {*cltv::parse_grid_axis("churn=2%,4%,8%")},
///                                cltv::grid_metric::ltv_cac_ratio);
[[nodiscard]] result<grid> evaluate_grid(const scenario_input& base, std::vector<grid_axis> axes,
                                         grid_metric metric);

}  // namespace cltv
