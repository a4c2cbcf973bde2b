#include "plot/text_box.hpp"

#include <array>

namespace cltv::plot {

namespace {

// DejaVu Sans advance widths in em for the printable ASCII characters,
// space (0x20) to tilde (0x7e).
constexpr std::array<double, 95> ascii_advance{
    0.318, 0.401, 0.460, 0.838, 0.636, 0.950, 0.780, 0.275, 0.390, 0.390, 0.500, 0.838,
    0.318, 0.361, 0.318, 0.337, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636,
    0.636, 0.636, 0.337, 0.337, 0.838, 0.838, 0.838, 0.531, 1.000, 0.684, 0.686, 0.698,
    0.770, 0.632, 0.575, 0.775, 0.752, 0.295, 0.295, 0.656, 0.557, 0.863, 0.748, 0.787,
    0.603, 0.787, 0.695, 0.635, 0.611, 0.732, 0.684, 0.989, 0.685, 0.611, 0.685, 0.390,
    0.337, 0.390, 0.838, 0.500, 0.500, 0.613, 0.635, 0.550, 0.635, 0.615, 0.352, 0.635,
    0.634, 0.278, 0.278, 0.579, 0.278, 0.974, 0.634, 0.612, 0.635, 0.635, 0.411, 0.521,
    0.392, 0.634, 0.592, 0.818, 0.592, 0.592, 0.525, 0.636, 0.337, 0.636, 0.838};

// Other characters (×, ≥, –, ·: the symbols labels use) as wide as the math
// operators, the widest of them.
constexpr double other_advance = 0.838;

}  // namespace

double text_width(std::string_view text, double font_size) {
  double em = 0;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7f)
      em += ascii_advance[byte - 0x20];
    else if ((byte & 0xc0) != 0x80 && byte >= 0x80)  // a UTF-8 lead byte: one character
      em += other_advance;
  }
  return em * font_size * 1.05;
}

text_box box_of(std::string_view text, double x, double y, double font_size,
                std::string_view anchor) {
  const double width = text_width(text, font_size);
  double left = x;
  if (anchor == "middle") left = x - width / 2;
  if (anchor == "end") left = x - width;
  return {left, y - 0.93 * font_size, left + width, y + 0.24 * font_size};
}

bool any_overlap(const text_boxes& boxes) {
  for (std::size_t i = 0; i < boxes.size(); ++i)
    for (std::size_t j = i + 1; j < boxes.size(); ++j)
      if (boxes[i].overlaps(boxes[j])) return true;
  return false;
}

}  // namespace cltv::plot
