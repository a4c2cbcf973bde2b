#pragma once
// Where a label's text will sit, before a browser draws it: its width from
// the advance widths of DejaVu Sans (the sans-serif Debian's Chromium uses;
// Verdana and Arial, the fallbacks, are no wider), so a layout can keep
// labels apart and tests can check that none overlap.

#include <string_view>
#include <vector>

namespace cltv::plot {

/// The width of `text` at `font_size` pixels: the sum of the characters'
/// advance widths, rounded up by 5 % for hinting and kerning.
[[nodiscard]] double text_width(std::string_view text, double font_size);

/// A label's bounding box in SVG coordinates (y grows downwards).
struct text_box {
  double left = 0, top = 0, right = 0, bottom = 0;

  [[nodiscard]] bool overlaps(const text_box& other) const noexcept {
    return left < other.right && other.left < right && top < other.bottom && other.top < bottom;
  }
};

/// The box of `text` drawn at (x, y) with text-anchor `anchor` ("start",
/// "middle", "end") and the alphabetic baseline at y: ascent 0.93 and
/// descent 0.24 of the font size (DejaVu Sans).
[[nodiscard]] text_box box_of(std::string_view text, double x, double y, double font_size,
                              std::string_view anchor);

/// The labels a renderer placed, in order, for the overlap tests.
using text_boxes = std::vector<text_box>;

/// Whether any two boxes overlap.
[[nodiscard]] bool any_overlap(const text_boxes& boxes);

}  // namespace cltv::plot
