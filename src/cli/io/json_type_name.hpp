#pragma once
// The names of JSON value types, for messages ("got an array").

#include <simdjson.h>

namespace cltv::cli {

[[nodiscard]] inline const char* json_type_name(simdjson::ondemand::json_type type) {
  using simdjson::ondemand::json_type;
  switch (type) {
    case json_type::array:
      return "an array";
    case json_type::object:
      return "an object";
    case json_type::boolean:
      return "a boolean";
    case json_type::null:
      return "null";
    case json_type::string:
      return "a string";
    case json_type::number:
      return "a number";
  }
  return "a value";
}

}  // namespace cltv::cli
