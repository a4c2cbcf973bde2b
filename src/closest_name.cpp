#include "cltv/closest_name.hpp"

#include <algorithm>
#include <array>
#include <cstddef>

namespace cltv {

namespace {

// Edits between a and b: insertions, deletions, substitutions and swaps of
// two neighbours ("chrun" → "churn" is one), each counting 1.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  constexpr std::size_t longest = 63;
  if (a.size() > longest || b.size() > longest) return std::max(a.size(), b.size());
  std::array<std::array<std::size_t, longest + 1>, 3> rows{};  // row i in rows[i % 3]
  for (std::size_t j = 0; j <= b.size(); ++j) rows[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    const auto& two_up = rows[(i + 1) % 3];
    const auto& up = rows[(i + 2) % 3];
    auto& row = rows[i % 3];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      row[j] = std::min({up[j] + 1, row[j - 1] + 1, up[j - 1] + (a[i - 1] == b[j - 1] ? 0U : 1U)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        row[j] = std::min(row[j], two_up[j - 2] + 1);
    }
  }
  return rows[a.size() % 3][b.size()];
}

}  // namespace

std::string_view closest_name(std::string_view word, std::span<const std::string_view> candidates) {
  std::string_view best;
  if (word.empty()) return best;  // nothing to be a misspelling of
  // Only close misspellings: one edit in a short word, two in a longer one.
  const std::size_t best_distance_limit = word.size() <= 6 ? 2 : 3;
  std::size_t best_distance = best_distance_limit;
  for (const std::string_view name : candidates) {
    std::size_t d = 1;
    if (word.find(name) == std::string_view::npos || name.size() <= 2) {
      // The distance is at least the difference in length: a long word (a
      // hostile key) skips the quadratic comparison with every name.
      const std::size_t length_gap =
          word.size() > name.size() ? word.size() - name.size() : name.size() - word.size();
      if (length_gap >= best_distance) continue;
      d = edit_distance(word, name);
    }
    if (d < best_distance) best = name, best_distance = d;
  }
  return best;
}

}  // namespace cltv
