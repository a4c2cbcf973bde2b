#include "cltv/scenario_fields.hpp"

#include <algorithm>
#include <vector>

#include "cltv/closest_name.hpp"

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

std::string_view closest_field_name(std::string_view key,
                                    std::initializer_list<std::string_view> others) {
  std::vector<std::string_view> names(others);  // a record's other keys first
  for (const scenario_field& field : scenario_fields) names.push_back(field.name);
  return closest_name(key, names);
}

std::string flag_spelling(const scenario_field& field) {
  std::string flag = "--" + std::string(field.name);
  std::replace(flag.begin(), flag.end(), '_', '-');
  return flag;
}

}  // namespace cltv
