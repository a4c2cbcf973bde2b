// `cltv plot matrix`: what a purchase model says about every history at once
// — P(alive) or the expected purchases over frequency × recency for a
// customer of age T, as a heatmap (lifetimes' plot_probability_alive_matrix
// and plot_frequency_recency_matrix).

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

constexpr double chart_width = 760, plot_height = 340;
constexpr double left_edge = 84, top_edge = 78, right_edge = 140, bottom_edge = 58;
// Cells are coloured at one of this many levels (finer than the eye tells
// apart): neighbours of equal colour merge into one rectangle.
constexpr double colour_levels = 128;

std::string_view metric_name(matrix_metric m) {
  return m == matrix_metric::expected_purchases ? "expected_purchases" : "p_alive";
}

double value_at(const matrix_view& v, std::size_t f, std::size_t r) {
  return v.metric == matrix_metric::expected_purchases ? v.matrix.expected_at(f, r)
                                                       : v.matrix.p_alive_at(f, r);
}

value_style style_of(const matrix_view& v) {
  return v.metric == matrix_metric::p_alive ? value_style::percent : value_style::amount;
}

std::string singular(const std::string& unit) {
  return unit.size() > 1 && unit.back() == 's' ? unit.substr(0, unit.size() - 1) : unit;
}

// "4 weeks", "1 week", "2.5 days".
std::string quantity(double n, const std::string& unit) {
  return readable_number(n, value_style::amount) + " " + (n == 1 ? singular(unit) : unit);
}

std::string title(const matrix_view& v) {
  if (v.metric == matrix_metric::p_alive)
    return "Probability a customer is alive, by frequency and recency";
  const std::string next =
      v.matrix.horizon == 1 ? singular(v.time_unit) : quantity(v.matrix.horizon, v.time_unit);
  return "Expected purchases in the next " + next + ", by frequency and recency";
}

std::string subtitle(const matrix_view& v) {
  return fmt::format("{} · a customer aged T = {} · blank: no such history", v.model_name,
                     quantity(v.matrix.T, v.time_unit));
}

data_table cells_table(const matrix_view& v) {
  data_table t{{"frequency", "recency", std::string(metric_name(v.metric))}, {}};
  const models::history_matrix& m = v.matrix;
  for (std::size_t f = 0; f < m.frequencies.size(); ++f)
    for (std::size_t r = 0; r < m.recencies.size(); ++r) {
      const double value = value_at(v, f, r);
      if (std::isfinite(value)) t.rows.push_back({m.frequencies[f], m.recencies[r], value});
    }
  return t;
}

// The extremes of the drawn cells, with where they are.
struct extremes {
  double low = HUGE_VAL, high = -HUGE_VAL;
  std::size_t low_f = 0, low_r = 0, high_f = 0, high_r = 0;
  std::size_t blank = 0;
};

extremes extremes_of(const matrix_view& v) {
  extremes e;
  for (std::size_t f = 0; f < v.matrix.frequencies.size(); ++f)
    for (std::size_t r = 0; r < v.matrix.recencies.size(); ++r) {
      const double value = value_at(v, f, r);
      if (!std::isfinite(value)) {
        ++e.blank;
        continue;
      }
      if (value < e.low) {
        e.low = value;
        e.low_f = f;
        e.low_r = r;
      }
      if (value > e.high) {
        e.high = value;
        e.high_f = f;
        e.high_r = r;
      }
    }
  return e;
}

std::string description(const matrix_view& v) {
  const models::history_matrix& m = v.matrix;
  std::string text = fmt::format(
      "{} ({}) for a customer aged T = {}: {} frequencies from {} to {} repeat purchases (rows) "
      "by {} recencies from {} to {} (columns).",
      title(v), v.model_name, quantity(m.T, v.time_unit), m.frequencies.size(),
      readable_number(m.frequencies.front(), value_style::amount),
      readable_number(m.frequencies.back(), value_style::amount), m.recencies.size(),
      readable_number(m.recencies.front(), value_style::amount),
      quantity(m.recencies.back(), v.time_unit));
  const extremes e = extremes_of(v);
  const value_style style = style_of(v);
  if (e.low <= e.high)
    text += fmt::format(
        " Highest {} at frequency {}, recency {}; lowest {} at frequency {}, recency {}.",
        readable_number(e.high, style),
        readable_number(m.frequencies[e.high_f], value_style::amount),
        readable_number(m.recencies[e.high_r], value_style::amount), readable_number(e.low, style),
        readable_number(m.frequencies[e.low_f], value_style::amount),
        readable_number(m.recencies[e.low_r], value_style::amount));
  if (e.blank > 0)
    text += fmt::format(
        " {} blank cells: no repeat purchase but a recency above 0, a history no "
        "customer can have.",
        e.blank);
  return text;
}

std::string json_document(const matrix_view& v) {
  return fmt::format(
      "{{\"chart\":\"matrix\",\"metric\":{},\"model\":{},\"time_unit\":{},\"T\":{},"
      "\"horizon\":{},\"frequencies\":{},\"recencies\":{},\"points\":{}}}\n",
      json_string(metric_name(v.metric)), json_string(v.model_name), json_string(v.time_unit),
      json_number(v.matrix.T), json_number(v.matrix.horizon), v.matrix.frequencies.size(),
      v.matrix.recencies.size(), json_rows(cells_table(v)));
}

std::string vega_lite(const matrix_view& v) {
  vega_lite_spec spec(title(v) + " (" + subtitle(v) + ")", description(v));
  const std::string scale =
      v.metric == matrix_metric::p_alive
          ? R"("scale":{"scheme":"viridis","domain":[0,1]},"legend":{"format":"%"})"
          : R"("scale":{"scheme":"viridis","domainMin":0})";
  const std::string axis =
      R"("axis":{"labelOverlap":"greedy","format":"~r","formatType":"number"})";
  spec.layer(cells_table(v), R"({"type":"rect"})",
             fmt::format(R"({{"x":{{"field":"recency","type":"ordinal",{},"title":{}}},)"
                         R"("y":{{"field":"frequency","type":"ordinal","sort":"descending",{},)"
                         R"j("title":"Frequency (repeat purchases)"}},)j"
                         R"("color":{{"field":{},"type":"quantitative",{}}}}})",
                         axis, json_string("Recency (" + v.time_unit + ")"), axis,
                         json_string(metric_name(v.metric)), scale));
  return spec.finish();
}

// Where the ticks of a cell-centred axis go: nice values between the first
// and the last cell's value.
std::vector<double> axis_ticks(const std::vector<double>& values, int wanted) {
  const ticks t = linear_ticks(values.front(), values.back(), wanted, true);
  std::vector<double> out;
  const double slack = 1e-9 * std::max(1.0, std::abs(values.back()));
  for (const double tick : t.values)
    if (tick >= values.front() - slack && tick <= values.back() + slack) out.push_back(tick);
  return out;
}

}  // namespace

rendered_chart render_matrix(const matrix_view& v) {
  const models::history_matrix& m = v.matrix;
  const std::size_t rows = m.frequencies.size(), columns = m.recencies.size();
  const double plot_width = chart_width - left_edge - right_edge;
  const double cell_width = plot_width / static_cast<double>(std::max<std::size_t>(columns, 1));
  const double cell_height = plot_height / static_cast<double>(std::max<std::size_t>(rows, 1));
  const double height = top_edge + plot_height + bottom_edge;
  const double bottom = top_edge + plot_height;

  const extremes e = extremes_of(v);
  const value_style style = style_of(v);
  // P(alive) on its whole range 0 … 100 %; expected purchases from 0 to a
  // nice number above the highest.
  ticks legend_ticks = linear_ticks(0, 1, 5);
  if (v.metric == matrix_metric::expected_purchases)
    legend_ticks = linear_ticks(0, e.low <= e.high && e.high > 0 ? e.high : 1, 5);
  const double scale_high = legend_ticks.high;
  const auto level = [&](double value) {
    return std::round(std::clamp(value / scale_high, 0.0, 1.0) * colour_levels) / colour_levels;
  };

  rendered_chart out;
  svg_writer svg(chart_width, height, title(v), description(v));
  text_boxes& labels = out.labels;
  const auto label = [&](double x, double y, const std::string& text, std::string_view anchor,
                         const char* fill,
                         double size) { place_label(svg, labels, x, y, text, anchor, fill, size); };
  label(16, 28, title(v), "start", colour::ink, 18);
  label(16, 50, subtitle(v), "start", colour::muted, 13);

  // The cells: in a group scaled to one unit per cell, frequency 0 at the
  // bottom; each run of equal colour along a row is one rectangle, blank
  // cells are not drawn.
  svg.open("g", {{"class", "cells"},
                 {"transform", fmt::format("translate({} {}) scale({} {})", svg_number(left_edge),
                                           svg_number(top_edge), fmt::format("{:.6g}", cell_width),
                                           fmt::format("{:.6g}", cell_height))},
                 {"shape-rendering", "crispEdges"},
                 {"aria-label", fmt::format("{} cells, {} frequencies by {} recencies",
                                            metric_name(v.metric), rows, columns)}});
  for (std::size_t f = 0; f < rows; ++f) {
    std::string line;
    const std::size_t y = rows - 1 - f;
    std::size_t r = 0;
    while (r < columns) {
      const double value = value_at(v, f, r);
      if (!std::isfinite(value)) {
        ++r;
        continue;
      }
      const double p = level(value);
      std::size_t end = r + 1;
      while (end < columns && std::isfinite(value_at(v, f, end)) && level(value_at(v, f, end)) == p)
        ++end;
      line += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="1" fill="{}"/>)", r, y, end - r,
                          colour_at(p));
      r = end;
    }
    if (!line.empty()) svg.raw(line);
  }
  svg.close();

  // The values in the cells, when the cells are big enough for them.
  if (cell_width >= 30 && cell_height >= 16) {
    const double size = std::min(11.0, cell_height * 0.6);
    for (std::size_t f = 0; f < rows; ++f)
      for (std::size_t r = 0; r < columns; ++r) {
        const double value = value_at(v, f, r);
        if (!std::isfinite(value)) continue;
        const std::string text = readable_number(value, style);
        if (text_width(text, size) + 4 > cell_width) continue;
        label(left_edge + cell_width * (static_cast<double>(r) + 0.5),
              top_edge + cell_height * (static_cast<double>(rows - f) - 0.5) + size * 0.35, text,
              "middle", is_dark(level(value)) ? "#FFFFFF" : colour::ink, size);
      }
  }

  // Axes: a line along the bottom and the left, ticks at nice values placed
  // at their cells' centres.
  svg.empty("path",
            {{"d", fmt::format("M{0} {1} V{2} H{3}", svg_number(left_edge), svg_number(top_edge),
                               svg_number(bottom), svg_number(left_edge + plot_width))},
             {"fill", "none"},
             {"stroke", colour::ink},
             {"stroke-width", "1"}});
  const auto at = [](const std::vector<double>& values, double value, double size) {
    const double step = values.size() > 1 ? values[1] - values[0] : 1;
    return size * ((value - values.front()) / step + 0.5);
  };
  std::string marks;
  for (const double r : axis_ticks(m.recencies, std::max(2, static_cast<int>(plot_width / 70)))) {
    const double x = left_edge + at(m.recencies, r, cell_width);
    marks += fmt::format("M{} {}v5 ", svg_number(x), svg_number(bottom));
    label(x, bottom + 19, tick_label(r, value_style::amount, 1), "middle", colour::ink, label_font);
  }
  for (const double f :
       axis_ticks(m.frequencies, std::max(2, static_cast<int>(plot_height / 40)))) {
    const double y = bottom - at(m.frequencies, f, cell_height);
    marks += fmt::format("M{} {}h-5 ", svg_number(left_edge), svg_number(y));
    label(left_edge - 8, y + 4, tick_label(f, value_style::count, 1), "end", colour::ink,
          label_font);
  }
  if (!marks.empty()) {
    marks.pop_back();
    svg.empty("path", {{"d", marks}, {"stroke", colour::ink}, {"stroke-width", "1"}});
  }
  label(left_edge + plot_width / 2, bottom + 44,
        "Recency: age at the last purchase (" + v.time_unit + ")", "middle", colour::ink, 13);
  place_vertical_title(svg, labels, top_edge + plot_height / 2, "Frequency (repeat purchases)");

  // The legend: the colour scale from 0 to its top.
  colour_legend legend;
  legend.x = left_edge + plot_width + 24;
  legend.top = top_edge + 22;
  legend.height = std::min(200.0, plot_height - 16);
  legend.title = v.metric == matrix_metric::p_alive ? "P(alive)" : "Purchases";
  for (const double t : legend_ticks.values)
    legend.ticks.emplace_back(t / scale_high, tick_label(t, style, legend_ticks.step));
  legend.aria_label = fmt::format("Colour scale: {} from {} to {}", legend.title,
                                  tick_label(0, style, legend_ticks.step),
                                  tick_label(scale_high, style, legend_ticks.step));
  draw_colour_legend(svg, labels, legend);
  if (e.blank > 0) {
    const double y = legend.top + legend.height + 22;
    svg.empty("rect", {{"x", svg_number(legend.x)},
                       {"y", svg_number(y)},
                       {"width", "14"},
                       {"height", "14"},
                       {"fill", "#FFFFFF"},
                       {"stroke", colour::grid},
                       {"aria-label", "Blank: no such history"}});
    label(legend.x + 20, y + 11, "no such", "start", colour::ink, label_font);
    label(legend.x + 20, y + 26, "history", "start", colour::ink, label_font);
  }
  out.svg = svg.finish();
  return out;
}

std::string matrix_chart(const matrix_view& v, chart_format format) {
  return chart_text(v, format, {cells_table, json_document, vega_lite, render_matrix});
}

}  // namespace cltv::plot
