// Tests of cltv/period_overrides.hpp: which flags change meaning over a
// record in another period.

#include "cltv/period_overrides.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "cltv/scenario_fields.hpp"

namespace {

const cltv::scenario_field& field(std::string_view name) {
  const cltv::scenario_field* f = cltv::find_scenario_field(name);
  if (!f) FAIL("no scenario field \"" << std::string(name) << "\"");
  return *f;
}

}  // namespace

TEST_CASE("which fields are per period", "[period_overrides]") {
  for (const char* name : {"arpu", "value", "purchase_frequency", "lifetime", "contract_length",
                           "churn", "customers_start", "customers_lost", "sbg_alpha", "sbg_beta",
                           "expansion", "cost_to_serve", "discount_rate", "horizon"})
    CHECK(cltv::is_per_period(field(name)));
  for (const char* name : {"period", "aov", "cac", "gross_margin", "target", "confidence"})
    CHECK_FALSE(cltv::is_per_period(field(name)));
}

TEST_CASE("overrides that change the period of a value", "[period_overrides]") {
  cltv::scenario_input yearly;
  yearly.period = cltv::period::year;
  cltv::scenario_input churn_flag;
  churn_flag.churn = 0.04;
  SECTION("a per-period flag over a record per year: read per year there") {
    CHECK(cltv::overrides_change_period(yearly, churn_flag));
  }
  SECTION("a record per month, or without a period, keeps the flag's meaning") {
    cltv::scenario_input monthly;
    CHECK_FALSE(cltv::overrides_change_period(monthly, churn_flag));
    monthly.period = cltv::period::month;
    CHECK_FALSE(cltv::overrides_change_period(monthly, churn_flag));
  }
  SECTION("flags that hold in any period change nothing") {
    cltv::scenario_input cac_flag;
    cac_flag.cac = 200;
    cac_flag.gross_margin = 0.8;
    cac_flag.target = 4;
    CHECK_FALSE(cltv::overrides_change_period(yearly, cac_flag));
  }
  SECTION("with --period the record takes the run's period") {
    churn_flag.period = cltv::period::year;
    CHECK_FALSE(cltv::overrides_change_period(yearly, churn_flag));
  }
}
