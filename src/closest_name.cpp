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
  std::array<std::array<std::size_t, longest + 1>, 3> rows{};  // rows i-2, i-1, i
  for (std::size_t j = 0; j <= b.size(); ++j) rows[1][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    const auto& two_up = rows[0];
    const auto& up = rows[1];
    auto& row = rows[2];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      row[j] = std::min({up[j] + 1, row[j - 1] + 1, up[j - 1] + (a[i - 1] == b[j - 1] ? 0U : 1U)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        row[j] = std::min(row[j], two_up[j - 2] + 1);
    }
    std::rotate(rows.begin(), rows.begin() + 1, rows.end());
  }
  return rows[1][b.size()];
}

}  // namespace

std::string_view closest_name(std::string_view word, std::span<const std::string_view> candidates) {
  std::string_view best;
  if (word.empty()) return best;  // nothing to be a misspelling of
  // Only close misspellings: one edit in a short word, two in a longer one.
  const std::size_t best_distance_limit = word.size() <= 6 ? 2 : 3;
  std::size_t best_distance = best_distance_limit;
  for (const std::string_view name : candidates) {
    const std::size_t d = word.find(name) != std::string_view::npos && name.size() > 2
                              ? 1
                              : edit_distance(word, name);
    if (d < best_distance) best = name, best_distance = d;
  }
  return best;
}

}  // namespace cltv
