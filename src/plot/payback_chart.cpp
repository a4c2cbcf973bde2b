// `cltv plot payback`: the cumulative expected margin per acquired customer
// against the CAC that bought her.

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

std::string capitalised(std::string_view word) {
  std::string out(word);
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 32);
  return out;
}

std::string x_title(const payback_curve& c) {
  return capitalised(plural(c.period)) + " since acquisition";
}

// "LTV:CAC 4.17× meets the 3× target" (or "is below").
std::string verdict(const payback_curve& c) {
  if (!c.ltv_cac_ratio || !c.meets_target) return {};
  return fmt::format(
      "LTV:CAC {}× {} the {}× target", readable_number(*c.ltv_cac_ratio, value_style::amount),
      *c.meets_target ? "meets" : "is below", readable_number(c.target, value_style::amount));
}

std::string subtitle(const payback_curve& c) {
  std::string text = "LTV " + readable_number(c.ltv, value_style::amount);
  if (c.cac) text += " · CAC " + readable_number(*c.cac, value_style::amount);
  const std::string v = verdict(c);
  if (!v.empty()) text += " · " + v;
  if (!c.cac) text += " · no CAC given";
  return text;
}

std::string description(const payback_curve& c) {
  const int last = c.points.back().period;
  std::string text = fmt::format("Cumulative expected margin per acquired customer over {}",
                                 periods_text(last, c.period));
  if (c.cac) {
    if (c.expected_payback)
      text += fmt::format(", reaching the CAC of {} after {} (expected payback)",
                          readable_number(*c.cac, value_style::amount),
                          periods_text(*c.expected_payback, c.period));
    else if (c.never_paid_back)
      text += fmt::format(", never reaching the CAC of {}",
                          readable_number(*c.cac, value_style::amount));
    else
      text += fmt::format(", not reaching the CAC of {} within the periods shown",
                          readable_number(*c.cac, value_style::amount));
    if (c.simple_payback)
      text += fmt::format("; simple payback (CAC / margin per period): {}",
                          periods_text(*c.simple_payback, c.period));
  }
  text += ". LTV " + readable_number(c.ltv, value_style::amount);
  const std::string v = verdict(c);
  if (!v.empty()) text += "; " + v;
  return text + ".";
}

data_table points_table(const payback_curve& c) {
  data_table t{{"period", "margin", "cumulative"}, {}};
  for (const payback_point& p : c.points)
    t.rows.push_back({static_cast<double>(p.period), p.margin, p.cumulative});
  return t;
}

std::string optional_number(const std::optional<double>& v) {
  return v ? json_number(*v) : "null";
}

std::string json_document(const payback_curve& c) {
  return fmt::format(
      "{{\"chart\":\"payback\",\"period\":{},\"ltv\":{},\"cac\":{},\"target\":{},"
      "\"target_ltv\":{},\"expected_payback\":{},\"simple_payback\":{},\"never_paid_back\":{},"
      "\"points\":{}}}\n",
      json_string(to_string(c.period)), json_number(c.ltv), optional_number(c.cac),
      json_number(c.target), optional_number(c.target_ltv), optional_number(c.expected_payback),
      optional_number(c.simple_payback), c.never_paid_back ? "true" : "false",
      json_rows(points_table(c)));
}

std::string vega_lite(const payback_curve& c) {
  vega_lite_spec spec(fmt::format("Payback: cumulative margin per customer ({})", subtitle(c)),
                      description(c));
  spec.layer(points_table(c), R"({"type":"line","color":"#0072B2","strokeWidth":2.5})",
             fmt::format(R"({{"x":{{"field":"period","type":"quantitative","title":{}}},)"
                         R"("y":{{"field":"cumulative","type":"quantitative",)"
                         R"("title":"Cumulative margin per customer"}}}})",
                         json_string(x_title(c))));
  const auto rule = [&](std::string_view name, double value, std::string_view mark) {
    spec.layer(
        data_table{{"line", "value"}, {{std::string(name), value}}}, mark,
        R"({"y":{"field":"value","type":"quantitative"},"tooltip":[{"field":"line"},{"field":"value","type":"quantitative"}]})");
  };
  if (c.cac) rule("CAC", *c.cac, R"({"type":"rule","color":"#D55E00","strokeDash":[6,4]})");
  if (c.target_ltv)
    rule(readable_number(c.target, value_style::amount) + "× CAC", *c.target_ltv,
         R"({"type":"rule","color":"#009E73","strokeDash":[2,3]})");
  data_table marks{{"mark", "period", "value"}, {}};
  if (c.expected_payback && c.cac)
    marks.rows.push_back({std::string("expected payback"), *c.expected_payback, *c.cac});
  if (c.simple_payback && c.cac && *c.simple_payback <= c.points.back().period)
    marks.rows.push_back({std::string("simple payback"), *c.simple_payback, *c.cac});
  if (!marks.rows.empty())
    spec.layer(
        marks, R"({"type":"point","filled":true,"size":80})",
        R"({"x":{"field":"period","type":"quantitative"},"y":{"field":"value","type":"quantitative"},)"
        R"("shape":{"field":"mark","type":"nominal","scale":{"range":["circle","diamond"]}},)"
        R"("color":{"field":"mark","type":"nominal","scale":{"range":["#0072B2","#D55E00"]}}})");
  return spec.finish();
}

}  // namespace

rendered_chart render_payback(const payback_curve& c) {
  double low = 0, high = 0;
  for (const payback_point& p : c.points) {
    low = std::min(low, p.cumulative);
    high = std::max(high, p.cumulative);
  }
  if (c.cac) high = std::max(high, *c.cac);
  if (c.target_ltv) high = std::max(high, *c.target_ltv);
  if (high == low) high = low + 1;

  frame_spec spec;
  spec.title = "Payback: cumulative margin per acquired customer";
  spec.subtitle = subtitle(c);
  spec.x_title = x_title(c);
  spec.y_title = "Cumulative margin per customer";
  spec.x_low = 0;
  spec.x_high = c.points.back().period;
  spec.y_low = low;
  spec.y_high = high;

  rendered_chart out;
  svg_writer svg(spec.width, spec.height, spec.title, description(c));
  frame f(svg, out.labels, spec);

  // Reference lines first, so that the curve is drawn over them.
  std::vector<edge_label> edge;
  const auto rule = [&](double value, const char* stroke, const char* dash, std::string_view name,
                        std::string label_text) {
    svg.empty("line", {{"x1", svg_number(f.left())},
                       {"x2", svg_number(f.right())},
                       {"y1", svg_number(f.y_at(value))},
                       {"y2", svg_number(f.y_at(value))},
                       {"stroke", stroke},
                       {"stroke-width", "1.5"},
                       {"stroke-dasharray", dash},
                       {"aria-label",
                        std::string(name) + " " + readable_number(value, value_style::amount)}});
    edge.push_back({std::move(label_text), value, stroke});
  };
  const bool ltv_in_view = c.ltv <= f.y().domain_high && c.ltv >= f.y().domain_low;
  if (ltv_in_view)
    rule(c.ltv, colour::muted, "1 4", "LTV", "LTV " + readable_number(c.ltv, value_style::amount));
  if (c.cac)
    rule(*c.cac, colour::vermillion, "6 4", "CAC",
         "CAC " + readable_number(*c.cac, value_style::amount));
  if (c.target_ltv)
    rule(*c.target_ltv, colour::green, "2 3", "Target",
         readable_number(c.target, value_style::amount) + "× CAC " +
             readable_number(*c.target_ltv, value_style::amount));

  std::vector<std::pair<double, double>> pixels;
  for (const payback_point& p : c.points)
    pixels.emplace_back(f.x()(p.period), f.y_at(p.cumulative));
  svg.empty("path", {{"d", path_of(pixels)},
                     {"fill", "none"},
                     {"stroke", colour::blue},
                     {"stroke-width", "2.5"},
                     {"stroke-linejoin", "round"},
                     {"aria-label", "Cumulative margin per customer"}});
  edge.push_back({"Cumulative margin", c.points.back().cumulative, colour::blue});
  f.edge_labels(std::move(edge));

  // Both paybacks sit on the CAC line; their labels go under it, right of
  // both marks, where the curve (above the CAC once paid back) leaves room.
  const bool simple_in_view = c.cac && c.simple_payback && *c.simple_payback <= f.x().domain_high;
  double labels_x = f.left();
  if (c.cac && c.expected_payback) labels_x = std::max(labels_x, f.x()(*c.expected_payback));
  if (simple_in_view) labels_x = std::max(labels_x, f.x()(*c.simple_payback));
  labels_x += 10;
  const auto payback_label = [&](double y, const std::string& text, const char* fill) {
    const bool room_right = labels_x + text_width(text, label_font) < f.right();
    f.label(room_right ? labels_x : f.right(), y, text, room_right ? "start" : "end", fill);
  };
  if (c.cac && c.expected_payback) {
    const double x = f.x()(*c.expected_payback);
    const double y = f.y_at(*c.cac);
    const std::string text = "Expected payback: " + periods_text(*c.expected_payback, c.period);
    svg.empty("line", {{"x1", svg_number(x)},
                       {"x2", svg_number(x)},
                       {"y1", svg_number(f.bottom())},
                       {"y2", svg_number(y)},
                       {"stroke", colour::blue},
                       {"stroke-width", "1"},
                       {"stroke-dasharray", "3 3"}});
    svg.empty("circle", {{"cx", svg_number(x)},
                         {"cy", svg_number(y)},
                         {"r", "5"},
                         {"fill", "white"},
                         {"stroke", colour::blue},
                         {"stroke-width", "2"},
                         {"aria-label", text}});
    payback_label(y + 19, text, colour::blue);
  }
  if (simple_in_view) {
    const double x = f.x()(*c.simple_payback);
    const double y = f.y_at(*c.cac);
    const std::string text =
        "Simple payback (CAC / margin): " + periods_text(*c.simple_payback, c.period);
    svg.empty("path", {{"d", fmt::format("M{0} {1} L{2} {3} L{0} {4} L{5} {3} Z", svg_number(x),
                                         svg_number(y - 6), svg_number(x + 6), svg_number(y),
                                         svg_number(y + 6), svg_number(x - 6))},
                       {"fill", colour::vermillion},
                       {"aria-label", text}});
    payback_label(y + 35, text, colour::vermillion);
  }
  if (c.never_paid_back)
    f.label(f.left() + 10, f.top() + 16,
            "Never paid back: LTV " + readable_number(c.ltv, value_style::amount) + " < CAC " +
                readable_number(*c.cac, value_style::amount),
            "start", colour::vermillion);
  out.svg = svg.finish();
  return out;
}

std::string payback_chart(const payback_curve& c, chart_format format) {
  return chart_text(c, format, {points_table, json_document, vega_lite, render_payback});
}

}  // namespace cltv::plot
