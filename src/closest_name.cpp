#include "cltv/closest_name.hpp"

#include <algorithm>
#include <array>
#include <cstddef>

namespace cltv {

namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::array<std::size_t, 64> row{};
  if (b.size() >= row.size()) return b.size();
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0U : 1U)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string_view closest_name(std::string_view word, std::span<const std::string_view> candidates) {
  std::string_view best;
  if (word.empty()) return best;  // nothing to be a misspelling of
  std::size_t best_distance = 3;  // suggest only close misspellings
  for (const std::string_view name : candidates) {
    const std::size_t d = word.find(name) != std::string_view::npos && name.size() > 2
                              ? 1
                              : edit_distance(word, name);
    if (d < best_distance) best = name, best_distance = d;
  }
  return best;
}

}  // namespace cltv
