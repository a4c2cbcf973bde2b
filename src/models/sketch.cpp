#include "models/sketch.hpp"

#include <algorithm>
#include <cmath>

namespace cltv::models::detail {

std::optional<std::vector<rfm_tuple>> sketch_of(std::span<const rfm_tuple> tuples) {
  constexpr double sample_size = 10000;
  constexpr double steps = 128;
  if (tuples.size() < sketched_from_tuples) return std::nullopt;
  const double step = longest_age(tuples) / steps;
  if (!(step > 0)) return std::nullopt;
  double customers = 0;
  for (const rfm_tuple& c : tuples) customers += c.count;
  const double every = std::max(1.0, std::floor(customers / sample_size));
  std::vector<rfm_tuple> sketch;
  double seen = 0;
  for (rfm_tuple c : tuples) {
    const double kept = std::floor((seen + c.count) / every) - std::floor(seen / every);
    seen += c.count;
    if (kept == 0) continue;
    c.count = kept;
    // Rounding is monotone, so t_x <= T stays true; no age rounds to 0.
    // Times in steps (whole numbers, which compress as packed keys) until
    // merged: step · k is as distinct and as ordered as k.
    c.t_x = std::round(c.t_x / step);
    c.T = std::max(1.0, std::round(c.T / step));
    sketch.push_back(c);
  }
  auto compressed = compress_rfm(sketch);
  if (!compressed) return std::nullopt;
  for (rfm_tuple& c : *compressed) {
    c.t_x *= step;
    c.T *= step;
  }
  return std::move(*compressed);
}

}  // namespace cltv::models::detail
