#include "cltv/closest_name.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <string_view>

using cltv::closest_name;

namespace {
constexpr std::array<std::string_view, 4> commands{"calc", "check", "clv", "completion"};
}

TEST_CASE("closest_name suggests a candidate within two edits", "[closest_name]") {
  CHECK(closest_name("calk", commands) == "calc");              // one substitution
  CHECK(closest_name("chek", commands) == "check");             // one deletion
  CHECK(closest_name("completoin", commands) == "completion");  // two edits (a swap)
  const std::array<std::string_view, 3> options{"arpu", "churn", "cac"};
  CHECK(closest_name("arpo", options) == "arpu");
}

TEST_CASE("closest_name suggests a candidate found inside the word", "[closest_name]") {
  const std::array<std::string_view, 2> fields{"churn", "cac"};
  CHECK(closest_name("churn_rate", fields) == "churn");
  // Two characters inside a long word are no evidence of a misspelling.
  const std::array<std::string_view, 1> short_name{"ca"};
  CHECK(closest_name("scalar_value", short_name).empty());
}

TEST_CASE("closest_name: the closest wins, the earlier on a tie", "[closest_name]") {
  // "clc" is one edit from calc and from clv: calc comes first.
  CHECK(closest_name("clc", commands) == "calc");
  // "chec" is one edit from check, two from calc.
  CHECK(closest_name("chec", commands) == "check");
}

TEST_CASE("closest_name suggests nothing far away or for an empty word", "[closest_name]") {
  CHECK(closest_name("frobnicate", commands).empty());
  CHECK(closest_name("", commands).empty());
  CHECK(closest_name("calc", std::span<const std::string_view>()).empty());
}
