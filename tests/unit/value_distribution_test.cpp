// Tests of cltv/value_distribution.hpp: deciles, Lorenz curve and Gini
// coefficient worked by hand on small sets.

#include "cltv/value_distribution.hpp"

#include <catch2/catch.hpp>

#include <vector>

using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

cltv::value_distribution of(const std::vector<double>& values, int points = 100) {
  auto d = cltv::distribute_values(values, points);
  if (!d) FAIL(d.error().message);
  return *d;
}

}  // namespace

TEST_CASE("value distribution: one customer holds everything", "[value-distribution]") {
  const auto d = of({0, 1, 0, 0}, 4);
  // Ascending 0, 0, 0, 1: 2·(4·1)/(4·1) − 5/4 = 0.75, the most 4 customers allow.
  CHECK_THAT(d.gini, WithinAbs(0.75, 1e-15));
  CHECK(d.total == 1);
  // Ranked from the top, customer r goes to decile ⌊10r/4⌋ + 1: 1, 3, 6, 8.
  REQUIRE(d.deciles.size() == 4);
  CHECK(d.deciles[0].decile == 1);
  CHECK(d.deciles[0].share == 1);
  CHECK(d.deciles[1].decile == 3);
  CHECK(d.deciles[3].decile == 8);
  CHECK(d.deciles[3].total == 0);
  REQUIRE(d.lorenz.size() == 5);
  CHECK(d.lorenz[3].customer_share == 0.75);
  CHECK(d.lorenz[3].value_share == 0);  // the lowest three hold nothing
  CHECK(d.lorenz[4].value_share == 1);
}

TEST_CASE("value distribution: 1, 2, 3, 4 by hand", "[value-distribution]") {
  const auto d = of({3, 1, 4, 2}, 8);
  // Σ i·v = 1 + 4 + 9 + 16 = 30: 2·30/(4·10) − 5/4 = 0.25.
  CHECK_THAT(d.gini, WithinAbs(0.25, 1e-15));
  // At 1/8 of the customers, half the lowest one (1 of 10): 0.05; at half,
  // the lowest two: 3/10.
  CHECK_THAT(d.lorenz[1].value_share, WithinRel(0.05, 1e-15));
  CHECK_THAT(d.lorenz[4].value_share, WithinRel(0.3, 1e-15));
  CHECK(d.deciles[0].min == 4);
  CHECK(d.deciles[0].share == 0.4);
}

TEST_CASE("value distribution: equal values spread evenly", "[value-distribution]") {
  const auto d = of(std::vector<double>(20, 5.0), 10);
  CHECK_THAT(d.gini, WithinAbs(0, 1e-15));
  REQUIRE(d.deciles.size() == 10);
  for (const auto& k : d.deciles) {
    CHECK(k.customers == 2);
    CHECK_THAT(k.share, WithinRel(0.1, 1e-12));
  }
  for (const auto& p : d.lorenz) CHECK_THAT(p.value_share, WithinAbs(p.customer_share, 1e-15));
  const auto zeros = of({0, 0, 0});
  CHECK(zeros.gini == 0);
  CHECK(zeros.lorenz[50].value_share == 0.5);  // no value: the diagonal
}

TEST_CASE("value deciles: ranked from the top, sizes within one", "[value-distribution]") {
  // 1 … 20: decile 1 holds 20 and 19 (39 of 210), decile 10 holds 2 and 1.
  std::vector<double> values;
  for (int i = 1; i <= 20; ++i) values.push_back(i);
  const auto all = cltv::distribute_values(values);
  REQUIRE(all);
  const auto& d = all->deciles;
  REQUIRE(d.size() == 10);
  CHECK(d[0].decile == 1);
  CHECK(d[0].customers == 2);
  CHECK(d[0].total == 39);
  CHECK_THAT(d[0].share, WithinRel(39.0 / 210, 1e-15));
  CHECK(d[0].max == 20);
  CHECK(d[0].min == 19);
  CHECK(d[0].mean == 19.5);
  CHECK(d[9].total == 3);
  CHECK(d[9].min == 1);

  // n = 3: ranks 0, 1, 2 fall in deciles ⌊0⌋+1 = 1, ⌊10/3⌋+1 = 4, ⌊20/3⌋+1 = 7.
  const std::vector<double> three{5, 1, 3};
  const auto of_three = cltv::distribute_values(three);
  REQUIRE(of_three);
  const auto& t = of_three->deciles;
  REQUIRE(t.size() == 3);
  CHECK(t[0].decile == 1);
  CHECK(t[0].total == 5);
  CHECK(t[1].decile == 4);
  CHECK(t[1].total == 3);
  CHECK(t[2].decile == 7);
  CHECK(t[2].total == 1);

  // 25 customers: sizes 3, 2, 3, 2, … (ceil(25 d / 10) boundaries), all 25 counted.
  const std::vector<double> many(25, 1.0);
  double counted = 0;
  const auto of_many = cltv::distribute_values(many);
  REQUIRE(of_many);
  for (const auto& g : of_many->deciles) {
    CHECK((g.customers == 2 || g.customers == 3));
    counted += g.customers;
  }
  CHECK(counted == 25);
  // All zero: shares are 0, not NaN.
  const auto zeros = cltv::distribute_values(std::vector<double>(10, 0.0));
  REQUIRE(zeros);
  CHECK(zeros->deciles[0].share == 0);
}

TEST_CASE("value distribution: refused inputs", "[value-distribution]") {
  CHECK(cltv::distribute_values(std::vector<double>{}).error().field == "values");
  auto negative = cltv::distribute_values(std::vector<double>{1, -2});
  REQUIRE_FALSE(negative);
  CHECK(negative.error().message == "value 2 must be a finite number >= 0, got -2");
  CHECK(cltv::distribute_values(std::vector<double>{1}, 0).error().field == "points");
}
