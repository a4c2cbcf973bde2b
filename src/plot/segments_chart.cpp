// `cltv plot segments`: the LTV of each segment and of the blend, each
// against its own target × CAC.

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

// One bar: a segment, or the blend.
struct bar {
  std::string name;
  double ltv = 0;
  std::optional<double> cac, target_ltv, ratio;
  std::optional<bool> meets_target;
  double share = 1;  ///< of the customers
};

std::vector<bar> bars_of(const segmented_result& r) {
  std::vector<bar> bars;
  for (const segment_result& s : r.segments)
    bars.push_back({s.name, s.result.ltv, s.input.cac, s.result.required_ltv,
                    s.result.ltv_cac_ratio, s.result.meets_target, s.weight});
  const blended_result& b = r.blended;
  bars.push_back({"Blended", b.ltv, b.cac, b.required_ltv, b.ltv_cac_ratio, b.meets_target, 1});
  return bars;
}

std::string verdict_text(const bar& b) {
  if (!b.ratio || !b.meets_target) return "no CAC";
  return readable_number(*b.ratio, value_style::amount) + "× " + (*b.meets_target ? "✓" : "✗");
}

data_table bars_table(const segmented_result& r) {
  data_table t{{"segment", "share", "ltv", "cac", "target_ltv", "ltv_cac_ratio", "meets_target"},
               {}};
  for (const bar& b : bars_of(r))
    t.rows.push_back({b.name, b.share, b.ltv, optional_cell(b.cac), optional_cell(b.target_ltv),
                      optional_cell(b.ratio), b.meets_target ? cell(*b.meets_target) : cell{}});
  return t;
}

std::string description(const segmented_result& r) {
  std::string text = "LTV per customer of each segment and of the blend, against target × CAC:";
  for (const bar& b : bars_of(r)) {
    text += fmt::format(" {} {}", b.name, readable_number(b.ltv, value_style::amount));
    if (b.target_ltv)
      text += fmt::format(" ({} {})", *b.meets_target ? "meets" : "below",
                          readable_number(*b.target_ltv, value_style::amount));
    text += ";";
  }
  text.back() = '.';
  return text;
}

std::string vega_lite(const segmented_result& r) {
  vega_lite_spec spec("LTV per segment against target × CAC", description(r));
  const data_table t = bars_table(r);
  spec.layer(
      t, R"({"type":"bar"})",
      R"({"x":{"field":"segment","type":"nominal","sort":null},"y":{"field":"ltv","type":"quantitative","title":"LTV per customer"},)"
      R"("color":{"field":"meets_target","type":"nominal","scale":{"domain":[true,false],"range":["#0072B2","#D55E00"]}}})");
  spec.layer(
      t, R"({"type":"tick","color":"#222222","thickness":3})",
      R"({"x":{"field":"segment","type":"nominal","sort":null},"y":{"field":"target_ltv","type":"quantitative"}})");
  return spec.finish();
}

}  // namespace

rendered_chart render_segments(const segmented_result& r) {
  const std::vector<bar> bars = bars_of(r);
  double low = 0, high = 0;
  for (const bar& b : bars) {
    low = std::min(low, b.ltv);
    high = std::max(high, b.ltv);
    if (b.target_ltv) high = std::max(high, *b.target_ltv);
  }
  frame_spec spec;
  spec.title = "LTV per segment against target × CAC";
  const bar& blended_bar = bars.back();
  spec.subtitle = "Blended LTV " + readable_number(blended_bar.ltv, value_style::amount);
  if (blended_bar.ratio && blended_bar.meets_target)
    spec.subtitle += fmt::format(" · LTV:CAC {}× {} the {}× target",
                                 readable_number(*blended_bar.ratio, value_style::amount),
                                 *blended_bar.meets_target ? "meets" : "is below",
                                 readable_number(r.blended.target, value_style::amount));
  spec.subtitle += " · hatched: below the target";
  spec.x_title = "";  // the bars are named, with their share of the customers
  spec.y_title = "LTV per customer";
  spec.x_low = 0;
  spec.x_high = static_cast<double>(bars.size());
  spec.x_ticks = false;
  spec.y_low = low;
  // Headroom above the tallest bar for its verdict.
  spec.y_high = high == low ? low + 1 : high + 0.1 * (high - low);
  spec.right_margin = 40;

  rendered_chart out;
  svg_writer svg(spec.width, spec.height, spec.title, description(r));
  svg.raw(
      R"svg(<defs><pattern id="below-target" patternUnits="userSpaceOnUse" width="8" height="8" patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="8" stroke="#FFFFFF" stroke-width="2.5"/></pattern></defs>)svg");
  frame f(svg, out.labels, spec);
  // The key to the target lines, at the top right.
  const double key_x = f.right() - 150;
  svg.empty("line", {{"x1", svg_number(key_x)},
                     {"x2", svg_number(key_x + 24)},
                     {"y1", svg_number(f.top() - 8)},
                     {"y2", svg_number(f.top() - 8)},
                     {"stroke", colour::ink},
                     {"stroke-width", "3"}});
  f.label(key_x + 30, f.top() - 4,
          readable_number(r.blended.target, value_style::amount) + "× CAC (target)", "start",
          colour::ink, label_font, 0);
  const double slot = (f.right() - f.left()) / static_cast<double>(bars.size());
  const double width = std::min(90.0, slot * 0.6);
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const bar& b = bars[i];
    const bool blended = i + 1 == bars.size();
    const double centre = f.left() + slot * (static_cast<double>(i) + 0.5);
    const double top = f.y_at(std::max(b.ltv, 0.0));
    const double bottom = f.y_at(std::min(b.ltv, 0.0));
    const bool below = b.meets_target && !*b.meets_target;
    const char* fill = below ? colour::vermillion : colour::blue;
    const std::string aria = fmt::format(
        "{}: LTV {}, {}", b.name, readable_number(b.ltv, value_style::amount), verdict_text(b));
    svg.empty("rect", {{"x", svg_number(centre - width / 2)},
                       {"y", svg_number(top)},
                       {"width", svg_number(width)},
                       {"height", svg_number(std::max(bottom - top, 0.5))},
                       {"fill", fill},
                       {"stroke", blended ? colour::ink : fill},
                       {"stroke-width", blended ? "2" : "1"},
                       {"aria-label", aria}});
    if (below)
      svg.empty("rect", {{"x", svg_number(centre - width / 2)},
                         {"y", svg_number(top)},
                         {"width", svg_number(width)},
                         {"height", svg_number(std::max(bottom - top, 0.5))},
                         {"fill", "url(#below-target)"}});
    if (b.target_ltv) {
      const double y = f.y_at(*b.target_ltv);
      svg.empty("line",
                {{"x1", svg_number(centre - width / 2 - 8)},
                 {"x2", svg_number(centre + width / 2 + 8)},
                 {"y1", svg_number(y)},
                 {"y2", svg_number(y)},
                 {"stroke", colour::ink},
                 {"stroke-width", "3"},
                 {"aria-label", fmt::format("{}: target × CAC {}", b.name,
                                            readable_number(*b.target_ltv, value_style::amount))}});
    }
    // The verdict above whichever is higher, the bar or the target line.
    const double above = std::min(top, b.target_ltv ? f.y_at(*b.target_ltv) : top) - 8;
    f.label(centre, above, verdict_text(b), "middle", below ? colour::vermillion : colour::ink,
            label_font, 0);
    f.label(centre, f.bottom() + 18, b.name, "middle", colour::ink, label_font, 0);
    f.label(centre, f.bottom() + 32,
            blended ? std::string("all") : readable_number(b.share, value_style::percent), "middle",
            colour::muted, 11, 0);
  }
  out.svg = svg.finish();
  return out;
}

namespace {

std::string json_document(const segmented_result& r) {
  return "{\"chart\":\"segments\",\"target\":" + json_number(r.blended.target) +
         ",\"bars\":" + json_rows(bars_table(r)) + "}\n";
}

}  // namespace

std::string segments_chart(const segmented_result& r, chart_format format) {
  return chart_text(r, format, {bars_table, json_document, vega_lite, render_segments});
}

}  // namespace cltv::plot
