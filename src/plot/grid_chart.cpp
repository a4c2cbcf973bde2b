// `cltv plot grid`: a heatmap of one metric over one or two varied inputs,
// the cells that fail a rule hatched and the boundary between passing and
// failing cells drawn — the picture of `cltv grid`.

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "plot/chart_text.hpp"
#include "plot/charts.hpp"
#include "plot/colour_scale.hpp"
#include "plot/data_table.hpp"
#include "plot/frame.hpp"
#include "plot/vega_lite.hpp"

namespace cltv::plot {

namespace {

constexpr double chart_width = 760;
constexpr double left_edge = 110, top_edge = 96, right_edge = 150, bottom_edge = 64;

std::string axis_value(const grid_axis& axis, double v) {
  return axis.field.style() == cltv::number_style::rate ? readable_number(v, value_style::percent)
                                                        : readable_number(v, value_style::amount);
}

std::string metric_title(grid_metric m) {
  switch (m) {
    case grid_metric::ltv:
      return "LTV per customer";
    case grid_metric::net_value:
      return "Net value (LTV − CAC) per customer";
    case grid_metric::cac_payback:
      return "CAC payback (CAC / margin per period)";
    case grid_metric::ltv_cac_ratio:
    default:
      return "LTV:CAC";
  }
}

std::string cell_text(const grid& g, const grid_cell& c) {
  if (c.failure) return "error";
  if (c.payback_never) return "never";
  if (!c.value) return "—";
  if (g.metric == grid_metric::ltv_cac_ratio)
    return readable_number(*c.value, value_style::amount) + "×";
  return readable_number(*c.value, value_style::amount);
}

std::string rule_text(const grid& g) {
  std::vector<std::string> parts;
  for (const check_rule r : g.marked_rules()) {
    if (r == check_rule::ltv_cac) {
      const auto target = g.fixed_target();
      parts.push_back(target ? "below the " + readable_number(*target, value_style::amount) +
                                   "× LTV:CAC target"
                             : std::string("below the LTV:CAC target"));
    } else {
      const auto limit = g.fixed_max_payback();
      parts.push_back(limit ? "payback over " + readable_number(*limit, value_style::amount) +
                                  " periods"
                            : std::string("payback over the limit"));
    }
  }
  std::string text;
  for (std::size_t i = 0; i < parts.size(); ++i) text += (i == 0 ? "" : " or ") + parts[i];
  return text;
}

data_table cells_table(const grid& g) {
  const bool two = g.axes.size() > 1;
  data_table t;
  t.columns.emplace_back(g.axes[0].field.name);
  if (two) t.columns.emplace_back(g.axes[1].field.name);
  t.columns.emplace_back(to_string(g.metric));
  t.columns.emplace_back("fails_rule");
  t.columns.emplace_back("error");
  const std::vector<bool> failing = g.failing_cells();
  for (std::size_t r = 0; r < g.rows(); ++r)
    for (std::size_t col = 0; col < g.columns(); ++col) {
      const grid_cell& c = g.at(r, col);
      std::vector<cell> row{g.axes[0].values[r]};
      if (two) row.emplace_back(g.axes[1].values[col]);
      row.push_back(optional_cell(c.value));
      row.emplace_back(static_cast<bool>(failing[r * g.columns() + col]));
      row.push_back(c.failure ? cell(c.failure->message) : cell{});
      t.rows.push_back(std::move(row));
    }
  return t;
}

std::string description(const grid& g) {
  const std::vector<bool> failing_cells = g.failing_cells();
  const auto failing = std::count(failing_cells.begin(), failing_cells.end(), true);
  std::string text = fmt::format("{} over {} value{} of {}", metric_title(g.metric), g.rows(),
                                 g.rows() == 1 ? "" : "s", g.axes[0].field.name);
  if (g.axes.size() > 1)
    text += fmt::format(" (rows) and {} of {} (columns)", g.columns(), g.axes[1].field.name);
  text += fmt::format(". {} of {} cells", failing, g.cells.size());
  const std::string rules = rule_text(g);
  text += rules.empty() ? " are judged by no rule" : " are " + rules + " (hatched)";
  return text + ".";
}

std::string vega_lite(const grid& g) {
  vega_lite_spec spec(metric_title(g.metric), description(g));
  const bool two = g.axes.size() > 1;
  const std::string y = fmt::format(R"("y":{{"field":{},"type":"ordinal","sort":"descending"}})",
                                    json_string(g.axes[0].field.name));
  const std::string x = two ? fmt::format(R"("x":{{"field":{},"type":"ordinal"}},)",
                                          json_string(g.axes[1].field.name))
                            : std::string();
  spec.layer(
      cells_table(g), R"({"type":"rect"})",
      "{" + x + y +
          fmt::format(
              R"(,"color":{{"field":{},"type":"quantitative","scale":{{"scheme":"viridis"}}}},)",
              json_string(to_string(g.metric))) +
          R"("opacity":{"condition":{"test":"datum.fails_rule","value":0.45},"value":1}})");
  return spec.finish();
}

}  // namespace

rendered_chart render_grid(const grid& g) {
  const bool two = g.axes.size() > 1;
  const std::size_t rows = g.rows(), columns = g.columns();
  const double plot_width = chart_width - left_edge - right_edge;
  const double cell_width = plot_width / static_cast<double>(columns);
  const double cell_height = std::clamp(300.0 / static_cast<double>(rows), 4.0, 48.0);
  const double plot_height = cell_height * static_cast<double>(rows);
  const double height = top_edge + plot_height + bottom_edge;

  double low = HUGE_VAL, high = -HUGE_VAL;
  for (const grid_cell& c : g.cells)
    if (c.value && std::isfinite(*c.value)) {
      low = std::min(low, *c.value);
      high = std::max(high, *c.value);
    }
  const bool any_value = low <= high;
  // Values that span decades (all above 0) are coloured on a log scale, so
  // that the low end is not one colour.
  const bool logarithmic = any_value && spans_decades(low, high);
  const auto position = [&](double v) {
    if (!(high > low)) return 0.5;
    if (logarithmic) return std::log(v / low) / std::log(high / low);
    return (v - low) / (high - low);
  };

  rendered_chart out;
  const std::string title = metric_title(g.metric) + " by " + std::string(g.axes[0].field.name) +
                            (two ? " and " + std::string(g.axes[1].field.name) : std::string());
  svg_writer svg(chart_width, height, title, description(g));
  text_boxes& labels = out.labels;
  const auto label = [&](double x, double y, const std::string& text, std::string_view anchor,
                         const char* fill,
                         double size) { place_label(svg, labels, x, y, text, anchor, fill, size); };
  label(16, 28, title, "start", colour::ink, 18);
  const std::string rules = rule_text(g);
  label(16, 50, rules.empty() ? "No rule applies to these cells" : "Hatched: " + rules, "start",
        colour::muted, 13);

  // The hatching of failing cells: diagonal lines over the colour, so that
  // the verdict does not rest on colour alone.
  svg.raw(
      R"svg(<defs><pattern id="fails-rule" patternUnits="userSpaceOnUse" width="8" height="8" patternTransform="rotate(45)"><rect width="8" height="8" fill="none"/><line x1="0" y1="0" x2="0" y2="8" stroke="#FFFFFF" stroke-width="3"/><line x1="3" y1="0" x2="3" y2="8" stroke="#000000" stroke-width="1.5"/></pattern></defs>)svg");

  const std::vector<bool> failing = g.failing_cells();
  const auto fails_at = [&](std::size_t r, std::size_t col) {
    return static_cast<bool>(failing[r * columns + col]);
  };
  const bool label_cells = cell_width >= 44 && cell_height >= 16;
  // White lines between cells, unless the cells are too small for them to
  // leave any colour.
  const bool cell_lines = cell_width >= 12 && cell_height >= 12;
  svg.open("g", {{"class", "cells"}});
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t col = 0; col < columns; ++col) {
      const grid_cell& c = g.at(r, col);
      const double x = left_edge + cell_width * static_cast<double>(col);
      const double y = top_edge + cell_height * static_cast<double>(r);
      const bool has_value = c.value && std::isfinite(*c.value);
      const double p = has_value ? position(*c.value) : 0;
      const std::string fill = has_value ? colour_at(p) : std::string("#F2F2F2");
      std::string aria =
          fmt::format("{} {}", g.axes[0].field.name, axis_value(g.axes[0], g.axes[0].values[r]));
      if (two)
        aria += fmt::format(", {} {}", g.axes[1].field.name,
                            axis_value(g.axes[1], g.axes[1].values[col]));
      aria += ": " + cell_text(g, c) + (fails_at(r, col) ? " (fails)" : "");
      svg.empty("rect", {{"x", svg_number(x)},
                         {"y", svg_number(y)},
                         {"width", svg_number(cell_width)},
                         {"height", svg_number(cell_height)},
                         {"fill", fill},
                         {"stroke", cell_lines ? "#FFFFFF" : "none"},
                         {"stroke-width", "1"},
                         {"aria-label", aria}});
      if (fails_at(r, col))
        svg.empty("rect", {{"x", svg_number(x)},
                           {"y", svg_number(y)},
                           {"width", svg_number(cell_width)},
                           {"height", svg_number(cell_height)},
                           {"fill", "url(#fails-rule)"},
                           {"fill-opacity", "0.55"}});
      if (label_cells) {
        const bool dark = has_value && is_dark(p);
        const double size = std::min(12.0, cell_height * 0.6);
        const std::string text = cell_text(g, c);
        // Only when the value fits its cell.
        if (text_width(text, size) + 6 < cell_width) {
          svg.empty("rect", {{"x", svg_number(x + cell_width / 2 - text_width(text, size) / 2 - 2)},
                             {"y", svg_number(y + cell_height / 2 - size * 0.75)},
                             {"width", svg_number(text_width(text, size) + 4)},
                             {"height", svg_number(size * 1.3)},
                             {"fill", dark ? "#222222" : "#FFFFFF"},
                             {"fill-opacity", "0.75"},
                             {"rx", "2"}});
          label(x + cell_width / 2, y + cell_height / 2 + size * 0.35, text, "middle",
                dark ? "#FFFFFF" : colour::ink, size);
        }
      }
    }
  svg.close();

  // The target contour: every edge between a passing and a failing cell.
  std::string contour;
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t col = 0; col < columns; ++col) {
      const double x = left_edge + cell_width * static_cast<double>(col);
      const double y = top_edge + cell_height * static_cast<double>(r);
      if (col + 1 < columns && fails_at(r, col) != fails_at(r, col + 1))
        contour += fmt::format("M{} {} V{} ", svg_number(x + cell_width), svg_number(y),
                               svg_number(y + cell_height));
      if (r + 1 < rows && fails_at(r, col) != fails_at(r + 1, col))
        contour += fmt::format("M{} {} H{} ", svg_number(x), svg_number(y + cell_height),
                               svg_number(x + cell_width));
    }
  if (!contour.empty()) {
    contour.pop_back();
    svg.empty("path",
              {{"d", contour},
               {"fill", "none"},
               {"stroke", colour::ink},
               {"stroke-width", "3"},
               {"stroke-linecap", "round"},
               {"aria-label", "Target contour: the boundary between passing and failing cells"}});
  }

  // Axis labels: every value when they fit, else every k-th.
  const auto every = [](double room, double needed) {
    return static_cast<std::size_t>(std::max(1.0, std::ceil(needed / std::max(room, 1e-9))));
  };
  const std::size_t row_step = every(cell_height, 15);
  for (std::size_t r = 0; r < rows; r += row_step)
    label(left_edge - 8, top_edge + cell_height * (static_cast<double>(r) + 0.5) + 4,
          axis_value(g.axes[0], g.axes[0].values[r]), "end", colour::ink, label_font);
  if (two) {
    double widest = 0;
    for (const double v : g.axes[1].values)
      widest = std::max(widest, text_width(axis_value(g.axes[1], v), label_font));
    const std::size_t column_step = every(cell_width, widest + 8);
    for (std::size_t col = 0; col < columns; col += column_step)
      label(left_edge + cell_width * (static_cast<double>(col) + 0.5), top_edge + plot_height + 18,
            axis_value(g.axes[1], g.axes[1].values[col]), "middle", colour::ink, label_font);
    label(left_edge + plot_width / 2, top_edge + plot_height + 44,
          std::string(g.axes[1].field.name), "middle", colour::ink, 13);
  }
  label(left_edge - 8, top_edge - 10, std::string(g.axes[0].field.name), "end", colour::ink, 13);

  // The colour legend: a bar from the lowest to the highest value, and the
  // hatched swatch.
  const double lx = chart_width - right_edge + 24;
  if (any_value) {
    const int steps = 24;
    const double bar_top = top_edge, bar_height = std::min(160.0, plot_height);
    for (int i = 0; i < steps; ++i) {
      const double f = 1 - (i + 0.5) / steps;
      svg.empty("rect", {{"x", svg_number(lx)},
                         {"y", svg_number(bar_top + bar_height * i / steps)},
                         {"width", "14"},
                         {"height", svg_number(bar_height / steps + 0.5)},
                         {"fill", colour_at(f)}});
    }
    const auto end_text = [&](double v) {
      return g.metric == grid_metric::ltv_cac_ratio ? readable_number(v, value_style::amount) + "×"
                                                    : readable_number(v, value_style::amount);
    };
    label(lx + 20, bar_top + 10, end_text(high), "start", colour::ink, label_font);
    label(lx + 20, bar_top + bar_height, end_text(low), "start", colour::ink, label_font);
    if (logarithmic) label(lx, bar_top + bar_height + 16, "log scale", "start", colour::muted, 11);
    if (!rules.empty()) {
      const double sy = bar_top + bar_height + (logarithmic ? 34 : 18);
      svg.empty("rect", {{"x", svg_number(lx)},
                         {"y", svg_number(sy)},
                         {"width", "14"},
                         {"height", "14"},
                         {"fill", "#BBBBBB"}});
      svg.empty("rect", {{"x", svg_number(lx)},
                         {"y", svg_number(sy)},
                         {"width", "14"},
                         {"height", "14"},
                         {"fill", "url(#fails-rule)"}});
      label(lx + 20, sy + 11, "fails", "start", colour::ink, label_font);
      svg.empty("line", {{"x1", svg_number(lx)},
                         {"x2", svg_number(lx + 14)},
                         {"y1", svg_number(sy + 30)},
                         {"y2", svg_number(sy + 30)},
                         {"stroke", colour::ink},
                         {"stroke-width", "3"}});
      label(lx + 20, sy + 34, "boundary", "start", colour::ink, label_font);
    }
  }
  out.svg = svg.finish();
  return out;
}

namespace {

std::string json_document(const grid& g) {
  return "{\"chart\":\"grid\",\"metric\":" + json_string(to_string(g.metric)) +
         ",\"cells\":" + json_rows(cells_table(g)) + "}\n";
}

}  // namespace

std::string grid_chart(const grid& g, chart_format format) {
  return chart_text(g, format, {cells_table, json_document, vega_lite, render_grid});
}

}  // namespace cltv::plot
