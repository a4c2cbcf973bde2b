#include "cltv/scenario_fields.hpp"

#include <algorithm>
#include <array>

namespace cltv {

std::string_view to_string(source_group group) noexcept {
  switch (group) {
    case source_group::value:
      return "value per period";
    case source_group::lifetime:
      return "lifetime";
    case source_group::none:
      break;
  }
  return "";
}

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

std::string_view closest_field_name(std::string_view key,
                                    std::initializer_list<std::string_view> others) {
  std::string_view best;
  if (key.empty()) return best;   // nothing to be a misspelling of
  std::size_t best_distance = 3;  // suggest only close misspellings
  auto consider = [&](std::string_view name) {
    // A close misspelling ("chrun"), or a known name inside ("churn_rate").
    const std::size_t d =
        key.find(name) != std::string_view::npos && name.size() > 2 ? 1 : edit_distance(key, name);
    if (d < best_distance) best = name, best_distance = d;
  };
  for (const std::string_view name : others) consider(name);
  for (const scenario_field& field : scenario_fields) consider(field.name);
  return best;
}

std::string flag_spelling(const scenario_field& field) {
  std::string flag = "--" + std::string(field.name);
  std::replace(flag.begin(), flag.end(), '_', '-');
  return flag;
}

}  // namespace cltv
