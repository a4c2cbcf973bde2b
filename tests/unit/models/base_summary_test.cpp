// Tests of cltv/models/base_summary.hpp (tag [base_summary]): hand sums.

#include "cltv/models/base_summary.hpp"

#include <catch2/catch.hpp>

#include <vector>

using Catch::Matchers::WithinRel;
using cltv::models::base_summary;
using cltv::models::base_summary_builder;

TEST_CASE("The base summary sums, bands and ranks customers", "[base_summary]") {
  base_summary_builder builder(3);
  // index, P(alive), expected purchases, value
  builder.add(0, 0.1, 0.5, 10.0);
  builder.add(1, 0.95, 3.0, 40.0);
  builder.add(2, 1.0, 1.0, 40.0);  // ties customer 1: the earlier first
  builder.add(3, 0.2, 0.7, 5.0);
  builder.add(4, 0.55, 2.0, 25.0);
  const base_summary s = std::move(builder).finish();
  CHECK(s.customers == 5);
  CHECK_THAT(s.expected_active, WithinRel(2.8, 1e-15));
  CHECK_THAT(s.expected_purchases, WithinRel(7.2, 1e-15));
  REQUIRE(s.expected_value);
  CHECK(*s.expected_value == 120);
  const std::uint64_t bands[] = {1, 1, 1, 0, 2};  // 0.2 falls in [0.2, 0.4); 1 in the last
  for (std::size_t k = 0; k < 5; ++k) CHECK(s.alive_bands[k].customers == bands[k]);
  CHECK(s.alive_bands[4].to == 1);
  REQUIRE(s.top.size() == 3);
  CHECK(s.top[0].index == 1);
  CHECK(s.top[1].index == 2);
  CHECK(s.top[2].index == 4);
}

TEST_CASE("Without values, the top is by expected purchases", "[base_summary]") {
  base_summary_builder builder(2);
  for (std::size_t i = 0; i < 100; ++i)
    builder.add(i, 0.5, static_cast<double>((i * 37) % 100));  // 99 at i = 27, 98 at i = 54
  const base_summary s = std::move(builder).finish();
  CHECK_FALSE(s.expected_value);
  REQUIRE(s.top.size() == 2);
  CHECK(s.top[0].index == 27);
  CHECK(s.top[1].index == 54);
  CHECK(s.alive_bands[2].customers == 100);
  CHECK(std::move(base_summary_builder(0)).finish().customers == 0);
}
