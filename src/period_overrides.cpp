#include "cltv/period_overrides.hpp"

#include <algorithm>
#include <array>

namespace cltv {

bool is_per_period(const scenario_field& field) noexcept {
  constexpr std::array<std::string_view, 6> period_free = {"period",       "aov",    "cac",
                                                           "gross_margin", "target", "confidence"};
  return std::find(period_free.begin(), period_free.end(), field.name) == period_free.end();
}

bool overrides_change_period(const scenario_input& record,
                             const scenario_input& overrides) noexcept {
  if (overrides.period || record.period.value_or(period::month) == period::month) return false;
  return std::any_of(scenario_fields.begin(), scenario_fields.end(), [&](const scenario_field& f) {
    return is_per_period(f) && is_given(overrides, f);
  });
}

}  // namespace cltv
