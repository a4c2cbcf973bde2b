// `cltv plot tracking`: the repeat purchases of the whole customer base per
// period, actual against those the model expects, across the calibration and
// the holdout (Fader, Hardie & Lee 2005, figure 2; lifetimes'
// plot_cumulative_transactions and plot_incremental_transactions).

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

std::string_view unit_name(period_unit unit) {
  switch (unit) {
    case period_unit::day:
      return "day";
    case period_unit::month:
      return "month";
    case period_unit::year:
      return "year";
    case period_unit::week:
    default:
      return "week";
  }
}

std::string capitalised(std::string_view word) {
  std::string out(word);
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 32);
  return out;
}

std::size_t period_count(const tracking_view& v) {
  return v.periods.size();
}

// Periods 0 … split − 1 are calibration (never more than there are).
std::size_t split_of(const tracking_view& v) {
  return std::min(v.calibration_periods, period_count(v));
}

// The value plotted for period k: cumulative by its end, or within it.
double actual_of(const tracking_view& v, std::size_t k) {
  return v.incremental ? v.periods[k].actual : v.periods[k].actual_cumulative;
}
double expected_of(const tracking_view& v, std::size_t k) {
  return v.incremental ? v.periods[k].expected : v.periods[k].expected_cumulative;
}

// "+2.8%" / "-4.1%": how far the actual count is from the expected one.
std::string gap_text(double actual, double expected) {
  if (!(expected > 0)) return {};
  const double gap = (actual - expected) / expected;
  const std::string text = readable_number(gap, value_style::percent);
  return gap > 0 ? "+" + text : text;
}

// "1,234 actual vs 1,200 expected (+2.8%)"; brief: "1,234 vs 1,200 (+2.8%)".
std::string versus(double actual, double expected, bool brief = false) {
  const std::string a = readable_number(actual, value_style::amount);
  const std::string e = readable_number(expected, value_style::amount);
  std::string text =
      brief ? fmt::format("{} vs {}", a, e) : fmt::format("{} actual vs {} expected", a, e);
  const std::string gap = gap_text(actual, expected);
  if (!gap.empty()) text += " (" + gap + ")";
  return text;
}

// Repeat purchases of the whole log and of the holdout: actual, expected.
struct totals {
  double actual = 0, expected = 0;
  double holdout_actual = 0, holdout_expected = 0;
  bool has_holdout = false;
};

totals totals_of(const tracking_view& v) {
  totals t;
  const std::size_t n = period_count(v);
  if (n == 0) return t;
  t.actual = v.periods.back().actual_cumulative;
  t.expected = v.periods.back().expected_cumulative;
  const std::size_t split = split_of(v);
  t.has_holdout = split < n;
  if (!t.has_holdout) return t;
  const double actual_before = split == 0 ? 0 : v.periods[split - 1].actual_cumulative;
  const double expected_before = split == 0 ? 0 : v.periods[split - 1].expected_cumulative;
  t.holdout_actual = t.actual - actual_before;
  t.holdout_expected = t.expected - expected_before;
  return t;
}

std::string title(const tracking_view& v) {
  return fmt::format("Tracking: {}, actual vs {}",
                     v.incremental ? fmt::format("repeat purchases per {}", unit_name(v.unit))
                                   : std::string("cumulative repeat purchases"),
                     v.model_name);
}

std::string subtitle(const tracking_view& v) {
  if (period_count(v) == 0) return "No periods to show";
  const totals t = totals_of(v);
  // Brief when the full words would run past the chart's width.
  for (const bool brief : {false, true}) {
    std::string text = fmt::format("By {}: {}", format_date(v.observation_end),
                                   versus(t.actual, t.expected, brief));
    if (t.has_holdout)
      text += " · holdout: " + versus(t.holdout_actual, t.holdout_expected, brief);
    else
      text += " · no holdout";
    if (brief || text_width(text, 13) <= frame_spec{}.width - 32) return text;
  }
  return {};
}

std::string description(const tracking_view& v) {
  const std::size_t n = period_count(v);
  if (n == 0) return "Repeat purchases actual vs expected: no periods to show.";
  const totals t = totals_of(v);
  const std::string_view unit = unit_name(v.unit);
  std::string text = fmt::format(
      "{} repeat purchases of the whole customer base over {} {}s from {}, actual (solid) "
      "against those the {} model expects (dashed). By {}: {}.",
      v.incremental ? fmt::format("Per-{}", unit) : std::string("Cumulative"), n, unit,
      v.starts.empty() ? std::string("the first") : format_date(v.starts.front()), v.model_name,
      format_date(v.observation_end), versus(t.actual, t.expected));
  const std::size_t split = split_of(v);
  if (t.has_holdout)
    text += fmt::format(" Calibration: {}s 1–{} (to {}); holdout: {}s {}–{}, {}.", unit, split,
                        format_date(v.calibration_end), unit, split + 1, n,
                        versus(t.holdout_actual, t.holdout_expected));
  else
    text += " Every period is in the calibration.";
  return text;
}

// One row per period; period 1 is the log's first.
data_table points_table(const tracking_view& v) {
  data_table t{{"period", "period_start", "sample", "actual", "expected", "actual_cumulative",
                "expected_cumulative"},
               {}};
  const std::size_t split = split_of(v);
  for (std::size_t k = 0; k < period_count(v); ++k) {
    const models::tracking_period& p = v.periods[k];
    t.rows.push_back({static_cast<double>(k + 1),
                      k < v.starts.size() ? cell(format_date(v.starts[k])) : cell{},
                      std::string(k < split ? "calibration" : "holdout"), p.actual, p.expected,
                      p.actual_cumulative, p.expected_cumulative});
  }
  return t;
}

std::string json_document(const tracking_view& v) {
  const totals t = totals_of(v);
  const auto holdout_number = [&](double value) {
    return t.has_holdout ? json_number(value) : std::string("null");
  };
  return fmt::format(
      "{{\"chart\":\"tracking\",\"model\":{},\"unit\":{},\"metric\":{},\"periods\":{},"
      "\"calibration_periods\":{},\"calibration_end\":{},\"observation_end\":{},"
      "\"actual_total\":{},\"expected_total\":{},\"holdout_actual\":{},\"holdout_expected\":{},"
      "\"points\":{}}}\n",
      json_string(v.model_name), json_string(unit_name(v.unit)),
      json_string(v.incremental ? "incremental" : "cumulative"), period_count(v), split_of(v),
      json_string(format_date(v.calibration_end)), json_string(format_date(v.observation_end)),
      json_number(t.actual), json_number(t.expected), holdout_number(t.holdout_actual),
      holdout_number(t.holdout_expected), json_rows(points_table(v)));
}

std::string x_title(const tracking_view& v) {
  std::string text = capitalised(unit_name(v.unit)) + "s";
  if (!v.starts.empty()) text += " since " + format_date(v.starts.front());
  return text;
}

std::string y_title(const tracking_view& v) {
  return v.incremental ? fmt::format("Repeat purchases per {}", unit_name(v.unit))
                       : std::string("Cumulative repeat purchases");
}

std::string split_text(const tracking_view& v) {
  return "Calibration end " + format_date(v.calibration_end);
}

std::string vega_lite(const tracking_view& v) {
  vega_lite_spec spec(title(v) + " (" + subtitle(v) + ")", description(v));
  const std::string expected_name = "expected (" + v.model_name + ")";
  data_table long_form{{"period", "series", "purchases"}, {}};
  for (std::size_t k = 0; k < period_count(v); ++k) {
    const double x = static_cast<double>(k + 1);
    long_form.rows.push_back({x, std::string("actual"), actual_of(v, k)});
    long_form.rows.push_back({x, expected_name, expected_of(v, k)});
  }
  spec.layer(long_form, R"({"type":"line","strokeWidth":2})",
             fmt::format(R"({{"x":{{"field":"period","type":"quantitative","title":{}}},)"
                         R"("y":{{"field":"purchases","type":"quantitative","title":{}}},)"
                         R"("color":{{"field":"series","type":"nominal","sort":null,)"
                         R"("scale":{{"range":["#0072B2","#D55E00"]}}}},)"
                         R"("strokeDash":{{"field":"series","type":"nominal","sort":null,)"
                         R"("scale":{{"range":[[1,0],[6,4]]}}}}}})",
                         json_string(x_title(v)), json_string(y_title(v))));
  if (totals_of(v).has_holdout && split_of(v) > 0)
    spec.layer(data_table{{"split", "period"}, {{split_text(v), static_cast<double>(split_of(v))}}},
               R"({"type":"rule","color":"#666666","strokeDash":[4,4]})",
               R"({"x":{"field":"period","type":"quantitative"},"tooltip":[{"field":"split"}]})");
  return spec.finish();
}

}  // namespace

rendered_chart render_tracking(const tracking_view& v) {
  const std::size_t n = period_count(v);
  double high = 0;
  for (std::size_t k = 0; k < n; ++k) high = std::max({high, actual_of(v, k), expected_of(v, k)});
  if (!(high > 0)) high = 1;

  frame_spec spec;
  spec.title = title(v);
  spec.subtitle = subtitle(v);
  spec.x_title = x_title(v);
  spec.y_title = y_title(v);
  // Period k (from 0) is drawn at k + 1, its end: the cumulative count by
  // then, or the count within it.
  spec.x_low = 0;
  spec.x_high = std::max<double>(static_cast<double>(n), 1);
  spec.y_low = 0;
  spec.y_high = high;

  rendered_chart out;
  svg_writer svg(spec.width, spec.height, spec.title, description(v));
  frame f(svg, out.labels, spec);
  if (n == 0) {
    f.empty_note("No periods to show");
    out.svg = svg.finish();
    return out;
  }

  // The split first, so that the curves are drawn over it: a dashed line at
  // the end of the last calibration period.
  const std::size_t split = split_of(v);
  if (split > 0 && split < n) {
    const double x = f.x()(static_cast<double>(split));
    const std::string text = split_text(v);
    svg.empty("line", {{"x1", svg_number(x)},
                       {"x2", svg_number(x)},
                       {"y1", svg_number(f.top())},
                       {"y2", svg_number(f.bottom())},
                       {"stroke", colour::muted},
                       {"stroke-width", "1.5"},
                       {"stroke-dasharray", "4 4"},
                       {"aria-label", text}});
    // Its label above the plot area, centred on the line but kept over the
    // plot: past its right end it would meet the edge label of a curve that
    // ends at the top.
    const double half = text_width(text, label_font) / 2;
    const double centre = std::clamp(x, f.left() + half, f.right() - half);
    f.label(centre, f.top() - 6, text, "middle", colour::muted, label_font, 0);
  }

  const bool cumulative = !v.incremental;
  std::vector<std::pair<double, double>> actual, expected;
  actual.reserve(n + 1);
  expected.reserve(n + 1);
  if (cumulative) {  // nothing has been bought before the log starts
    actual.emplace_back(f.x()(0), f.y_at(0));
    expected.emplace_back(f.x()(0), f.y_at(0));
  }
  for (std::size_t k = 0; k < n; ++k) {
    const double x = f.x()(static_cast<double>(k + 1));
    actual.emplace_back(x, f.y_at(actual_of(v, k)));
    expected.emplace_back(x, f.y_at(expected_of(v, k)));
  }
  const std::string expected_name = "Expected (" + v.model_name + ")";
  const auto draw_expected = [&] {
    svg.empty("path", {{"d", path_of(expected)},
                       {"fill", "none"},
                       {"stroke", colour::vermillion},
                       {"stroke-width", "2"},
                       {"stroke-dasharray", "7 4"},
                       {"stroke-linejoin", "round"},
                       {"aria-label", expected_name}});
  };
  // Per period, more periods than every third pixel make the actual counts a
  // band of noise: drawn thin and under the smooth expected line.
  const bool dense = v.incremental && static_cast<double>(n) > (f.right() - f.left()) / 3;
  if (!dense) draw_expected();
  svg.empty("path", {{"d", path_of(actual)},
                     {"fill", "none"},
                     {"stroke", colour::blue},
                     {"stroke-width", dense ? "1" : "2"},
                     {"stroke-linejoin", "round"},
                     {"aria-label", "Actual"}});
  if (dense) draw_expected();
  f.edge_labels({{"Actual " + readable_number(actual_of(v, n - 1), value_style::amount),
                  actual_of(v, n - 1), colour::blue},
                 {v.model_name + " " + readable_number(expected_of(v, n - 1), value_style::amount),
                  expected_of(v, n - 1), colour::vermillion}});
  out.svg = svg.finish();
  return out;
}

std::string tracking_chart(const tracking_view& v, chart_format format) {
  return chart_text(v, format, {points_table, json_document, vega_lite, render_tracking});
}

}  // namespace cltv::plot
