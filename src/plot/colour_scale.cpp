#include "plot/colour_scale.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include <fmt/format.h>

#include "plot/frame.hpp"

namespace cltv::plot {

namespace {

// Viridis sampled at nine stops; colours between them are interpolated.
constexpr std::array<std::array<int, 3>, 9> viridis{{{68, 1, 84},
                                                     {71, 44, 122},
                                                     {59, 81, 139},
                                                     {44, 113, 142},
                                                     {33, 144, 141},
                                                     {39, 173, 129},
                                                     {92, 200, 99},
                                                     {170, 220, 50},
                                                     {253, 231, 37}}};

}  // namespace

std::string colour_at(double position) {
  const double p = std::clamp(position, 0.0, 1.0) * (viridis.size() - 1);
  const auto i = std::min(static_cast<std::size_t>(p), viridis.size() - 2);
  const double f = p - static_cast<double>(i);
  std::array<int, 3> c{};
  for (std::size_t k = 0; k < 3; ++k)
    c[k] = static_cast<int>(std::lround(viridis[i][k] + f * (viridis[i + 1][k] - viridis[i][k])));
  return fmt::format("#{:02X}{:02X}{:02X}", c[0], c[1], c[2]);
}

bool is_dark(double position) {
  return position < 0.55;
}

void draw_colour_legend(svg_writer& svg, text_boxes& labels, const colour_legend& legend) {
  // The gradient runs upwards, through as many stops as the colour map has.
  const double end = std::clamp(legend.end, 0.01, 1.0);
  std::string stops;
  for (std::size_t i = 0; i < viridis.size(); ++i) {
    const double offset = static_cast<double>(i) / (viridis.size() - 1);
    stops += fmt::format(R"(<stop offset="{}" stop-color="{}"/>)", svg_number(offset),
                         colour_at(offset * end));
  }
  svg.raw(R"(<defs><linearGradient id="colour-scale" x1="0" y1="1" x2="0" y2="0">)" + stops +
          "</linearGradient></defs>");
  const auto label = [&](double x, double y, const std::string& text, const char* fill,
                         double size) {
    labels.push_back(box_of(text, x, y, size, "start"));
    svg.text_element("text",
                     {{"x", svg_number(x)},
                      {"y", svg_number(y)},
                      {"font-size", svg_number(size)},
                      {"fill", fill}},
                     text);
  };
  if (!legend.title.empty()) label(legend.x, legend.top - 16, legend.title, colour::ink, 12);
  svg.empty("rect", {{"x", svg_number(legend.x)},
                     {"y", svg_number(legend.top)},
                     {"width", svg_number(legend.width)},
                     {"height", svg_number(legend.height)},
                     {"fill", "url(#colour-scale)"},
                     {"aria-label", legend.aria_label}});
  const double bottom = legend.top + legend.height;
  double last_top = HUGE_VAL;  // the top of the label drawn last (ticks go upwards)
  std::string marks;
  for (const auto& [position, text] : legend.ticks) {
    const double y = bottom - std::clamp(position / end, 0.0, 1.0) * legend.height;
    const text_box box = box_of(text, legend.x + legend.width + 6, y + 4, label_font, "start");
    if (box.bottom + 1 > last_top) continue;
    last_top = box.top;
    marks += fmt::format("M{} {}h4 ", svg_number(legend.x + legend.width), svg_number(y));
    label(legend.x + legend.width + 6, y + 4, text, colour::ink, label_font);
  }
  if (!marks.empty()) {
    marks.pop_back();
    svg.empty("path", {{"d", marks}, {"stroke", colour::ink}, {"stroke-width", "1"}});
  }
}

}  // namespace cltv::plot
