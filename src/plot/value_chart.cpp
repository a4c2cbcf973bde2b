// `cltv plot clv`: how value is spread over the customers — each decile's
// share of the total as bars, or the Lorenz curve with its Gini coefficient.

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

// The value share of the lowest `customer_share` of the customers, linear
// between the curve's points.
double lorenz_at(const value_distribution& d, double customer_share) {
  const std::vector<lorenz_point>& l = d.lorenz;
  if (l.empty()) return customer_share;
  if (customer_share <= l.front().customer_share) return l.front().value_share;
  for (std::size_t i = 1; i < l.size(); ++i)
    if (customer_share <= l[i].customer_share) {
      const double width = l[i].customer_share - l[i - 1].customer_share;
      const double f = width > 0 ? (customer_share - l[i - 1].customer_share) / width : 1;
      return l[i - 1].value_share + f * (l[i].value_share - l[i - 1].value_share);
    }
  return l.back().value_share;
}

// The share of the value the top `customer_share` of the customers hold: the
// top decile's when there are ten, else read off the Lorenz curve.
double top_share(const value_distribution& d, double customer_share) {
  if (customer_share == 0.1 && d.deciles.size() == 10) return d.deciles.front().share;
  return 1 - lorenz_at(d, 1 - customer_share);
}

std::string percent(double share) {
  return readable_number(share, value_style::percent);
}

std::string gini_text(const value_distribution& d) {
  return fmt::format("Gini {:.2f}", d.gini);
}

// "Top 10% of customers hold 45% of CLV · Gini 0.62"
std::string headline(const value_view& v) {
  const value_distribution& d = v.distribution;
  return fmt::format("Top 10% of customers hold {} of {} · {}", percent(top_share(d, 0.1)), v.what,
                     gini_text(d));
}

std::string title(const value_view& v) {
  return v.metric == value_metric::lorenz
             ? "How " + v.what + " is spread over customers: the Lorenz curve"
             : v.what + " by decile of customers: each tenth's share of the total";
}

std::string description(const value_view& v) {
  const value_distribution& d = v.distribution;
  std::string text = fmt::format("{}. {} customers, total {} {}. {}; the top 20% hold {}.",
                                 title(v), readable_number(d.customers, value_style::count), v.what,
                                 readable_number(d.total, value_style::amount), headline(v),
                                 percent(top_share(d, 0.2)));
  if (v.metric == value_metric::deciles) {
    text += " Shares by decile, top first:";
    for (const value_decile& dec : d.deciles)
      text += fmt::format(" {} {} (mean {});", dec.decile, percent(dec.share),
                          readable_number(dec.mean, value_style::amount));
    text.back() = '.';
  }
  if (!v.subtitle.empty()) text += " " + v.subtitle + ".";
  return text;
}

data_table deciles_table(const value_distribution& d) {
  data_table t{{"decile", "customers", "total", "share", "mean", "min", "max"}, {}};
  for (const value_decile& dec : d.deciles)
    t.rows.push_back({static_cast<double>(dec.decile), dec.customers, dec.total, dec.share,
                      dec.mean, dec.min, dec.max});
  return t;
}

data_table lorenz_table(const value_distribution& d) {
  data_table t{{"customer_share", "value_share"}, {}};
  for (const lorenz_point& p : d.lorenz) t.rows.push_back({p.customer_share, p.value_share});
  return t;
}

data_table points_table(const value_view& v) {
  return v.metric == value_metric::lorenz ? lorenz_table(v.distribution)
                                          : deciles_table(v.distribution);
}

std::string json_document(const value_view& v) {
  const value_distribution& d = v.distribution;
  return fmt::format(
      "{{\"chart\":\"value\",\"metric\":{},\"what\":{},\"customers\":{},\"total\":{},"
      "\"gini\":{},\"top_10_share\":{},\"top_20_share\":{},\"points\":{}}}\n",
      json_string(v.metric == value_metric::lorenz ? "lorenz" : "deciles"), json_string(v.what),
      json_number(d.customers), json_number(d.total), json_number(d.gini),
      json_number(top_share(d, 0.1)), json_number(top_share(d, 0.2)), json_rows(points_table(v)));
}

std::string vega_lite(const value_view& v) {
  vega_lite_spec spec(title(v) + " (" + headline(v) + ")", description(v));
  if (v.metric == value_metric::lorenz) {
    spec.layer(data_table{{"customer_share", "value_share"}, {{0.0, 0.0}, {1.0, 1.0}}},
               R"({"type":"line","color":"#666666","strokeDash":[4,4]})",
               R"({"x":{"field":"customer_share","type":"quantitative"},)"
               R"("y":{"field":"value_share","type":"quantitative"}})");
    spec.layer(
        lorenz_table(v.distribution), R"({"type":"line","color":"#0072B2","strokeWidth":2.5})",
        fmt::format(R"({{"x":{{"field":"customer_share","type":"quantitative",)"
                    R"("axis":{{"format":"%"}},"title":"Share of customers, lowest {} first"}},)"
                    R"("y":{{"field":"value_share","type":"quantitative",)"
                    R"("axis":{{"format":"%"}},"title":{}}}}})",
                    v.what, json_string("Share of " + v.what)));
  } else {
    spec.layer(deciles_table(v.distribution), R"({"type":"bar","color":"#0072B2"})",
               fmt::format(R"({{"x":{{"field":"decile","type":"ordinal",)"
                           R"j("title":"Decile of customers by {} (1 = the top 10%)"}},)j"
                           R"("y":{{"field":"share","type":"quantitative","axis":{{"format":"%"}},)"
                           R"("title":{}}},"tooltip":[{{"field":"decile"}},)"
                           R"({{"field":"share","format":".1%"}},{{"field":"mean"}}]}})",
                           v.what, json_string("Share of total " + v.what)));
  }
  return spec.finish();
}

// The subtitle: the headline, and what the value was computed with — on one
// line when it fits (the frame's subtitle), else on two, drawn by
// draw_subtitles: the headline a little higher, the rest smaller under it.
struct subtitle_lines {
  std::string first, second;
};

subtitle_lines subtitles(const value_view& v, frame_spec& spec) {
  spec.subtitle = headline(v);
  if (v.subtitle.empty()) return {};
  const std::string one_line = spec.subtitle + " · " + v.subtitle;
  if (text_width(one_line, 13) <= spec.width - 32) {
    spec.subtitle = one_line;
    return {};
  }
  subtitle_lines lines{spec.subtitle, v.subtitle};
  spec.subtitle.clear();
  return lines;
}

void draw_subtitles(frame& f, const subtitle_lines& lines) {
  if (lines.first.empty()) return;
  // Between the title (baseline 28) and the y axis's top tick label (its box
  // starts at 64.8).
  f.label(16, 46, lines.first, "start", colour::muted, 13, 0);
  f.label(16, 62, lines.second, "start", colour::muted, 11, 0);
}

rendered_chart render_deciles(const value_view& v) {
  const value_distribution& d = v.distribution;
  double high = 0;
  for (const value_decile& dec : d.deciles) high = std::max(high, dec.share);
  frame_spec spec;
  spec.title = title(v);
  const subtitle_lines lines = subtitles(v, spec);
  spec.x_title = "Decile of customers by " + v.what + " (1 = the top 10%)";
  spec.y_title = "Share of total " + v.what;
  spec.x_low = 0;
  spec.x_high = static_cast<double>(std::max<std::size_t>(d.deciles.size(), 1));
  spec.x_ticks = false;
  spec.y_low = 0;
  spec.y_high = high > 0 ? high * 1.1 : 1;  // headroom for the labels
  spec.y_style = value_style::percent;
  spec.right_margin = 40;

  rendered_chart out;
  svg_writer svg(spec.width, spec.height, spec.title, description(v));
  frame f(svg, out.labels, spec);
  draw_subtitles(f, lines);
  const double slot = (f.right() - f.left()) / spec.x_high;
  const double width = std::min(60.0, slot * 0.7);
  for (std::size_t i = 0; i < d.deciles.size(); ++i) {
    const value_decile& dec = d.deciles[i];
    const double centre = f.left() + slot * (static_cast<double>(i) + 0.5);
    const double top = f.y_at(dec.share);
    const bool first = i == 0;
    svg.empty("rect",
              {{"x", svg_number(centre - width / 2)},
               {"y", svg_number(top)},
               {"width", svg_number(width)},
               {"height", svg_number(std::max(f.bottom() - top, 0.5))},
               {"fill", first ? colour::blue : colour::sky},
               {"aria-label", fmt::format("Decile {}: {} of {}, {} customers, mean {}", dec.decile,
                                          percent(dec.share), v.what,
                                          readable_number(dec.customers, value_style::count),
                                          readable_number(dec.mean, value_style::amount))}});
    f.label(centre, top - 6, percent(dec.share), "middle", colour::ink, label_font, 0);
    f.label(centre, f.bottom() + 18, std::to_string(dec.decile), "middle", colour::ink, label_font,
            0);
  }
  out.svg = svg.finish();
  return out;
}

rendered_chart render_lorenz(const value_view& v) {
  const value_distribution& d = v.distribution;
  frame_spec spec;
  spec.title = title(v);
  const subtitle_lines lines = subtitles(v, spec);
  spec.x_title = "Share of customers, lowest " + v.what + " first";
  spec.y_title = "Share of " + v.what + " they hold";
  spec.x_low = 0;
  spec.x_high = 1;
  spec.x_whole = false;
  spec.x_style = value_style::percent;
  spec.y_low = 0;
  spec.y_high = 1;
  spec.y_style = value_style::percent;
  spec.right_margin = 170;

  rendered_chart out;
  svg_writer svg(spec.width, spec.height, spec.title, description(v));
  frame f(svg, out.labels, spec);
  draw_subtitles(f, lines);
  const auto px = [&](double share) { return f.x()(share); };
  const auto py = [&](double share) { return f.y_at(share); };

  // The area between equality and the curve (its size is half the Gini),
  // then the diagonal, then the curve.
  std::vector<std::pair<double, double>> curve;
  for (const lorenz_point& p : d.lorenz)
    curve.emplace_back(px(p.customer_share), py(p.value_share));
  if (curve.empty()) curve = {{px(0), py(0)}, {px(1), py(1)}};
  svg.empty("path", {{"d", path_of(curve) + " Z"},
                     {"fill", colour::blue},
                     {"fill-opacity", "0.12"},
                     {"stroke", "none"},
                     {"aria-label", "The area between equality and the curve: half the Gini"}});
  svg.empty("line", {{"x1", svg_number(px(0))},
                     {"y1", svg_number(py(0))},
                     {"x2", svg_number(px(1))},
                     {"y2", svg_number(py(1))},
                     {"stroke", colour::muted},
                     {"stroke-width", "1.5"},
                     {"stroke-dasharray", "4 4"},
                     {"aria-label", "Equality: every customer holds the same"}});
  svg.empty("path", {{"d", path_of(curve)},
                     {"fill", "none"},
                     {"stroke", colour::blue},
                     {"stroke-width", "2.5"},
                     {"stroke-linejoin", "round"},
                     {"aria-label", "Lorenz curve: " + gini_text(d)}});

  // The top 20 %: a point on the curve at 80 % of the customers, and a
  // bracket at the right edge over the share they hold.
  const double at80 = lorenz_at(d, 0.8);
  const double top20 = 1 - at80;
  const std::string top20_text = "Top 20% hold " + percent(top20);
  svg.empty("line", {{"x1", svg_number(px(0.8))},
                     {"y1", svg_number(py(at80))},
                     {"x2", svg_number(f.right() + 6)},
                     {"y2", svg_number(py(at80))},
                     {"stroke", colour::vermillion},
                     {"stroke-width", "1"},
                     {"stroke-dasharray", "3 3"}});
  svg.empty("path", {{"d", fmt::format("M{0} {1} h4 V{2} h-4", svg_number(f.right() + 4),
                                       svg_number(py(1)), svg_number(py(at80)))},
                     {"fill", "none"},
                     {"stroke", colour::vermillion},
                     {"stroke-width", "2"},
                     {"aria-label", top20_text + " of " + v.what}});
  svg.empty("circle", {{"cx", svg_number(px(0.8))},
                       {"cy", svg_number(py(at80))},
                       {"r", "4.5"},
                       {"fill", colour::vermillion},
                       {"aria-label", fmt::format("The lowest 80% hold {}", percent(at80))}});
  const double mid = (py(1) + py(at80)) / 2;
  f.label(f.right() + 14, mid - 2, "Top 20% of customers", "start", colour::vermillion, label_font,
          0);
  f.label(f.right() + 14, mid + 13, "hold " + percent(top20) + " of " + v.what, "start",
          colour::vermillion, label_font, 0);

  // The Gini in the empty upper-left triangle; the lines named where they
  // leave room.
  f.label(px(0.03), py(0.93), gini_text(d) + ": twice the shaded area", "start", colour::ink, 13,
          0);
  f.label(px(0.03), py(0.93) + 17, top20_text + " · top 10% hold " + percent(top_share(d, 0.1)),
          "start", colour::muted, label_font, 0);
  f.label(px(0.42) - 6, py(0.42) - 8, "Equality", "end", colour::muted, label_font, 0);
  // The curve's name below it at 60 % of the customers; when the curve runs
  // along the bottom there, above it and to the left (a Lorenz curve is
  // convex: lower to the left, so the text stays clear of it).
  const double curve_y = py(lorenz_at(d, 0.6));
  if (curve_y + 18 <= f.bottom() - 6)
    f.label(px(0.6) + 8, curve_y + 18, "Lorenz curve", "start", colour::blue, label_font, 3);
  else
    f.label(px(0.6) - 4, curve_y - 8, "Lorenz curve", "end", colour::blue, label_font, 3);
  out.svg = svg.finish();
  return out;
}

}  // namespace

rendered_chart render_value(const value_view& v) {
  return v.metric == value_metric::lorenz ? render_lorenz(v) : render_deciles(v);
}

std::string value_chart(const value_view& v, chart_format format) {
  return chart_text(v, format, {points_table, json_document, vega_lite, render_value});
}

}  // namespace cltv::plot
