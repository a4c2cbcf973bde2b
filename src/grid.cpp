#include "cltv/grid.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <utility>

#include "cltv/calculation.hpp"
#include "cltv/number.hpp"
#include "cltv/value_list.hpp"

namespace cltv {
namespace {

constexpr std::array grid_metrics{grid_metric::ltv, grid_metric::ltv_cac_ratio,
                                  grid_metric::net_value, grid_metric::cac_payback};

error axis_error(std::string message) {
  return {"vary", std::move(message)};
}

// The numeric inputs, in the order of their flags: "arpu, value, …".
std::string field_names() {
  std::string names;
  for (const scenario_field* field : scenario_flag_order) {
    if (!field->member) continue;
    if (!names.empty()) names += ", ";
    names += field->name;
  }
  return names;
}

// "lifetime (lifetime, contract_length, churn, customers_start with
// customers_lost)": the group that `a` and `b` both give a source of, its
// sources of one field and the sources of `a` and `b`.
std::string group_text(const scenario_field& a, const scenario_field& b) {
  std::string sources;
  std::string_view last_source;
  for (const scenario_field& field : scenario_fields) {
    if (field.group != a.group || !field.gives_source) continue;
    const auto fields_of_source = std::count_if(
        scenario_fields.begin(), scenario_fields.end(),
        [&](const scenario_field& f) { return f.gives_source && f.source == field.source; });
    if (fields_of_source > 1 && field.source != a.source && field.source != b.source) continue;
    if (field.source == last_source)
      sources += " with ";
    else if (!sources.empty())
      sources += ", ";
    sources += field.name;
    last_source = field.source;
  }
  return std::string(to_string(a.group)) + " (" + sources + ")";
}

bool varies(const std::vector<grid_axis>& axes, std::string_view name) {
  return std::any_of(axes.begin(), axes.end(),
                     [name](const grid_axis& axis) { return axis.field.name == name; });
}

// parse_grid_axis, with errors that do not quote the text.
result<grid_axis> read_axis(std::string_view text) {
  const std::size_t eq = text.find('=');
  if (eq == std::string_view::npos)
    return axis_error("expected FIELD=FROM..TO:COUNT or FIELD=V1,V2,... (e.g. churn=2%..10%:5)");
  std::string name(text.substr(0, eq));
  std::replace(name.begin(), name.end(), '-', '_');
  const scenario_field* field = find_scenario_field(name);
  if (!field || !field->member)
    return axis_error("unknown field \"" + printable(name) + "\" (fields: " + field_names() + ")");
  const std::string_view values = text.substr(eq + 1);
  if (values.empty()) return axis_error("empty range: give FROM..TO:COUNT or a list");
  auto points = parse_value_list(field->name, values, field->style(), max_grid_points);
  if (!points) return axis_error(points.error().message);
  return grid_axis{*field, *std::move(points)};
}

}  // namespace

result<grid_axis> parse_grid_axis(std::string_view text) {
  auto axis = read_axis(text);
  if (!axis) return axis_error("--vary \"" + printable(text) + "\": " + axis.error().message);
  return axis;
}

result<std::vector<grid_axis>> parse_grid_axes(const std::vector<std::string>& specs) {
  std::vector<grid_axis> axes;
  for (const std::string& text : specs) {
    auto axis = parse_grid_axis(text);
    if (!axis) return std::move(axis).error();
    axes.push_back(std::move(*axis));
  }
  if (auto e = check_grid_axes(axes)) return *std::move(e);
  return axes;
}

std::optional<error> check_grid_axes(const std::vector<grid_axis>& axes) {
  if (axes.empty()) return axis_error("grid needs one or two --vary (e.g. --vary churn=2%..10%:5)");
  if (axes.size() > 2)
    return axis_error("at most two --vary (rows and columns), got " + std::to_string(axes.size()));
  if (axes.size() == 1) return std::nullopt;
  const scenario_field &a = axes[0].field, &b = axes[1].field;
  const std::string a_name(a.name), b_name(b.name);
  if (a_name == b_name) return axis_error("--vary " + a_name + " is given twice");
  if (are_alternatives(a, b))
    return axis_error("--vary " + a_name + " and --vary " + b_name + " set the same input, the " +
                      group_text(a, b));
  const std::size_t rows = axes[0].values.size(), columns = axes[1].values.size();
  if (rows * columns > max_grid_cells)
    return axis_error(std::to_string(rows) + " × " + std::to_string(columns) + " = " +
                      std::to_string(rows * columns) + " cells is more than " +
                      std::to_string(max_grid_cells));
  return std::nullopt;
}

std::string_view to_string(grid_metric metric) noexcept {
  switch (metric) {
    case grid_metric::ltv:
      return "ltv";
    case grid_metric::ltv_cac_ratio:
      return "ltv_cac_ratio";
    case grid_metric::net_value:
      return "net_value";
    case grid_metric::cac_payback:
      return "cac_payback";
  }
  return "ltv";
}

result<grid_metric> parse_grid_metric(std::string_view name) {
  std::string names;
  for (grid_metric metric : grid_metrics) {
    if (name == to_string(metric)) return metric;
    names += (names.empty() ? "" : ", ") + std::string(to_string(metric));
  }
  return error{"metric", "unknown metric \"" + printable(name) + "\" (metrics: " + names + ")"};
}

std::optional<double> grid::fixed_target() const noexcept {
  if (varies(axes, "target")) return std::nullopt;
  return base.target.value_or(default_target);
}

std::optional<double> grid::fixed_max_payback() const noexcept {
  if (varies(axes, "max_payback")) return std::nullopt;
  return base.max_payback;
}

std::vector<check_rule> grid::marked_rules() const {
  const bool limit = base.max_payback || varies(axes, "max_payback");
  const bool ratios = std::any_of(cells.begin(), cells.end(),
                                  [](const grid_cell& c) { return c.meets_target.has_value(); });
  std::vector<check_rule> rules;
  if (ratios && !(limit && metric == grid_metric::cac_payback))
    rules.push_back(check_rule::ltv_cac);
  if (limit) rules.push_back(check_rule::payback);
  return rules;
}

bool grid_cell::fails(check_rule rule) const noexcept {
  return (rule == check_rule::payback ? meets_payback : meets_target) == false;
}

std::vector<bool> grid::failing_cells() const {
  const std::vector<check_rule> rules = marked_rules();
  std::vector<bool> failing;
  failing.reserve(cells.size());
  for (const grid_cell& c : cells)
    failing.push_back(
        std::any_of(rules.begin(), rules.end(), [&](check_rule r) { return c.fails(r); }));
  return failing;
}

std::size_t grid::failures() const noexcept {
  return static_cast<std::size_t>(std::count_if(
      cells.begin(), cells.end(), [](const grid_cell& c) { return c.failure.has_value(); }));
}

grid_cell evaluate_grid_cell(const scenario_input& base, const std::vector<grid_axis>& axes,
                             std::size_t row, std::size_t column, grid_metric metric) {
  scenario_input point;
  point.*(axes[0].field.member) = axes[0].values[row];
  if (axes.size() > 1) point.*(axes[1].field.member) = axes[1].values[column];
  grid_cell cell;
  auto c = calculate_scenario(with_overrides(base, point), {});
  if (!c) {
    cell.failure = std::move(c).error();
    return cell;
  }
  const ltv_result& r = c->result;
  cell.meets_target = r.meets_target;
  cell.meets_payback = r.meets_payback;
  switch (metric) {
    case grid_metric::ltv:
      cell.value = r.ltv;
      break;
    case grid_metric::ltv_cac_ratio:
      cell.value = r.ltv_cac_ratio;
      break;
    case grid_metric::net_value:
      cell.value = r.net_value;
      break;
    case grid_metric::cac_payback:
      cell.value = r.cac_payback;
      cell.payback_never = r.payback_undefined;
      break;
  }
  return cell;
}

result<grid> evaluate_grid(const scenario_input& base, std::vector<grid_axis> axes,
                           grid_metric metric) {
  if (auto e = check_grid_axes(axes)) return *std::move(e);
  // A metric that needs a CAC, with none given nor varied: every cell would be empty.
  if (metric != grid_metric::ltv && !base.cac && !varies(axes, "cac"))
    return error{"cac",
                 "metric " + std::string(to_string(metric)) + " needs cac (give --cac or vary it)"};
  // The base's own inputs (the varied ones aside) are the same in every
  // cell: one out of range, or a payback limit without a CAC, is one error
  // up front rather than a grid of error cells.
  scenario_input fixed = base;
  for (const grid_axis& axis : axes)
    if (axis.field.member) fixed.*(axis.field.member) = std::nullopt;
  if (auto e = out_of_range(fixed)) return *std::move(e);
  if ((base.max_payback || varies(axes, "max_payback")) && !base.cac && !varies(axes, "cac"))
    return error{"max_payback",
                 "max_payback needs cac: the payback rule limits CAC / margin per period (give "
                 "--cac or vary it)"};
  grid g{base, std::move(axes), metric, {}};
  g.cells.reserve(g.rows() * g.columns());
  for (std::size_t i = 0; i < g.rows(); ++i)
    for (std::size_t j = 0; j < g.columns(); ++j)
      g.cells.push_back(evaluate_grid_cell(g.base, g.axes, i, j, metric));
  return g;
}

}  // namespace cltv
