// Tests of cltv/conventions.hpp: the same scenario under other LTV conventions.

#include "cltv/conventions.hpp"

#include <catch2/catch.hpp>
#include <string_view>

#include "cltv/scenario.hpp"

using Catch::Matchers::WithinRel;

namespace {

cltv::scenario resolved(const cltv::scenario_input& in) {
  auto s = cltv::resolve(in);
  if (!s) FAIL("resolve failed: " << s.error().message);
  return *s;
}

const cltv::convention_value* find(const std::vector<cltv::convention_value>& rows,
                                   std::string_view key) {
  for (const auto& r : rows)
    if (r.key == key) return &r;
  return nullptr;
}

}  // namespace

TEST_CASE("reconcile: one scenario under every convention, by hand", "[conventions]") {
  // v = 50, gross margin 80 %, m = 40, c = 4 %, r = 0.96, d = 1 %, G = 0.5 %
  cltv::scenario_input in;
  in.arpu = 50;
  in.gross_margin = 0.8;
  in.churn = 0.04;
  in.discount_rate = 0.01;
  in.expansion = 0.005;
  auto rows = cltv::reconcile(resolved(in));
  REQUIRE(rows);
  REQUIRE(rows->size() == 6);  // no churn floor: churn is not 0
  const auto value = [&](std::string_view key) {
    const auto* row = find(*rows, key);
    REQUIRE(row != nullptr);
    REQUIRE(row->ltv.has_value());
    return *row->ltv;
  };
  REQUIRE_THAT(value("arpu_over_churn"), WithinRel(1250.0, 1e-12));  // 50 / 0.04
  REQUIRE_THAT(value("gross_margin"), WithinRel(1000.0, 1e-12));     // 50 × 0.8 / 0.04
  REQUIRE_THAT(value("start_of_period"), WithinRel(808.0, 1e-12));   // 40 × 1.01 / 0.05
  REQUIRE_THAT(value("end_of_period"), WithinRel(800.0, 1e-12));     // 40 / 0.05
  REQUIRE_THAT(value("gupta_lehmann"), WithinRel(768.0, 1e-12));     // 40 × 0.96 / 0.05
  // K = 0.96 × 0.99 = 0.9504, 1 − K = 0.0496:
  // 40 × (1 / 0.0496 + 0.005 × 0.9504 / 0.0496²) = 40 × (20.16129 + 1.93158) = 883.71488
  REQUIRE_THAT(value("skok"), WithinRel(883.7148803329848, 1e-12));
  CHECK(find(*rows, "churn_floor") == nullptr);
}

TEST_CASE("reconcile: edge cases", "[conventions]") {
  SECTION("churn 0: unbounded where nothing discounts, and the churn floor") {
    cltv::scenario_input in;
    in.arpu = 600;
    in.period = cltv::period::year;
    in.churn = 0;
    in.discount_rate = 0.08;
    auto rows = cltv::reconcile(resolved(in));
    REQUIRE(rows);
    CHECK_FALSE(find(*rows, "arpu_over_churn")->ltv);
    CHECK_FALSE(find(*rows, "gross_margin")->ltv);
    REQUIRE_THAT(*find(*rows, "start_of_period")->ltv,
                 WithinRel(8100.0, 1e-12));  // 600 × 1.08 / 0.08
    REQUIRE_THAT(*find(*rows, "end_of_period")->ltv, WithinRel(7500.0, 1e-12));  // 600 / 0.08
    // The floor per year: 1 − (1 − 0.0167)^12 = 0.182980…; 600 / 0.182980 = 3279.0395
    REQUIRE(find(*rows, "churn_floor") != nullptr);
    REQUIRE_THAT(*find(*rows, "churn_floor")->ltv, WithinRel(3279.039544390128, 1e-12));
    REQUIRE_THAT(cltv::churn_floor(cltv::period::month), WithinRel(0.0167, 1e-15));
  }
  SECTION("Skok's form only when d < 1") {
    cltv::scenario_input in;
    in.arpu = 50;
    in.churn = 0.04;
    in.discount_rate = 1.5;
    auto rows = cltv::reconcile(resolved(in));
    REQUIRE(rows);
    CHECK(find(*rows, "skok") == nullptr);
  }
  SECTION("a fixed lifetime is refused, naming the field") {
    cltv::scenario_input in;
    in.arpu = 50;
    in.lifetime = 24;
    auto rows = cltv::reconcile(resolved(in));
    REQUIRE_FALSE(rows);
    CHECK(rows.error().field == "lifetime");
  }
}
