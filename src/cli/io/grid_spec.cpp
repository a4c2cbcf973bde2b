#include "io/grid_spec.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "cltv/number.hpp"

namespace cltv::cli {
namespace {

error vary_error(std::string_view text, const std::string& what) {
  return {"vary", fmt::format("--vary \"{}\": {}", printable(text), what)};
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
  return fmt::format("{} ({})", to_string(a.group), sources);
}

}  // namespace

result<vary_spec> parse_vary(std::string_view text) {
  const std::size_t eq = text.find('=');
  if (eq == std::string_view::npos)
    return vary_error(text,
                      "expected FIELD=FROM..TO:COUNT or FIELD=V1,V2,... (e.g. churn=2%..10%:5)");
  std::string name(text.substr(0, eq));
  for (char& ch : name)
    if (ch == '-') ch = '_';
  const scenario_field* field = find_scenario_field(name);
  if (!field || !field->member)
    return vary_error(
        text, fmt::format("unknown field \"{}\" (fields: {})", printable(name), field_names()));
  const std::string_view rest = text.substr(eq + 1);
  vary_spec spec{*field, {}};
  if (rest.empty()) return vary_error(text, "empty range: give FROM..TO:COUNT or a list");

  const std::size_t dots = rest.find("..");
  if (dots == std::string_view::npos) {
    // A list: V1,V2,…
    std::size_t start = 0;
    while (true) {
      const std::size_t comma = rest.find(',', start);
      const std::string_view item = rest.substr(
          start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
      if (item.empty()) return vary_error(text, "empty value in the list");
      auto v = parse_number(field->name, item, field->style());
      if (!v) return vary_error(text, v.error().message);
      spec.values.push_back(*v);
      if (spec.values.size() > max_grid_points)
        return vary_error(text, fmt::format("more than {} values", max_grid_points));
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    return spec;
  }

  // A range: FROM..TO:COUNT
  const std::string_view from_text = rest.substr(0, dots);
  std::string_view to_text = rest.substr(dots + 2);
  const std::size_t colon = to_text.find(':');
  if (colon == std::string_view::npos)
    return vary_error(
        text, "a range needs a count of points, e.g. " + name + "=" + std::string(rest) + ":5");
  const std::string_view count_text = to_text.substr(colon + 1);
  to_text = to_text.substr(0, colon);
  if (from_text.empty() || to_text.empty()) return vary_error(text, "empty range end");
  auto from = parse_number(field->name, from_text, field->style());
  if (!from) return vary_error(text, from.error().message);
  auto to = parse_number(field->name, to_text, field->style());
  if (!to) return vary_error(text, to.error().message);
  std::size_t count = 0;
  const auto [end, ec] =
      std::from_chars(count_text.data(), count_text.data() + count_text.size(), count);
  if (count_text.empty() || ec != std::errc{} || end != count_text.data() + count_text.size())
    return vary_error(
        text, fmt::format("count must be a whole number >= 2, got \"{}\"", printable(count_text)));
  if (count < 2)
    return vary_error(text, fmt::format("a range needs a count >= 2 (both ends), got {}", count));
  if (count > max_grid_points)
    return vary_error(text,
                      fmt::format("count must be at most {}, got {}", max_grid_points, count));
  if (*from > *to)
    return vary_error(text, fmt::format("reversed range: {} is above {}", format_shortest(*from),
                                        format_shortest(*to)));
  if (*from == *to)
    return vary_error(text, fmt::format("empty range: both ends are {}", format_shortest(*from)));
  const double step = (*to - *from) / static_cast<double>(count - 1);
  for (std::size_t i = 0; i + 1 < count; ++i)
    spec.values.push_back(*from + step * static_cast<double>(i));
  spec.values.push_back(*to);  // exactly the given end, not from + (n−1)·step
  return spec;
}

std::optional<error> check_varies(const std::vector<vary_spec>& varies) {
  if (varies.empty())
    return error{"vary", "grid needs one or two --vary (e.g. --vary churn=2%..10%:5)"};
  if (varies.size() > 2)
    return error{"vary",
                 fmt::format("at most two --vary (rows and columns), got {}", varies.size())};
  if (varies.size() == 2) {
    const scenario_field &a = varies[0].field, &b = varies[1].field;
    if (a.name == b.name) return error{"vary", fmt::format("--vary {} is given twice", a.name)};
    if (are_alternatives(a, b))
      return error{"vary", fmt::format("--vary {} and --vary {} set the same input, the {}", a.name,
                                       b.name, group_text(a, b))};
    const std::size_t cells = varies[0].values.size() * varies[1].values.size();
    if (cells > max_grid_cells)
      return error{"vary",
                   fmt::format("{} × {} = {} cells is more than {}", varies[0].values.size(),
                               varies[1].values.size(), cells, max_grid_cells)};
  }
  return std::nullopt;
}

std::optional<grid_metric> parse_grid_metric(std::string_view name) {
  for (auto m : {grid_metric::ltv, grid_metric::ltv_cac_ratio, grid_metric::net_value,
                 grid_metric::cac_payback})
    if (name == to_string(m)) return m;
  return std::nullopt;
}

std::string_view to_string(grid_metric m) {
  switch (m) {
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

}  // namespace cltv::cli
