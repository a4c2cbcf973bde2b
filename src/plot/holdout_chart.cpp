// `cltv plot holdout`: the mean purchases customers made in the holdout by
// their calibration frequency, actual against the model's prediction
// (Fader, Hardie & Lee 2005, figure 4; lifetimes'
// plot_calibration_purchases_vs_holdout_purchases).

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "plot/chart_text.hpp"
#include "plot/charts.hpp"
#include "plot/data_table.hpp"
#include "plot/frame.hpp"
#include "plot/vega_lite.hpp"

namespace cltv::plot {

namespace {

// "3", or "7+" for the open last group.
std::string group_label(const models::frequency_group& g) {
  return fmt::format("{}{}", g.frequency, g.or_more ? "+" : "");
}

// All customers and their mean holdout purchases, actual and predicted.
struct overall {
  std::uint64_t customers = 0;
  double actual_mean = 0, predicted_mean = 0;
};

overall overall_of(const holdout_view& v) {
  overall o;
  double actual = 0, predicted = 0;
  for (const models::frequency_group& g : v.groups) {
    o.customers += g.customers;
    actual += static_cast<double>(g.customers) * g.actual_mean;
    predicted += static_cast<double>(g.customers) * g.predicted_mean;
  }
  if (o.customers > 0) {
    o.actual_mean = actual / static_cast<double>(o.customers);
    o.predicted_mean = predicted / static_cast<double>(o.customers);
  }
  return o;
}

// "1997-10-01 – 1998-06-30": the days after the calibration end; or, for a
// summary that states no dates, "of 39 weeks".
std::string window_text(const holdout_view& v) {
  if (!v.calibration_end || !v.observation_end)
    return "of " + readable_number(v.duration, value_style::amount) + " " + v.time_unit;
  return format_date(*v.calibration_end + 1) + " – " + format_date(*v.observation_end);
}

std::string date_or_null(const std::optional<day_number>& day) {
  return day ? json_string(format_date(*day)) : "null";
}

std::string title(const holdout_view& v) {
  return "Holdout purchases by calibration frequency: actual vs " + v.model_name;
}

std::string subtitle(const holdout_view& v) {
  const overall o = overall_of(v);
  return fmt::format("Holdout {} · {} customers · mean {} actual vs {} predicted", window_text(v),
                     readable_number(static_cast<double>(o.customers), value_style::amount),
                     readable_number(o.actual_mean, value_style::amount),
                     readable_number(o.predicted_mean, value_style::amount));
}

std::string description(const holdout_view& v) {
  const overall o = overall_of(v);
  std::string text = fmt::format(
      "Mean purchases per customer in the holdout ({}) by the repeat purchases made in the "
      "calibration period{}, actual against the {} model's prediction, {} customers in all "
      "(mean {} actual, {} predicted)",
      window_text(v),
      v.calibration_end ? " (to " + format_date(*v.calibration_end) + ")" : std::string(),
      v.model_name, readable_number(static_cast<double>(o.customers), value_style::amount),
      readable_number(o.actual_mean, value_style::amount),
      readable_number(o.predicted_mean, value_style::amount));
  char separator = ':';
  for (const models::frequency_group& g : v.groups) {
    text += separator;
    separator = ';';
    if (g.customers == 0) {
      text += fmt::format(" {}: no customers", group_label(g));
      continue;
    }
    text += fmt::format(" {}: {} actual, {} predicted ({} customers)", group_label(g),
                        readable_number(g.actual_mean, value_style::amount),
                        readable_number(g.predicted_mean, value_style::amount),
                        readable_number(static_cast<double>(g.customers), value_style::amount));
  }
  return text + ".";
}

// A group without customers has no means: missing, not 0.
data_table points_table(const holdout_view& v) {
  data_table t{{"frequency", "or_more", "customers", "actual_mean", "predicted_mean"}, {}};
  for (const models::frequency_group& g : v.groups) {
    std::vector<cell> row{static_cast<double>(g.frequency), g.or_more,
                          static_cast<double>(g.customers), cell{}, cell{}};
    if (g.customers > 0) {
      row[3] = g.actual_mean;
      row[4] = g.predicted_mean;
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

std::string json_document(const holdout_view& v) {
  const overall o = overall_of(v);
  const bool any = o.customers > 0;
  return fmt::format(
      "{{\"chart\":\"holdout\",\"model\":{},\"calibration_end\":{},\"observation_end\":{},"
      "\"customers\":{},\"actual_mean\":{},\"predicted_mean\":{},\"points\":{}}}\n",
      json_string(v.model_name), date_or_null(v.calibration_end), date_or_null(v.observation_end),
      o.customers, any ? json_number(o.actual_mean) : "null",
      any ? json_number(o.predicted_mean) : "null", json_rows(points_table(v)));
}

std::string vega_lite(const holdout_view& v) {
  vega_lite_spec spec(title(v) + " (" + subtitle(v) + ")", description(v));
  const std::string predicted_name = "predicted (" + v.model_name + ")";
  data_table long_form{{"frequency", "series", "mean", "customers"}, {}};
  for (const models::frequency_group& g : v.groups) {
    if (g.customers == 0) continue;
    const double customers = static_cast<double>(g.customers);
    long_form.rows.push_back({group_label(g), std::string("actual"), g.actual_mean, customers});
    long_form.rows.push_back({group_label(g), predicted_name, g.predicted_mean, customers});
  }
  std::string sort;  // every group in order, the empty ones too
  for (const models::frequency_group& g : v.groups) {
    if (!sort.empty()) sort += ',';
    sort += json_string(group_label(g));
  }
  spec.layer(long_form, R"({"type":"line","strokeWidth":2,"point":true})",
             R"({"x":{"field":"frequency","type":"ordinal","scale":{"domain":[)" + sort +
                 R"(]},"title":"Repeat purchases in the calibration period"},)"
                 R"("y":{"field":"mean","type":"quantitative",)"
                 R"("title":"Mean purchases in the holdout"},)"
                 R"("color":{"field":"series","type":"nominal","sort":null,)"
                 R"("scale":{"range":["#0072B2","#D55E00"]}},)"
                 R"("strokeDash":{"field":"series","type":"nominal","sort":null,)"
                 R"("scale":{"range":[[1,0],[6,4]]}},)"
                 R"("tooltip":[{"field":"frequency"},{"field":"series"},)"
                 R"({"field":"mean","type":"quantitative"},)"
                 R"({"field":"customers","type":"quantitative"}]})");
  return spec.finish();
}

// A diamond marker centred at (x, y) as a subpath.
std::string diamond(double x, double y, double half) {
  return fmt::format("M{0} {1} L{2} {3} L{0} {4} L{5} {3} Z", svg_number(x), svg_number(y - half),
                     svg_number(x + half), svg_number(y), svg_number(y + half),
                     svg_number(x - half));
}

// A path through the points, broken where a group has no customers.
std::string broken_path(const std::vector<std::pair<double, double>>& points,
                        const std::vector<bool>& present) {
  std::string d;
  bool drawing = false;
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (!present[i]) {
      drawing = false;
      continue;
    }
    if (!d.empty()) d += ' ';
    d += drawing ? "L" : "M";
    d += svg_number(points[i].first) + " " + svg_number(points[i].second);
    drawing = true;
  }
  return d;
}

}  // namespace

rendered_chart render_holdout(const holdout_view& v) {
  const std::size_t n = v.groups.size();
  double high = 0;
  for (const models::frequency_group& g : v.groups)
    if (g.customers > 0) high = std::max({high, g.actual_mean, g.predicted_mean});
  frame_spec spec = category_frame(n, high);
  spec.title = title(v);
  spec.subtitle = subtitle(v);
  spec.x_title = "Repeat purchases in the calibration period";
  spec.y_title = "Mean purchases in the holdout";
  spec.right_margin = 140;

  rendered_chart out;
  svg_writer svg(spec.width, spec.height, spec.title, description(v));
  frame f(svg, out.labels, spec);
  const overall o = overall_of(v);
  if (o.customers == 0) {
    f.empty_note("No customers to show");
    out.svg = svg.finish();
    return out;
  }

  // Each group a slot with its point at the centre, as the bars of a chart.
  const double slot = (f.right() - f.left()) / static_cast<double>(n);
  std::vector<std::pair<double, double>> actual, predicted;
  std::vector<bool> present;
  for (std::size_t i = 0; i < n; ++i) {
    const models::frequency_group& g = v.groups[i];
    const double x = f.left() + slot * (static_cast<double>(i) + 0.5);
    actual.emplace_back(x, f.y_at(g.actual_mean));
    predicted.emplace_back(x, f.y_at(g.predicted_mean));
    present.push_back(g.customers > 0);
  }
  const std::string predicted_name = "Predicted (" + v.model_name + ")";
  svg.empty("path", {{"d", broken_path(predicted, present)},
                     {"fill", "none"},
                     {"stroke", colour::vermillion},
                     {"stroke-width", "2"},
                     {"stroke-dasharray", "7 4"},
                     {"stroke-linejoin", "round"},
                     {"aria-label", predicted_name}});
  svg.empty("path", {{"d", broken_path(actual, present)},
                     {"fill", "none"},
                     {"stroke", colour::blue},
                     {"stroke-width", "2"},
                     {"stroke-linejoin", "round"},
                     {"aria-label", "Actual"}});
  if (n <= 60) {
    svg.open("g", {{"class", "markers"}});
    for (std::size_t i = 0; i < n; ++i) {
      const models::frequency_group& g = v.groups[i];
      if (g.customers == 0) continue;
      const std::string who =
          fmt::format("{} repeat purchases in calibration ({} customers)", group_label(g),
                      readable_number(static_cast<double>(g.customers), value_style::amount));
      svg.empty("path", {{"d", diamond(predicted[i].first, predicted[i].second, 5)},
                         {"fill", "white"},
                         {"stroke", colour::vermillion},
                         {"stroke-width", "1.5"},
                         {"aria-label",
                          fmt::format("{}: predicted mean {}", who,
                                      readable_number(g.predicted_mean, value_style::amount))}});
      svg.empty("circle",
                {{"cx", svg_number(actual[i].first)},
                 {"cy", svg_number(actual[i].second)},
                 {"r", "4"},
                 {"fill", colour::blue},
                 {"aria-label", fmt::format("{}: actual mean {}", who,
                                            readable_number(g.actual_mean, value_style::amount))}});
    }
    svg.close();
  }

  // Labels at the right edge, at the last group with customers.
  std::size_t last = n - 1;
  while (!present[last]) --last;
  const models::frequency_group& end = v.groups[last];
  f.edge_labels({{"Actual " + readable_number(end.actual_mean, value_style::amount),
                  end.actual_mean, colour::blue},
                 {v.model_name + " " + readable_number(end.predicted_mean, value_style::amount),
                  end.predicted_mean, colour::vermillion}});

  // The category labels under the slots; a group without customers says so.
  double widest = 0;
  for (const models::frequency_group& g : v.groups)
    widest = std::max(widest, text_width(group_label(g), label_font));
  const std::size_t step =
      std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil((widest + 8) / slot)));
  for (std::size_t i = 0; i < n; ++i) {
    const bool is_last = i + 1 == n;
    if (!is_last && (i % step != 0 || n - 1 - i < step)) continue;
    const double x = f.left() + slot * (static_cast<double>(i) + 0.5);
    f.label(x, f.bottom() + 19, group_label(v.groups[i]), "middle",
            present[i] ? colour::ink : colour::muted, label_font, 0);
  }
  out.svg = svg.finish();
  return out;
}

std::string holdout_chart(const holdout_view& v, chart_format format) {
  return chart_text(v, format, {points_table, json_document, vega_lite, render_holdout});
}

}  // namespace cltv::plot
