// Parsing of `cltv grid`'s --vary specs and --metric names.
#include "io/grid_spec.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using Catch::Matchers::Contains;
using Catch::Matchers::WithinRel;
using cltv::cli::check_varies;
using cltv::cli::parse_vary;
using cltv::cli::vary_spec;

namespace {

vary_spec parsed(const std::string& text) {
  auto v = parse_vary(text);
  if (!v) FAIL("parse_vary(\"" << text << "\") failed: " << v.error().message);
  return *v;
}

std::string refused(const std::string& text) {
  auto v = parse_vary(text);
  if (v) FAIL("parse_vary(\"" << text << "\") succeeded with " << v->values.size() << " values");
  REQUIRE(v.error().field == "vary");
  return v.error().message;
}

}  // namespace

TEST_CASE("--vary ranges: COUNT evenly spaced points including both ends", "[grid]") {
  SECTION("churn=2%..10%:5 → 2, 4, 6, 8, 10 % (step (10 − 2) / 4 = 2 points)") {
    auto v = parsed("churn=2%..10%:5");
    REQUIRE(v.field.name == "churn");
    REQUIRE(v.values.size() == 5);
    const std::vector<double> want{0.02, 0.04, 0.06, 0.08, 0.10};
    for (std::size_t i = 0; i < want.size(); ++i)
      REQUIRE_THAT(v.values[i], WithinRel(want[i], 1e-15));
    REQUIRE(v.values.back() == 0.10);  // the end exactly as given
  }
  SECTION("arpu=20..60:5 → 20, 30, 40, 50, 60") {
    auto v = parsed("arpu=20..60:5");
    REQUIRE(v.values == std::vector<double>{20, 30, 40, 50, 60});
  }
  SECTION("two points are just the ends") {
    REQUIRE(parsed("cac=100..300:2").values == std::vector<double>{100, 300});
  }
  SECTION("dashes for underscores, and rates as fractions") {
    auto v = parsed("gross-margin=0.5..0.9:3");
    REQUIRE(v.field.name == "gross_margin");
    REQUIRE_THAT(v.values[1], WithinRel(0.7, 1e-15));  // 0.5 + (0.9 − 0.5) / 2
  }
}

TEST_CASE("--vary lists", "[grid]") {
  REQUIRE(parsed("churn=2%,4%,8%").values == std::vector<double>{0.02, 0.04, 0.08});
  REQUIRE(parsed("cac=300").values == std::vector<double>{300});
  // out-of-range values parse: resolve() rejects them cell by cell
  REQUIRE(parsed("churn=150%").values == std::vector<double>{1.5});
}

TEST_CASE("--vary errors name the spec and what is wrong", "[grid]") {
  REQUIRE_THAT(refused("churn"), Contains("expected FIELD=FROM..TO:COUNT"));
  REQUIRE_THAT(refused("churn="), Contains("empty range"));
  REQUIRE_THAT(refused("churn=5%..5%:3"), Contains("empty range: both ends are 0.05"));
  REQUIRE_THAT(refused("churn=10%..2%:5"), Contains("reversed range: 0.1 is above 0.02"));
  REQUIRE_THAT(refused("churn=2%..10%:1"), Contains("count >= 2"));
  REQUIRE_THAT(refused("churn=2%..10%:0"), Contains("count >= 2"));
  REQUIRE_THAT(refused("churn=2%..10%"), Contains("needs a count"));
  REQUIRE_THAT(refused("churn=2%..10%:x"), Contains("whole number"));
  REQUIRE_THAT(refused("churn=2%..10%:-3"), Contains("whole number"));
  REQUIRE_THAT(refused("churn=2%..10%:5000"), Contains("at most 1000"));
  REQUIRE_THAT(refused("churn=..10%:5"), Contains("empty range end"));
  REQUIRE_THAT(refused("churn=2%,,4%"), Contains("empty value"));
  REQUIRE_THAT(refused("churn=2%,"), Contains("empty value"));
  REQUIRE_THAT(refused("churn=abc"), Contains("churn"));
  REQUIRE_THAT(refused("arpu=5%"), Contains("arpu"));  // % only for rates
  REQUIRE_THAT(refused("ltv=1,2"), Contains("unknown field \"ltv\""));
  REQUIRE_THAT(refused("period=month,year"), Contains("unknown field \"period\""));
}

TEST_CASE("check_varies: one or two inputs, each once", "[grid]") {
  const auto churn = parsed("churn=2%,4%");
  const auto arpu = parsed("arpu=20,40");
  REQUIRE_FALSE(check_varies({churn}).has_value());
  REQUIRE_FALSE(check_varies({churn, arpu}).has_value());
  REQUIRE_THAT(check_varies({})->message, Contains("needs one or two --vary"));
  REQUIRE_THAT(check_varies({churn, arpu, parsed("cac=1,2")})->message,
               Contains("at most two --vary"));
  REQUIRE_THAT(check_varies({churn, churn})->message, Contains("--vary churn is given twice"));
  REQUIRE_THAT(check_varies({churn, parsed("lifetime=12,24")})->message,
               Contains("set the same input, the lifetime"));
  REQUIRE_THAT(check_varies({arpu, parsed("value=1,2")})->message, Contains("value per period"));
  REQUIRE_THAT(check_varies({parsed("arpu=1..1000:1000"), parsed("churn=1%..100%:101")})->message,
               Contains("1000 × 101 = 101000 cells is more than 100000"));
  REQUIRE_FALSE(
      check_varies({parsed("arpu=1..1000:1000"), parsed("churn=1%..100%:100")}).has_value());
  // aov and purchase_frequency are one source but two numbers: both may vary
  REQUIRE_FALSE(check_varies({parsed("aov=50,60"), parsed("purchase_frequency=1,2")}).has_value());
  SECTION("sources of two fields are alternatives too (cltv::are_alternatives)") {
    REQUIRE_THAT(check_varies({churn, parsed("customers_start=100,200")})->message,
                 Contains("--vary churn and --vary customers_start set the same input, the "
                          "lifetime (lifetime, contract_length, churn, customers_start with "
                          "customers_lost)"));
    REQUIRE_THAT(check_varies({arpu, parsed("aov=50,60")})->message,
                 Contains("the value per period (arpu, value, aov with purchase_frequency)"));
    REQUIRE_THAT(check_varies({parsed("customers_lost=1,2"), parsed("sbg-beta=1,2")})->message,
                 Contains("(lifetime, contract_length, churn, customers_start with "
                          "customers_lost, sbg_alpha with sbg_beta)"));
    // the two fields of one source, and confidence with any source, may vary
    REQUIRE_FALSE(check_varies({parsed("customers_start=100,200"), parsed("customers_lost=1,2")}));
    REQUIRE_FALSE(check_varies({parsed("sbg_alpha=1,2"), parsed("sbg_beta=1,2")}));
    REQUIRE_FALSE(check_varies({churn, parsed("confidence=90%,95%")}));
  }
}

TEST_CASE("grid metrics by name", "[grid]") {
  using cltv::cli::grid_metric;
  REQUIRE(cltv::cli::parse_grid_metric("ltv") == grid_metric::ltv);
  REQUIRE(cltv::cli::parse_grid_metric("ltv_cac_ratio") == grid_metric::ltv_cac_ratio);
  REQUIRE(cltv::cli::parse_grid_metric("net_value") == grid_metric::net_value);
  REQUIRE(cltv::cli::parse_grid_metric("cac_payback") == grid_metric::cac_payback);
  REQUIRE_FALSE(cltv::cli::parse_grid_metric("roi").has_value());
  REQUIRE(cltv::cli::to_string(grid_metric::net_value) == "net_value");
}
