#include "cltv/scenario_fields.hpp"

#include <algorithm>

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

std::string flag_spelling(const scenario_field& field) {
  std::string flag = "--" + std::string(field.name);
  std::replace(flag.begin(), flag.end(), '_', '-');
  return flag;
}

}  // namespace cltv
