// `cltv plot cohorts`: acquisition cohorts over the periods since their first
// purchase — the share of each cohort buying k periods later as a triangular
// heatmap, or each cohort's cumulative revenue per customer as lines.

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <tuple>

#include <fmt/format.h>

#include "plot/chart_text.hpp"
#include "plot/charts.hpp"
#include "plot/colour_scale.hpp"
#include "plot/data_table.hpp"
#include "plot/frame.hpp"
#include "plot/vega_lite.hpp"

namespace cltv::plot {

namespace {

// What is drawn at most: more cohorts are merged into groups of consecutive
// cohorts; the heatmap shows the first periods only.
constexpr std::size_t max_rows = 60, max_columns = 60;
constexpr double chart_width = 760;
constexpr double left_edge = 76, top_edge = 100, right_edge = 170, bottom_edge = 24;
// Cohort lines take the colour map from its dark end to here: its last,
// yellow tenth is too pale for a thin line on white.
constexpr double line_colours_end = 0.85;

std::string capitalised(std::string_view word) {
  std::string out(word);
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 32);
  return out;
}

double revenue_at(const cohort_row& c, std::size_t k) {
  return k < c.revenue.size() ? c.revenue[k] : 0;
}

double ratio(double a, double b) {
  return b > 0 ? a / b : 0;
}

// A row as drawn: one cohort, or consecutive cohorts merged (over the periods
// all of them have seen).
struct drawn_row {
  std::string label;  ///< the first cohort's
  std::size_t cohorts = 1;
  double customers = 0;
  std::vector<double> active, revenue;

  [[nodiscard]] double share(std::size_t k) const { return ratio(active[k], customers); }
  [[nodiscard]] double cumulative_per_customer(std::size_t k) const {
    return ratio(
        std::accumulate(revenue.begin(), revenue.begin() + static_cast<std::ptrdiff_t>(k + 1), 0.0),
        customers);
  }
};

struct drawn_cohorts {
  std::vector<drawn_row> rows;
  std::size_t group = 1;    ///< cohorts per row
  std::size_t periods = 0;  ///< the longest row
};

drawn_cohorts drawn(const cohort_view& v, std::size_t periods_cap) {
  drawn_cohorts out;
  const std::size_t n = v.cohorts.size();
  out.group = std::max<std::size_t>(1, (n + max_rows - 1) / max_rows);
  for (std::size_t first = 0; first < n; first += out.group) {
    const std::size_t last = std::min(n, first + out.group);
    drawn_row row;
    row.label = period_label(v.cohorts[first].start, v.unit);
    row.cohorts = last - first;
    std::size_t length = periods_cap;
    for (std::size_t i = first; i < last; ++i)
      length = std::min(length, v.cohorts[i].active.size());
    row.active.assign(length, 0);
    row.revenue.assign(length, 0);
    for (std::size_t i = first; i < last; ++i) {
      const cohort_row& c = v.cohorts[i];
      row.customers += static_cast<double>(c.customers);
      for (std::size_t k = 0; k < length; ++k) {
        row.active[k] += static_cast<double>(c.active[k]);
        row.revenue[k] += revenue_at(c, k);
      }
    }
    out.periods = std::max(out.periods, length);
    out.rows.push_back(std::move(row));
  }
  return out;
}

double total_customers(const cohort_view& v) {
  double total = 0;
  for (const cohort_row& c : v.cohorts) total += static_cast<double>(c.customers);
  return total;
}

std::size_t longest(const cohort_view& v) {
  std::size_t n = 0;
  for (const cohort_row& c : v.cohorts) n = std::max(n, c.active.size());
  return n;
}

// The customer-weighted mean over the cohorts that have seen period k: their
// cumulative revenue over their customers.
std::vector<double> mean_cumulative(const cohort_view& v) {
  std::vector<double> mean(longest(v));
  for (std::size_t k = 0; k < mean.size(); ++k) {
    double revenue = 0, customers = 0;
    for (const cohort_row& c : v.cohorts)
      if (k < c.active.size()) {
        for (std::size_t j = 0; j <= k; ++j) revenue += revenue_at(c, j);
        customers += static_cast<double>(c.customers);
      }
    mean[k] = ratio(revenue, customers);
  }
  return mean;
}

std::string cohort_name(period unit) {
  return unit == period::year ? "yearly" : "monthly";
}

std::string title(const cohort_view& v) {
  return v.metric == cohort_metric::revenue
             ? "Cumulative revenue per customer by " + std::string(to_string(v.unit)) +
                   " of acquisition"
             : "Share of each cohort buying again, by " + std::string(plural(v.unit)) +
                   " since acquisition";
}

std::string subtitle(const cohort_view& v, const drawn_cohorts& d, std::size_t columns_cap) {
  std::string text = fmt::format("{} {} cohort{} · {} customers", v.cohorts.size(),
                                 cohort_name(v.unit), v.cohorts.size() == 1 ? "" : "s",
                                 readable_number(total_customers(v), value_style::count));
  if (d.group > 1)
    text += fmt::format(" · each {} merges {} cohorts",
                        v.metric == cohort_metric::revenue ? "line" : "row", d.group);
  if (v.metric == cohort_metric::retention && longest(v) > columns_cap)
    text += fmt::format(" · the first {} {}", columns_cap, plural(v.unit));
  return text;
}

data_table cohorts_table(const cohort_view& v) {
  const bool revenue = v.metric == cohort_metric::revenue;
  data_table t{{"cohort", "customers", "period", "active", "share"}, {}};
  if (revenue) {
    t.columns.emplace_back("revenue");
    t.columns.emplace_back("cumulative_revenue_per_customer");
  }
  for (const cohort_row& c : v.cohorts) {
    const std::string label = period_label(c.start, v.unit);
    double cumulative = 0;
    for (std::size_t k = 0; k < c.active.size(); ++k) {
      std::vector<cell> row{
          label, static_cast<double>(c.customers), static_cast<double>(k),
          static_cast<double>(c.active[k]),
          ratio(static_cast<double>(c.active[k]), static_cast<double>(c.customers))};
      if (revenue) {
        cumulative += revenue_at(c, k);
        row.emplace_back(revenue_at(c, k));
        row.emplace_back(ratio(cumulative, static_cast<double>(c.customers)));
      }
      t.rows.push_back(std::move(row));
    }
  }
  return t;
}

std::string description(const cohort_view& v) {
  std::string text =
      title(v) + fmt::format(": {} {} cohorts, {} customers.", v.cohorts.size(),
                             cohort_name(v.unit),
                             readable_number(total_customers(v), value_style::count));
  if (v.cohorts.empty()) return text;
  const std::string first = period_label(v.cohorts.front().start, v.unit);
  const std::string last = period_label(v.cohorts.back().start, v.unit);
  text += fmt::format(" Cohorts {} to {}.", first, last);
  if (v.metric == cohort_metric::revenue) {
    const std::vector<double> mean = mean_cumulative(v);
    if (!mean.empty())
      text += fmt::format(
          " Customer-weighted mean: {} per customer in the acquisition {}, {} after {}.",
          readable_number(mean.front(), value_style::amount), to_string(v.unit),
          readable_number(mean.back(), value_style::amount),
          periods_text(static_cast<double>(mean.size() - 1), v.unit));
    return text;
  }
  // Retention one period later, over all cohorts that have seen it.
  double active = 0, customers = 0;
  for (const cohort_row& c : v.cohorts)
    if (c.active.size() > 1) {
      active += static_cast<double>(c.active[1]);
      customers += static_cast<double>(c.customers);
    }
  if (customers > 0)
    text +=
        fmt::format(" {} of customers buy again one {} after acquisition (all cohorts).",
                    readable_number(active / customers, value_style::percent), to_string(v.unit));
  return text;
}

std::string json_document(const cohort_view& v) {
  return fmt::format(
      "{{\"chart\":\"cohorts\",\"metric\":{},\"period\":{},\"cohorts\":{},\"customers\":{},"
      "\"points\":{}}}\n",
      json_string(v.metric == cohort_metric::revenue ? "revenue" : "retention"),
      json_string(to_string(v.unit)), v.cohorts.size(), json_number(total_customers(v)),
      json_rows(cohorts_table(v)));
}

std::string vega_lite(const cohort_view& v) {
  vega_lite_spec spec(title(v), description(v));
  const std::string x_title = capitalised(plural(v.unit)) + " since acquisition";
  if (v.metric == cohort_metric::revenue) {
    spec.layer(
        cohorts_table(v), R"({"type":"line","strokeWidth":1.2,"opacity":0.8})",
        fmt::format(
            R"({{"x":{{"field":"period","type":"quantitative","title":{}}},)"
            R"("y":{{"field":"cumulative_revenue_per_customer","type":"quantitative",)"
            R"("title":"Cumulative revenue per customer"}},)"
            R"("color":{{"field":"cohort","type":"ordinal","scale":{{"scheme":"viridis"}}}}}})",
            json_string(x_title)));
    data_table mean{{"period", "mean_cumulative_revenue_per_customer"}, {}};
    const std::vector<double> m = mean_cumulative(v);
    for (std::size_t k = 0; k < m.size(); ++k) mean.rows.push_back({static_cast<double>(k), m[k]});
    spec.layer(mean, R"({"type":"line","color":"#222222","strokeWidth":3})",
               R"({"x":{"field":"period","type":"quantitative"},)"
               R"("y":{"field":"mean_cumulative_revenue_per_customer","type":"quantitative"}})");
  } else {
    spec.layer(
        cohorts_table(v), R"({"type":"rect"})",
        fmt::format(R"({{"x":{{"field":"period","type":"ordinal","title":{}}},)"
                    R"("y":{{"field":"cohort","type":"ordinal","sort":null}},)"
                    R"("color":{{"field":"share","type":"quantitative",)"
                    R"("scale":{{"scheme":"viridis","clamp":true}},"legend":{{"format":"%"}}}},)"
                    R"("tooltip":[{{"field":"cohort"}},{{"field":"period"}},)"
                    R"({{"field":"share","format":".1%"}},{{"field":"active"}}]}})",
                    json_string(x_title)));
  }
  return spec.finish();
}

// The percent in a cell: one decimal below 10 % when it fits, else whole.
std::string cell_percent(double share, double room, double size) {
  std::string text = readable_number(share, value_style::percent);
  if (text_width(text, size) + 4 > room) text = fmt::format("{:.0f}%", share * 100);
  return text;
}

rendered_chart render_retention(const cohort_view& v) {
  const drawn_cohorts d = drawn(v, max_columns);
  const std::size_t rows = d.rows.size(), columns = std::max<std::size_t>(d.periods, 1);
  const double plot_width = chart_width - left_edge - right_edge;
  const double cell_width = plot_width / static_cast<double>(columns);
  const double cell_height =
      std::clamp(400.0 / static_cast<double>(std::max<std::size_t>(rows, 1)), 6.0, 26.0);
  const double plot_height = cell_height * static_cast<double>(std::max<std::size_t>(rows, 1));
  const double height = std::max(top_edge + plot_height + bottom_edge, 330.0);

  // The colour scale covers the periods after acquisition (k ≥ 1): k = 0 is
  // everyone by definition, and would leave every later cell dark.
  double high = 0;
  for (const drawn_row& r : d.rows)
    for (std::size_t k = 1; k < r.active.size(); ++k) high = std::max(high, r.share(k));
  const ticks legend_ticks = linear_ticks(0, high > 0 ? high : 1, 4);
  const double scale_high = legend_ticks.high;

  rendered_chart out;
  svg_writer svg(chart_width, height, title(v), description(v));
  text_boxes& labels = out.labels;
  const auto label = [&](double x, double y, const std::string& text, std::string_view anchor,
                         const char* fill,
                         double size) { place_label(svg, labels, x, y, text, anchor, fill, size); };
  label(16, 28, title(v), "start", colour::ink, 18);
  label(16, 50, subtitle(v, d, max_columns), "start", colour::muted, 13);
  if (rows == 0) {
    label(left_edge, top_edge + 20, "No cohorts in the log", "start", colour::muted, 13);
    out.svg = svg.finish();
    return out;
  }

  const std::string unit_word = capitalised(to_string(v.unit));
  const bool cell_lines = cell_width >= 8 && cell_height >= 8;
  // Cell text as big as "99%" allows, not below 8 px.
  const double text_size = std::min({11.0, cell_height * 0.62, (cell_width - 4) / 2.4});
  const bool cell_text = text_size >= 8;
  svg.open(
      "g",
      {{"class", "cells"}, {"stroke", cell_lines ? "#FFFFFF" : "none"}, {"stroke-width", "1"}});
  std::vector<std::tuple<double, double, std::string, bool>> texts;
  for (std::size_t i = 0; i < rows; ++i) {
    const drawn_row& r = d.rows[i];
    const double y = top_edge + cell_height * static_cast<double>(i);
    for (std::size_t k = 0; k < r.active.size(); ++k) {
      const double x = left_edge + cell_width * static_cast<double>(k);
      const double share = r.share(k);
      const double p = std::clamp(share / scale_high, 0.0, 1.0);
      svg.empty("rect",
                {{"x", svg_number(x)},
                 {"y", svg_number(y)},
                 {"width", svg_number(cell_width)},
                 {"height", svg_number(cell_height)},
                 {"fill", k == 0 ? std::string("#E3E3E3") : colour_at(p)},
                 {"aria-label", fmt::format("{}, {} {}: {} ({} of {})", r.label, to_string(v.unit),
                                            k, readable_number(share, value_style::percent),
                                            readable_number(r.active[k], value_style::count),
                                            readable_number(r.customers, value_style::count))}});
      if (cell_text) {
        const std::string text = cell_percent(share, cell_width, text_size);
        if (text_width(text, text_size) + 4 <= cell_width)
          texts.emplace_back(x + cell_width / 2, y + cell_height / 2 + text_size * 0.36, text,
                             k > 0 && is_dark(p));
      }
    }
  }
  svg.close();
  for (const auto& [x, y, text, dark] : texts)
    label(x, y, text, "middle", dark ? "#FFFFFF" : colour::ink, text_size);

  // Row labels (the cohort) at the left and each cohort's size at its row's
  // end, on every row when they fit, else on every k-th.
  const double row_font = 11;
  const auto row_step = static_cast<std::size_t>(std::ceil(13.5 / cell_height));
  for (std::size_t i = 0; i < rows; i += row_step) {
    const drawn_row& r = d.rows[i];
    const double y = top_edge + cell_height * (static_cast<double>(i) + 0.5) + row_font * 0.36;
    label(left_edge - 6, y, r.label, "end", colour::ink, row_font);
    label(left_edge + cell_width * static_cast<double>(r.active.size()) + 4, y,
          readable_number(r.customers, value_style::count), "start", colour::muted, row_font);
  }
  // Column labels above the cells, and the axis title above them.
  double widest = text_width(std::to_string(columns - 1), label_font);
  const auto column_step =
      static_cast<std::size_t>(std::max(1.0, std::ceil((widest + 6) / cell_width)));
  for (std::size_t k = 0; k < columns; k += column_step)
    label(left_edge + cell_width * (static_cast<double>(k) + 0.5), top_edge - 8, std::to_string(k),
          "middle", colour::ink, label_font);
  label(left_edge, top_edge - 28,
        capitalised(plural(v.unit)) + " since acquisition → (cohort sizes at the rows' ends)",
        "start", colour::ink, 13);
  label(left_edge - 6, top_edge - 8, "Cohort", "end", colour::ink, label_font);

  // The legend: the scale over k ≥ 1, and the grey of the acquisition period.
  colour_legend legend;
  legend.x = left_edge + plot_width + 56;
  legend.top = top_edge + 18;
  legend.height = std::clamp(plot_height - 90, 80.0, 160.0);
  legend.title = "Share buying";
  for (const double t : legend_ticks.values)
    legend.ticks.emplace_back(t / scale_high,
                              tick_label(t, value_style::percent, legend_ticks.step));
  legend.aria_label = fmt::format("Colour scale: share buying, 0% to {}, over {}s 1 and later",
                                  tick_label(scale_high, value_style::percent, legend_ticks.step),
                                  to_string(v.unit));
  draw_colour_legend(svg, labels, legend);
  const double note_y = legend.top + legend.height + 20;
  label(legend.x, note_y, "scale: k ≥ 1", "start", colour::muted, 11);
  svg.empty("rect", {{"x", svg_number(legend.x)},
                     {"y", svg_number(note_y + 10)},
                     {"width", "14"},
                     {"height", "14"},
                     {"fill", "#E3E3E3"},
                     {"aria-label", unit_word + " 0: everyone (100%)"}});
  label(legend.x + 20, note_y + 21, "k = 0: 100%", "start", colour::ink, 11);
  out.svg = svg.finish();
  return out;
}

rendered_chart render_revenue(const cohort_view& v) {
  const drawn_cohorts d = drawn(v, std::numeric_limits<std::size_t>::max());
  const std::vector<double> mean = mean_cumulative(v);
  double high = 0;
  for (const drawn_row& r : d.rows)
    for (std::size_t k = 0; k < r.active.size(); ++k)
      high = std::max(high, r.cumulative_per_customer(k));
  for (const double m : mean) high = std::max(high, m);

  frame_spec spec;
  spec.title = title(v);
  spec.subtitle = subtitle(v, d, max_columns);
  spec.x_title = capitalised(plural(v.unit)) + " since acquisition";
  spec.y_title = "Cumulative revenue per customer";
  spec.x_low = 0;
  spec.x_high = static_cast<double>(std::max<std::size_t>(d.periods, 2) - 1);
  spec.y_low = 0;
  spec.y_high = high > 0 ? high : 1;
  spec.right_margin = 150;

  rendered_chart out;
  svg_writer svg(spec.width, spec.height, spec.title, description(v));
  frame f(svg, out.labels, spec);
  const std::size_t n = d.rows.size();
  const auto colour_of = [&](std::size_t i) {
    return n > 1 ? line_colours_end * static_cast<double>(i) / static_cast<double>(n - 1) : 0.0;
  };
  // Thin lines, earliest cohort first, so the latest (shortest) lie on top.
  svg.open("g", {{"class", "cohorts"},
                 {"fill", "none"},
                 {"stroke-width", n > 20 ? "1" : "1.5"},
                 {"stroke-opacity", "0.8"},
                 {"stroke-linejoin", "round"}});
  for (std::size_t i = 0; i < n; ++i) {
    const drawn_row& r = d.rows[i];
    std::vector<std::pair<double, double>> pixels;
    for (std::size_t k = 0; k < r.active.size(); ++k)
      pixels.emplace_back(f.x()(static_cast<double>(k)), f.y_at(r.cumulative_per_customer(k)));
    if (pixels.empty()) continue;
    const std::string aria = fmt::format(
        "Cohort {}: {} per customer after {}", r.label,
        readable_number(r.cumulative_per_customer(r.active.size() - 1), value_style::amount),
        periods_text(static_cast<double>(r.active.size() - 1), v.unit));
    // A cohort seen in its acquisition period only is a point: a dot.
    if (pixels.size() == 1)
      svg.empty("circle", {{"cx", svg_number(pixels.front().first)},
                           {"cy", svg_number(pixels.front().second)},
                           {"r", "3"},
                           {"fill", colour_at(colour_of(i))},
                           {"stroke", "none"},
                           {"aria-label", aria}});
    else
      svg.empty(
          "path",
          {{"d", path_of(pixels)}, {"stroke", colour_at(colour_of(i))}, {"aria-label", aria}});
  }
  svg.close();
  std::vector<std::pair<double, double>> mean_pixels;
  for (std::size_t k = 0; k < mean.size(); ++k)
    mean_pixels.emplace_back(f.x()(static_cast<double>(k)), f.y_at(mean[k]));
  if (!mean.empty()) {
    svg.empty("path", {{"d", path_of(mean_pixels)},
                       {"fill", "none"},
                       {"stroke", "#FFFFFF"},
                       {"stroke-width", "5.5"},
                       {"stroke-linejoin", "round"}});
    svg.empty("path", {{"d", path_of(mean_pixels)},
                       {"fill", "none"},
                       {"stroke", colour::ink},
                       {"stroke-width", "3"},
                       {"stroke-linejoin", "round"},
                       {"aria-label",
                        fmt::format("Mean of all cohorts (customer-weighted): {} after {}",
                                    readable_number(mean.back(), value_style::amount),
                                    periods_text(static_cast<double>(mean.size() - 1), v.unit))}});
    f.edge_labels(
        {{v.cohorts.size() == 1 ? "Cohort " + period_label(v.cohorts.front().start, v.unit)
                                : std::string("Mean of cohorts"),
          mean.back(), colour::ink}});
  }

  // The colour key of the cohorts, in the half of the right margin the mean's
  // label leaves free.
  if (n > 1) {
    const double mean_y = mean.empty() ? f.top() : f.y_at(mean.back());
    const double key_height = std::min(110.0, (f.bottom() - f.top()) / 2 - 40);
    colour_legend legend;
    legend.x = f.right() + 12;
    legend.height = key_height;
    legend.top = mean_y < (f.top() + f.bottom()) / 2 ? f.bottom() - key_height - 6 : f.top() + 34;
    legend.end = line_colours_end;
    legend.title = "Cohort";
    legend.ticks = {{0.0, d.rows.front().label + " (first)"},
                    {line_colours_end, d.rows.back().label + " (last)"}};
    legend.aria_label = fmt::format("Cohort colours: {} (first) to {} (last)", d.rows.front().label,
                                    d.rows.back().label);
    draw_colour_legend(svg, out.labels, legend);
  }
  out.svg = svg.finish();
  return out;
}

}  // namespace

rendered_chart render_cohorts(const cohort_view& v) {
  return v.metric == cohort_metric::revenue ? render_revenue(v) : render_retention(v);
}

std::string cohorts_chart(const cohort_view& v, chart_format format) {
  return chart_text(v, format, {cohorts_table, json_document, vega_lite, render_cohorts});
}

}  // namespace cltv::plot
