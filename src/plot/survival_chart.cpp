// `cltv plot survival`: the share of a cohort still active, and the
// retention rate, by tenure — model and observed counts.

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

std::string model_text(const survival_curve& c) {
  if (c.basis == lifetime_basis::sbg)
    return fmt::format("sBG curve (alpha {}, beta {})",
                       readable_number(c.sbg_alpha, value_style::amount),
                       readable_number(c.sbg_beta, value_style::amount));
  return fmt::format("constant churn {} a {}", readable_number(c.churn, value_style::percent),
                     to_string(c.period));
}

std::string subtitle(const survival_curve& c) {
  // Sentence case, but sBG keeps its small s.
  std::string text = model_text(c);
  if (c.basis != lifetime_basis::sbg) text[0] = 'C';
  if (c.expected_lifetime)
    text += " · expected lifetime " + periods_text(*c.expected_lifetime, c.period);
  else
    text += " · expected lifetime unbounded";
  if (c.cohorts > 0)
    text += fmt::format(" · observed: {} cohort{}", c.cohorts, c.cohorts == 1 ? "" : "s");
  return text;
}

std::string description(const survival_curve& c) {
  const survival_point& last = c.points.back();
  std::string text = fmt::format(
      "Share of a cohort still active at the start of each {} under {}: {} after {}",
      to_string(c.period), model_text(c), readable_number(last.survival, value_style::percent),
      periods_text(last.period, c.period));
  if (last.retention)
    text += fmt::format(", when the retention rate is {}",
                        readable_number(*last.retention, value_style::percent));
  if (c.cohorts > 0)
    text += fmt::format(". Markers: the observed shares of the {} cohort{} fitted", c.cohorts,
                        c.cohorts == 1 ? "" : "s");
  return text + ".";
}

data_table points_table(const survival_curve& c) {
  data_table t{{"period", "survival", "retention", "observed_survival", "observed_retention"}, {}};
  for (const survival_point& p : c.points)
    t.rows.push_back({static_cast<double>(p.period), p.survival, optional_cell(p.retention),
                      optional_cell(p.observed_survival), optional_cell(p.observed_retention)});
  return t;
}

std::string json_document(const survival_curve& c) {
  return fmt::format(
      "{{\"chart\":\"survival\",\"period\":{},\"model\":{},\"churn\":{},\"sbg_alpha\":{},"
      "\"sbg_beta\":{},\"expected_lifetime\":{},\"cohorts\":{},\"points\":{}}}\n",
      json_string(to_string(c.period)),
      json_string(c.basis == lifetime_basis::sbg ? "sbg" : "churn"),
      c.basis == lifetime_basis::sbg ? "null" : json_number(c.churn),
      c.basis == lifetime_basis::sbg ? json_number(c.sbg_alpha) : "null",
      c.basis == lifetime_basis::sbg ? json_number(c.sbg_beta) : "null",
      c.expected_lifetime ? json_number(*c.expected_lifetime) : "null", c.cohorts,
      json_rows(points_table(c)));
}

std::string vega_lite(const survival_curve& c) {
  vega_lite_spec spec("Survival and retention by tenure (" + subtitle(c) + ")", description(c));
  data_table long_form{{"period", "series", "share"}, {}};
  data_table observed{{"period", "series", "share"}, {}};
  for (const survival_point& p : c.points) {
    const double t = p.period;
    long_form.rows.push_back({t, std::string("survival (model)"), p.survival});
    if (p.retention) long_form.rows.push_back({t, std::string("retention (model)"), *p.retention});
    if (p.observed_survival)
      observed.rows.push_back({t, std::string("survival (observed)"), *p.observed_survival});
    if (p.observed_retention)
      observed.rows.push_back({t, std::string("retention (observed)"), *p.observed_retention});
  }
  const std::string x =
      fmt::format(R"("x":{{"field":"period","type":"quantitative","title":{}}})",
                  json_string(std::string(plural(c.period)) + " since acquisition"));
  spec.layer(
      long_form, R"({"type":"line","strokeWidth":2.5})",
      "{" + x +
          R"(,"y":{"field":"share","type":"quantitative","axis":{"format":"%"},"title":"Share"},)"
          R"("color":{"field":"series","type":"nominal","scale":{"range":["#E69F00","#0072B2"]}},)"
          R"("strokeDash":{"field":"series","type":"nominal"}})");
  if (!observed.rows.empty())
    spec.layer(
        observed, R"({"type":"point","filled":true,"size":50,"color":"#222222"})",
        "{" + x +
            R"(,"y":{"field":"share","type":"quantitative"},)"
            R"("shape":{"field":"series","type":"nominal","scale":{"range":["square","circle"]}}})");
  return spec.finish();
}

// A square marker centred at (x, y).
std::string square_path(double x, double y, double half) {
  return fmt::format("M{} {} h{} v{} h-{} Z", svg_number(x - half), svg_number(y - half),
                     svg_number(2 * half), svg_number(2 * half), svg_number(2 * half));
}

}  // namespace

rendered_chart render_survival(const survival_curve& c) {
  double lowest = 1;
  for (const survival_point& p : c.points) {
    lowest = std::min(lowest, p.survival);
    if (p.retention) lowest = std::min(lowest, *p.retention);
    if (p.observed_survival && *p.observed_survival > 0)
      lowest = std::min(lowest, *p.observed_survival);
    if (p.observed_retention && *p.observed_retention > 0)
      lowest = std::min(lowest, *p.observed_retention);
  }
  frame_spec spec;
  spec.title = "Survival and retention by tenure";
  spec.subtitle = subtitle(c);
  std::string unit(plural(c.period));
  unit[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(unit[0])));
  spec.x_title = unit + " since acquisition";
  spec.y_title = "Share of the cohort";
  spec.x_low = 0;
  spec.x_high = c.points.back().period;
  spec.y_style = value_style::percent;
  // Shares far below 1 % span decades: a log axis keeps the tail readable.
  const double floor = std::max(lowest, 1e-6);
  spec.y_log = spans_decades(floor, 1);
  spec.y_low = spec.y_log ? floor : 0;
  spec.y_high = 1;

  rendered_chart out;
  svg_writer svg(spec.width, spec.height, spec.title, description(c));
  frame f(svg, out.labels, spec);
  const auto y_of = [&](double share) {
    return f.y_at(spec.y_log ? std::max(share, floor) : share);
  };

  std::vector<std::pair<double, double>> survival, retention;
  for (const survival_point& p : c.points) {
    survival.emplace_back(f.x()(p.period), y_of(p.survival));
    if (p.retention) retention.emplace_back(f.x()(p.period), y_of(*p.retention));
  }
  std::vector<edge_label> edge;
  const survival_point& last = c.points.back();
  if (!retention.empty()) {
    svg.empty("path", {{"d", path_of(retention)},
                       {"fill", "none"},
                       {"stroke", colour::orange},
                       {"stroke-width", "2.5"},
                       {"stroke-dasharray", "7 4"},
                       {"aria-label", "Retention rate r(t) (model)"}});
    edge.push_back({"Retention " + readable_number(*last.retention, value_style::percent),
                    *last.retention, colour::orange});
  }
  svg.empty("path", {{"d", path_of(survival)},
                     {"fill", "none"},
                     {"stroke", colour::blue},
                     {"stroke-width", "2.5"},
                     {"aria-label", "Share still active S(t) (model)"}});
  edge.push_back({"Active " + readable_number(last.survival, value_style::percent),
                  spec.y_log ? std::max(last.survival, floor) : last.survival, colour::blue});

  if (c.cohorts > 0) {
    svg.open("g", {{"class", "observed"}, {"aria-label", "Observed counts"}});
    for (const survival_point& p : c.points) {
      const double x = f.x()(p.period);
      if (p.observed_survival)
        svg.empty("circle",
                  {{"cx", svg_number(x)},
                   {"cy", svg_number(y_of(*p.observed_survival))},
                   {"r", "3.5"},
                   {"fill", colour::ink},
                   {"aria-label",
                    fmt::format("Observed active at {} {}: {}", to_string(c.period), p.period,
                                readable_number(*p.observed_survival, value_style::percent))}});
      if (p.observed_retention)
        svg.empty("path",
                  {{"d", square_path(x, y_of(*p.observed_retention), 3.5)},
                   {"fill", "white"},
                   {"stroke", colour::ink},
                   {"stroke-width", "1.5"},
                   {"aria-label",
                    fmt::format("Observed retention at {} {}: {}", to_string(c.period), p.period,
                                readable_number(*p.observed_retention, value_style::percent))}});
    }
    svg.close();
    // The legend of the markers, inside the plot's bottom left corner, which
    // the curves leave empty (the share active starts at the top).
    const double lx = f.left() + 16;
    const double ly = f.bottom() - 30;
    svg.empty(
        "circle",
        {{"cx", svg_number(lx)}, {"cy", svg_number(ly - 4)}, {"r", "3.5"}, {"fill", colour::ink}});
    f.label(lx + 10, ly, "Observed share active", "start", colour::ink, label_font, 0);
    svg.empty("path", {{"d", square_path(lx, ly + 14, 3.5)},
                       {"fill", "white"},
                       {"stroke", colour::ink},
                       {"stroke-width", "1.5"}});
    f.label(lx + 10, ly + 18, "Observed retention", "start", colour::ink, label_font, 0);
  }
  f.edge_labels(std::move(edge));
  out.svg = svg.finish();
  return out;
}

std::string survival_chart(const survival_curve& c, chart_format format) {
  return chart_text(c, format, {points_table, json_document, vega_lite, render_survival});
}

}  // namespace cltv::plot
