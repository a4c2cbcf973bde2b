// Tests of cltv/scenario.hpp: resolving, validating and layering scenario inputs.

#include "cltv/scenario.hpp"

#include <catch2/catch.hpp>
#include <limits>
#include <string>

#include "cltv/scenario_fields.hpp"

using cltv::scenario_input;

namespace {

// ARPU 50 a month, churn 4%: the smallest valid scenario.
scenario_input arpu_and_churn() {
  scenario_input in;
  in.arpu = 50.0;
  in.churn = 0.04;
  return in;
}

cltv::scenario resolved(const scenario_input& in) {
  auto r = cltv::resolve(in);
  if (!r) FAIL("resolve failed: [" << r.error().field << "] " << r.error().message);
  return *r;
}

cltv::error refused(const scenario_input& in) {
  auto r = cltv::resolve(in);
  if (r) FAIL("resolve accepted the scenario");
  return r.error();
}

// The error for `in`, checked against the expected field and message.
void check_refused(const scenario_input& in, const std::string& field, const std::string& message) {
  const cltv::error e = refused(in);
  CHECK(e.field == field);
  CHECK(e.message == message);
}

}  // namespace

TEST_CASE("resolve fills in the defaults", "[scenario]") {
  const cltv::scenario s = resolved(arpu_and_churn());
  SECTION("period month, gross margin 1, no cost to serve, no discount, target 3") {
    CHECK(s.period == cltv::period::month);
    CHECK(s.gross_margin == 1.0);
    CHECK(s.cost_to_serve == 0.0);
    CHECK(s.discount_rate == 0.0);
    CHECK(s.target == 3.0);
    CHECK(cltv::default_target == 3.0);
  }
  SECTION("no cac and no horizon unless given") {
    CHECK_FALSE(s.cac.has_value());
    CHECK_FALSE(s.horizon.has_value());
  }
  SECTION("the sources as given") {
    CHECK(s.value_from == cltv::value_basis::arpu);
    CHECK(s.value == 50.0);
    CHECK(s.lifetime_from == cltv::lifetime_basis::churn);
    CHECK(s.churn == 0.04);
  }
}

TEST_CASE("resolve keeps the values given", "[scenario]") {
  scenario_input in = arpu_and_churn();
  in.period = cltv::period::year;
  in.gross_margin = 0.8;
  in.cost_to_serve = 5.0;
  in.discount_rate = 0.01;
  in.target = 4.0;
  in.cac = 300.0;
  in.horizon = 24.0;
  const cltv::scenario s = resolved(in);
  CHECK(s.period == cltv::period::year);
  CHECK(s.gross_margin == 0.8);
  CHECK(s.cost_to_serve == 5.0);
  CHECK(s.discount_rate == 0.01);
  CHECK(s.target == 4.0);
  CHECK(s.cac == 300.0);
  CHECK(s.horizon == 24);
}

TEST_CASE("resolve takes the value per period from one source", "[scenario]") {
  scenario_input in;
  in.churn = 0.04;
  SECTION("arpu") {
    in.arpu = 50.0;
    const cltv::scenario s = resolved(in);
    CHECK(s.value_from == cltv::value_basis::arpu);
    CHECK(s.value == 50.0);
  }
  SECTION("value is an alias of arpu") {
    in.value = 50.0;
    const cltv::scenario s = resolved(in);
    CHECK(s.value_from == cltv::value_basis::arpu);
    CHECK(s.value == 50.0);
  }
  SECTION("aov × purchase_frequency") {
    in.aov = 60.0;
    in.purchase_frequency = 0.5;
    const cltv::scenario s = resolved(in);
    CHECK(s.value_from == cltv::value_basis::orders);
    CHECK(s.aov == 60.0);
    CHECK(s.purchase_frequency == 0.5);
    CHECK(s.value == 30.0);  // 60 × 0.5 = 30
  }
  SECTION("zero is a valid value") {
    in.arpu = 0.0;
    CHECK(resolved(in).value == 0.0);
  }
}

TEST_CASE("resolve takes the lifetime from one source", "[scenario]") {
  scenario_input in;
  in.arpu = 40.0;
  SECTION("churn") {
    in.churn = 0.04;
    const cltv::scenario s = resolved(in);
    CHECK(s.lifetime_from == cltv::lifetime_basis::churn);
    CHECK(s.churn == 0.04);
  }
  SECTION("lifetime, a fixed number of periods") {
    in.lifetime = 24.0;
    const cltv::scenario s = resolved(in);
    CHECK(s.lifetime_from == cltv::lifetime_basis::fixed);
    CHECK(s.lifetime == 24.0);
  }
  SECTION("contract_length is an alias of lifetime") {
    in.contract_length = 25.0;
    const cltv::scenario s = resolved(in);
    CHECK(s.lifetime_from == cltv::lifetime_basis::fixed);
    CHECK(s.lifetime == 25.0);
  }
  SECTION("a fixed lifetime may be fractional and above 10000 periods") {
    // The 10000 limit is on lifetimes derived from churn only.
    in.lifetime = 20000.5;
    CHECK(resolved(in).lifetime == 20000.5);
  }
}

TEST_CASE("resolve refuses a missing or doubled source", "[scenario]") {
  SECTION("no value per period") {
    scenario_input in;
    in.churn = 0.04;
    check_refused(in, "arpu",
                  "missing value per period: give arpu, value, or aov with purchase_frequency");
  }
  SECTION("no lifetime") {
    scenario_input in;
    in.arpu = 50.0;
    check_refused(in, "churn",
                  "missing lifetime: give lifetime, contract_length, churn, customers_start "
                  "with customers_lost, or sbg_alpha with sbg_beta");
  }
  SECTION("arpu and value") {
    scenario_input in = arpu_and_churn();
    in.value = 50.0;
    check_refused(
        in, "value",
        "give only one of arpu, value, or aov with purchase_frequency (got arpu and value)");
  }
  SECTION("arpu and aov with purchase_frequency") {
    scenario_input in = arpu_and_churn();
    in.aov = 60.0;
    in.purchase_frequency = 0.5;
    check_refused(
        in, "aov",
        "give only one of arpu, value, or aov with purchase_frequency (got arpu and aov)");
  }
  SECTION("value and a lone purchase_frequency") {
    scenario_input in;
    in.churn = 0.04;
    in.value = 50.0;
    in.purchase_frequency = 0.5;
    check_refused(in, "purchase_frequency",
                  "give only one of arpu, value, or aov with purchase_frequency "
                  "(got value and purchase_frequency)");
  }
  SECTION("all three value sources") {
    scenario_input in = arpu_and_churn();
    in.value = 50.0;
    in.aov = 60.0;
    in.purchase_frequency = 0.5;
    check_refused(in, "value",
                  "give only one of arpu, value, or aov with purchase_frequency "
                  "(got arpu, value and aov)");
  }
  SECTION("lifetime and churn") {
    scenario_input in = arpu_and_churn();
    in.lifetime = 24.0;
    check_refused(in, "churn",
                  "give only one of lifetime, contract_length, churn, customers_start with "
                  "customers_lost, or sbg_alpha with sbg_beta (got lifetime and churn)");
  }
  SECTION("lifetime and contract_length") {
    scenario_input in;
    in.arpu = 50.0;
    in.lifetime = 24.0;
    in.contract_length = 24.0;
    check_refused(
        in, "contract_length",
        "give only one of lifetime, contract_length, churn, customers_start with customers_lost, "
        "or sbg_alpha with sbg_beta (got lifetime and contract_length)");
  }
  SECTION("all three lifetime sources") {
    scenario_input in = arpu_and_churn();
    in.lifetime = 24.0;
    in.contract_length = 24.0;
    check_refused(
        in, "contract_length",
        "give only one of lifetime, contract_length, churn, customers_start with customers_lost, "
        "or sbg_alpha with sbg_beta (got lifetime, contract_length and churn)");
  }
  SECTION("aov without purchase_frequency") {
    scenario_input in;
    in.churn = 0.04;
    in.aov = 60.0;
    check_refused(in, "purchase_frequency", "aov needs purchase_frequency (purchases per period)");
  }
  SECTION("purchase_frequency without aov") {
    scenario_input in;
    in.churn = 0.04;
    in.purchase_frequency = 0.5;
    check_refused(in, "aov", "purchase_frequency needs aov (average order value)");
  }
}

TEST_CASE("resolve checks every number's range", "[scenario]") {
  scenario_input in = arpu_and_churn();

  SECTION("money, frequencies and the discount rate must be >= 0") {
    SECTION("arpu") {
      in.arpu = -1.0;
      check_refused(in, "arpu", "arpu must be >= 0, got -1");
    }
    SECTION("value") {
      in.arpu.reset();
      in.value = -0.5;
      check_refused(in, "value", "value must be >= 0, got -0.5");
    }
    SECTION("aov") {
      in.arpu.reset();
      in.aov = -60.0;
      in.purchase_frequency = 0.5;
      check_refused(in, "aov", "aov must be >= 0, got -60");
    }
    SECTION("purchase_frequency") {
      in.arpu.reset();
      in.aov = 60.0;
      in.purchase_frequency = -0.5;
      check_refused(in, "purchase_frequency", "purchase_frequency must be >= 0, got -0.5");
    }
    SECTION("cost_to_serve") {
      in.cost_to_serve = -5.0;
      check_refused(in, "cost_to_serve", "cost_to_serve must be >= 0, got -5");
    }
    SECTION("cac") {
      in.cac = -300.0;
      check_refused(in, "cac", "cac must be >= 0, got -300");
    }
    SECTION("discount_rate") {
      in.discount_rate = -0.01;
      check_refused(in, "discount_rate", "discount_rate must be >= 0, got -0.01");
    }
    SECTION("zero is allowed for each of them") {
      in.cost_to_serve = 0.0;
      in.cac = 0.0;
      in.discount_rate = 0.0;
      CHECK(resolved(in).cac == 0.0);
      in.arpu.reset();
      in.aov = 0.0;
      in.purchase_frequency = 0.0;
      CHECK(resolved(in).value == 0.0);
    }
    SECTION("NaN is out of range") {
      in.cac = std::numeric_limits<double>::quiet_NaN();
      CHECK(refused(in).field == "cac");
    }
  }

  SECTION("lifetime, contract_length and target must be > 0") {
    SECTION("lifetime 0") {
      in.churn.reset();
      in.lifetime = 0.0;
      check_refused(in, "lifetime", "lifetime must be > 0, got 0");
    }
    SECTION("contract_length -1") {
      in.churn.reset();
      in.contract_length = -1.0;
      check_refused(in, "contract_length", "contract_length must be > 0, got -1");
    }
    SECTION("target 0") {
      in.target = 0.0;
      check_refused(in, "target", "target must be > 0, got 0");
    }
    SECTION("small positive values are allowed") {
      in.target = 0.5;
      CHECK(resolved(in).target == 0.5);
      in.churn.reset();
      in.lifetime = 0.5;
      CHECK(resolved(in).lifetime == 0.5);
    }
  }

  SECTION("churn must be in [0, 1]") {
    SECTION("below") {
      in.churn = -0.01;
      check_refused(in, "churn", "churn must be in [0, 1], got -0.01");
    }
    SECTION("above: up to 100 most likely a percentage without its sign") {
      in.churn = 1.5;
      check_refused(in, "churn", "churn must be in [0, 1], got 1.5 (for 1.5 percent, write 1.5%)");
      in.churn = 3.5;
      check_refused(in, "churn", "churn must be in [0, 1], got 3.5 (for 3.5 percent, write 3.5%)");
      in.churn = 350;  // 35000 % is no likelier than 350
      check_refused(in, "churn", "churn must be in [0, 1], got 350");
    }
    SECTION("1 is allowed: everyone leaves after the first period") {
      in.churn = 1.0;
      CHECK(resolved(in).churn == 1.0);
    }
  }

  SECTION("gross_margin must be in (0, 1]") {
    SECTION("0") {
      in.gross_margin = 0.0;
      check_refused(in, "gross_margin", "gross_margin must be in (0, 1], got 0");
    }
    SECTION("above 1") {
      in.gross_margin = 1.2;
      check_refused(in, "gross_margin",
                    "gross_margin must be in (0, 1], got 1.2 (for 1.2 percent, write 1.2%)");
      in.gross_margin = 80;
      check_refused(in, "gross_margin",
                    "gross_margin must be in (0, 1], got 80 (for 80 percent, write 80%)");
    }
    SECTION("1 and a small margin are allowed") {
      in.gross_margin = 1.0;
      CHECK(resolved(in).gross_margin == 1.0);
      in.gross_margin = 0.01;
      CHECK(resolved(in).gross_margin == 0.01);
    }
  }

  SECTION("horizon must be a whole number in [1, 10000]") {
    SECTION("0") {
      in.horizon = 0.0;
      check_refused(in, "horizon",
                    "horizon must be a whole number of periods in [1, 10000], got 0");
    }
    SECTION("10001") {
      in.horizon = 10001.0;
      check_refused(in, "horizon",
                    "horizon must be a whole number of periods in [1, 10000], got 10001");
    }
    SECTION("12.5") {
      in.horizon = 12.5;
      check_refused(in, "horizon",
                    "horizon must be a whole number of periods in [1, 10000], got 12.5");
    }
    SECTION("1 and 10000 are the ends of the range") {
      in.horizon = 1.0;
      CHECK(resolved(in).horizon == 1);
      in.horizon = 10000.0;
      CHECK(resolved(in).horizon == 10000);
      CHECK(cltv::max_horizon == 10000);
    }
  }
}

TEST_CASE("resolve refuses churn that leaves the sum unbounded", "[scenario]") {
  scenario_input in = arpu_and_churn();

  SECTION("churn 0 with neither a horizon nor a discount rate") {
    in.churn = 0.0;
    check_refused(in, "churn",
                  "churn 0 means customers never leave: give a horizon or a discount rate");
    SECTION("a discount rate of 0 does not bound it") {
      in.discount_rate = 0.0;
      check_refused(in, "churn",
                    "churn 0 means customers never leave: give a horizon or a discount rate");
    }
  }
  SECTION("churn 0 with a horizon or a discount rate is fine") {
    in.churn = 0.0;
    scenario_input with_horizon = in;
    with_horizon.horizon = 36.0;
    CHECK(resolved(with_horizon).churn == 0.0);
    scenario_input discounted = in;
    discounted.discount_rate = 0.01;
    CHECK(resolved(discounted).churn == 0.0);
  }
  SECTION("churn 5e-5 implies 1 / 5e-5 = 20000 periods, over the 10000 limit") {
    in.churn = 5e-5;
    check_refused(in, "churn",
                  "churn 5e-05 implies a lifetime of 20000 months (over 10000): "
                  "give a horizon or a discount rate");
    SECTION("named in the scenario's period") {
      in.period = cltv::period::year;
      check_refused(in, "churn",
                    "churn 5e-05 implies a lifetime of 20000 years (over 10000): "
                    "give a horizon or a discount rate");
    }
    SECTION("a horizon bounds it") {
      in.horizon = 120.0;
      CHECK(resolved(in).churn == 5e-5);
    }
    SECTION("a discount rate bounds it") {
      in.discount_rate = 0.01;
      CHECK(resolved(in).churn == 5e-5);
    }
  }
  SECTION("a lifetime of exactly 10000 periods is allowed") {
    in.churn = 1e-4;  // 1 / 0.0001 = 10000, not over the limit
    CHECK(resolved(in).churn == 1e-4);
    CHECK(cltv::max_undiscounted_lifetime == 10000.0);
  }
}

TEST_CASE("scenario_input tells whether a source group is given", "[scenario]") {
  scenario_input in;
  CHECK_FALSE(in.has_value_source());
  CHECK_FALSE(in.has_lifetime_source());
  SECTION("any field of the value group") {
    in.purchase_frequency = 1.0;
    CHECK(in.has_value_source());
    CHECK_FALSE(in.has_lifetime_source());
  }
  SECTION("any field of the lifetime group") {
    in.contract_length = 12.0;
    CHECK(in.has_lifetime_source());
    CHECK_FALSE(in.has_value_source());
  }
  SECTION("other fields belong to no group") {
    in.cac = 100.0;
    in.horizon = 12.0;
    CHECK_FALSE(in.has_value_source());
    CHECK_FALSE(in.has_lifetime_source());
  }
}

TEST_CASE("with_overrides layers one input over another", "[scenario]") {
  scenario_input base = arpu_and_churn();
  base.cac = 300.0;
  base.gross_margin = 0.8;
  base.period = cltv::period::year;

  SECTION("a field given in the overrides replaces the base's") {
    scenario_input over;
    over.cac = 200.0;
    const scenario_input merged = cltv::with_overrides(base, over);
    CHECK(merged.cac == 200.0);
    SECTION("and every other field stays") {
      CHECK(merged.arpu == 50.0);
      CHECK(merged.churn == 0.04);
      CHECK(merged.gross_margin == 0.8);
      CHECK(merged.period == cltv::period::year);
      CHECK_FALSE(merged.horizon.has_value());
    }
  }
  SECTION("empty overrides change nothing") {
    const scenario_input merged = cltv::with_overrides(base, scenario_input{});
    CHECK(merged.arpu == 50.0);
    CHECK(merged.churn == 0.04);
    CHECK(merged.cac == 300.0);
    CHECK(merged.gross_margin == 0.8);
    CHECK(merged.period == cltv::period::year);
  }
  SECTION("fields the base lacks are added") {
    scenario_input over;
    over.horizon = 24.0;
    over.discount_rate = 0.01;
    over.period = cltv::period::month;
    const scenario_input merged = cltv::with_overrides(base, over);
    CHECK(merged.horizon == 24.0);
    CHECK(merged.discount_rate == 0.01);
    CHECK(merged.period == cltv::period::month);
  }
  SECTION("an override in the lifetime group drops the base's whole group") {
    base.churn.reset();
    base.lifetime = 24.0;
    scenario_input over;
    over.churn = 0.03;
    const scenario_input merged = cltv::with_overrides(base, over);
    CHECK(merged.churn == 0.03);
    CHECK_FALSE(merged.lifetime.has_value());
    CHECK_FALSE(merged.contract_length.has_value());
    CHECK(merged.arpu == 50.0);  // the value group is untouched
    SECTION("so it resolves to churn only, with no conflict") {
      const cltv::scenario s = resolved(merged);
      CHECK(s.lifetime_from == cltv::lifetime_basis::churn);
      CHECK(s.churn == 0.03);
    }
  }
  SECTION("an override in the value group drops the base's whole group") {
    base.arpu.reset();
    base.aov = 60.0;
    base.purchase_frequency = 0.5;
    scenario_input over;
    over.arpu = 45.0;
    const scenario_input merged = cltv::with_overrides(base, over);
    CHECK(merged.arpu == 45.0);
    CHECK_FALSE(merged.aov.has_value());
    CHECK_FALSE(merged.purchase_frequency.has_value());
    CHECK_FALSE(merged.value.has_value());
    CHECK(merged.churn == 0.04);  // the lifetime group is untouched
    SECTION("so it resolves to arpu only, with no conflict") {
      const cltv::scenario s = resolved(merged);
      CHECK(s.value_from == cltv::value_basis::arpu);
      CHECK(s.value == 45.0);
    }
  }
  SECTION("aov and purchase_frequency are one source: overriding half keeps the other half") {
    base.arpu.reset();
    base.aov = 60.0;
    base.purchase_frequency = 0.5;
    SECTION("a new purchase_frequency keeps the base's aov") {
      scenario_input over;
      over.purchase_frequency = 2.0;
      const scenario_input merged = cltv::with_overrides(base, over);
      CHECK(merged.aov == 60.0);
      CHECK(merged.purchase_frequency == 2.0);
      CHECK(resolved(merged).value == 120.0);  // 60 × 2 = 120
    }
    SECTION("a new aov keeps the base's purchase_frequency") {
      scenario_input over;
      over.aov = 70.0;
      const scenario_input merged = cltv::with_overrides(base, over);
      CHECK(merged.aov == 70.0);
      CHECK(merged.purchase_frequency == 0.5);
      CHECK(resolved(merged).value == 35.0);  // 70 × 0.5 = 35
    }
  }
  SECTION("an aov × purchase_frequency override drops the base's arpu and value") {
    base.value = 50.0;  // base holds arpu 50 and value 50 (a conflict the override removes)
    scenario_input over;
    over.aov = 60.0;
    over.purchase_frequency = 0.5;
    const scenario_input merged = cltv::with_overrides(base, over);
    CHECK_FALSE(merged.arpu.has_value());
    CHECK_FALSE(merged.value.has_value());
    const cltv::scenario s = resolved(merged);
    CHECK(s.value_from == cltv::value_basis::orders);
    CHECK(s.value == 30.0);  // 60 × 0.5 = 30
    SECTION("even when it gives only one half, which then lacks the other") {
      over.purchase_frequency.reset();
      const scenario_input half = cltv::with_overrides(base, over);
      CHECK_FALSE(half.arpu.has_value());
      check_refused(half, "purchase_frequency",
                    "aov needs purchase_frequency (purchases per period)");
    }
  }
  SECTION("a conflict within the overrides themselves stays a conflict") {
    scenario_input over;
    over.lifetime = 12.0;
    over.churn = 0.05;
    check_refused(cltv::with_overrides(base, over), "churn",
                  "give only one of lifetime, contract_length, churn, customers_start with "
                  "customers_lost, or sbg_alpha with sbg_beta (got lifetime and churn)");
  }
}

TEST_CASE("validate_for_check needs a cac above zero", "[scenario]") {
  scenario_input in = arpu_and_churn();
  SECTION("no cac") {
    const auto e = cltv::validate_for_check(resolved(in));
    REQUIRE(e.has_value());
    CHECK(e->field == "cac");
    CHECK(e->message == "check needs cac (customer acquisition cost)");
  }
  SECTION("cac 0") {
    in.cac = 0.0;
    const auto e = cltv::validate_for_check(resolved(in));
    REQUIRE(e.has_value());
    CHECK(e->field == "cac");
    CHECK(e->message == "cac must be > 0 for check, got 0");
  }
  SECTION("cac above zero") {
    in.cac = 300.0;
    CHECK_FALSE(cltv::validate_for_check(resolved(in)).has_value());
    in.cac = 1e-9;
    CHECK_FALSE(cltv::validate_for_check(resolved(in)).has_value());
  }
}

TEST_CASE("resolve: churn from counts, confidence and expansion", "[scenario][counts]") {
  scenario_input in;
  in.arpu = 50;
  in.customers_start = 300;
  in.customers_lost = 12;
  SECTION("counts make churn") {
    auto s = cltv::resolve(in);
    REQUIRE(s);
    CHECK(s->lifetime_from == cltv::lifetime_basis::churn);
    CHECK(s->churn == 0.04);
    REQUIRE(s->counts);
    CHECK(s->counts->start == 300);
    CHECK(s->counts->lost == 12);
    CHECK(s->expansion == 0.0);
  }
  SECTION("bad counts") {
    scenario_input bad = in;
    bad.customers_lost = 301;
    check_refused(bad, "customers_lost",
                  "customers_lost must be <= customers_start (300), got 301");
    bad.customers_lost = 1.5;
    check_refused(bad, "customers_lost",
                  "customers_lost must be a whole number of customers >= 0, got 1.5");
    bad = in;
    bad.customers_start = 0;
    bad.customers_lost = 0;
    check_refused(bad, "customers_start",
                  "customers_start must be a whole number of customers > 0, got 0");
    bad = in;
    bad.customers_lost.reset();
    check_refused(bad, "customers_lost",
                  "customers_start needs customers_lost (customers who left)");
  }
  SECTION("counts are a lifetime source: with churn they conflict") {
    scenario_input both = in;
    both.churn = 0.04;
    check_refused(both, "customers_start",
                  "give only one of lifetime, contract_length, churn, customers_start with "
                  "customers_lost, or sbg_alpha with sbg_beta (got churn and customers_start)");
  }
  SECTION("confidence needs counts and a level in (0, 1)") {
    scenario_input c;
    c.arpu = 50;
    c.churn = 0.04;
    c.confidence = 0.95;
    check_refused(c, "confidence",
                  "confidence needs churn as counts (customers_start and customers_lost): a churn "
                  "rate alone has no sample size");
    scenario_input level = in;
    level.confidence = 1.0;
    check_refused(level, "confidence", "confidence must be a level in (0, 1) such as 95%, got 1");
  }
  SECTION("with_overrides: a flag source replaces the record's lifetime group") {
    scenario_input record;
    record.arpu = 50;
    record.churn = 0.04;
    scenario_input flags;
    flags.customers_start = 100;
    flags.customers_lost = 5;
    auto merged = cltv::with_overrides(record, flags);
    CHECK_FALSE(merged.churn);
    auto s = cltv::resolve(merged);
    REQUIRE(s);
    CHECK(s->churn == 0.05);
    // --customers-lost alone over a record with counts keeps its customers_start
    scenario_input lost_only;
    lost_only.customers_lost = 30;
    auto again = cltv::with_overrides(in, lost_only);
    CHECK(*again.customers_start == 300);
    CHECK(*again.customers_lost == 30);
    // --churn over a record with counts and a confidence drops all three
    scenario_input counted = in;
    counted.confidence = 0.95;
    scenario_input churn_flag;
    churn_flag.churn = 0.03;
    auto replaced = cltv::with_overrides(counted, churn_flag);
    CHECK_FALSE(replaced.customers_start);
    CHECK_FALSE(replaced.customers_lost);
    CHECK_FALSE(replaced.confidence);
    CHECK(cltv::resolve(replaced));
  }
  SECTION("expansion is kept, and overridden like any field") {
    scenario_input e = in;
    e.expansion = 0.01;
    auto s = cltv::resolve(e);
    REQUIRE(s);
    CHECK(s->expansion == 0.01);
    scenario_input flag;
    flag.expansion = 0.02;
    CHECK(*cltv::with_overrides(e, flag).expansion == 0.02);
  }
}

TEST_CASE("expansion_diverges: (1 + g)(1 − c) >= 1 + d", "[scenario][expansion]") {
  CHECK(cltv::expansion_diverges(0.02, 0.0, 0.03));         // 1.03 × 0.98 = 1.0094
  CHECK_FALSE(cltv::expansion_diverges(0.04, 0.0, 0.01));   // 1.01 × 0.96 = 0.9696
  CHECK_FALSE(cltv::expansion_diverges(0.02, 0.02, 0.03));  // 1.0094 < 1.02
  CHECK(cltv::expansion_diverges(0.0, 0.0, 0.0));           // no churn, no discount
  CHECK_FALSE(cltv::expansion_diverges(0.0, 0.01, 0.0));
}

TEST_CASE("scenario_input asks the table which fields are given", "[scenario]") {
  scenario_input in;
  CHECK(in.empty());
  CHECK_FALSE(in.has_value_source());
  CHECK_FALSE(in.has_lifetime_source());
  SECTION("any one field makes it non-empty") {
    for (const cltv::scenario_field& f : cltv::scenario_fields) {
      scenario_input one;
      if (f.member)
        one.*f.member = 1.0;
      else
        one.period = cltv::period::month;
      CHECK_FALSE(one.empty());
    }
  }
  SECTION("purchase_frequency alone is a value source (a half one, refused by resolve)") {
    in.purchase_frequency = 2;
    CHECK(in.has_value_source());
    CHECK_FALSE(in.has_lifetime_source());
  }
  SECTION("confidence alone is no lifetime source; customers_lost alone is") {
    in.confidence = 0.95;
    CHECK_FALSE(in.has_lifetime_source());
    in.customers_lost = 3;
    CHECK(in.has_lifetime_source());
  }
}

TEST_CASE("with_overrides: a source replaces the others of its group", "[scenario]") {
  SECTION("confidence alone replaces nothing: the record's churn stays") {
    scenario_input base;
    base.churn = 0.04;
    scenario_input over;
    over.confidence = 0.9;
    const scenario_input merged = cltv::with_overrides(base, over);
    CHECK(merged.churn == 0.04);
    CHECK(merged.confidence == 0.9);
  }
  SECTION("an sBG curve drops the record's counts and their confidence") {
    scenario_input base;
    base.customers_start = 100;
    base.customers_lost = 5;
    base.confidence = 0.95;
    base.cac = 300;
    scenario_input over;
    over.sbg_alpha = 2;
    const scenario_input merged = cltv::with_overrides(base, over);
    CHECK_FALSE(merged.customers_start);
    CHECK_FALSE(merged.customers_lost);
    CHECK_FALSE(merged.confidence);
    CHECK(merged.sbg_alpha == 2.0);
    CHECK(merged.cac == 300.0);
  }
  SECTION("each field of the overrides is taken, whichever it is") {
    for (const cltv::scenario_field& f : cltv::scenario_fields) {
      scenario_input over;
      if (f.member)
        over.*f.member = 7.0;
      else
        over.period = cltv::period::year;
      const scenario_input merged = cltv::with_overrides(arpu_and_churn(), over);
      CHECK(cltv::is_given(merged, f));
      if (f.member) CHECK(merged.*f.member == 7.0);
    }
    CHECK(cltv::with_overrides(scenario_input{}, arpu_and_churn()).arpu == 50.0);
  }
}

TEST_CASE("as_input: a resolved scenario as inputs again", "[scenario]") {
  auto round_trip = [](const scenario_input& in) {
    auto s = cltv::resolve(in);
    REQUIRE(s);
    const scenario_input again = cltv::as_input(*s);
    auto back = cltv::resolve(again);
    REQUIRE(back);
    CHECK(cltv::as_input(*back).churn == again.churn);
    return again;
  };
  SECTION("value and contract_length under their first names, defaults filled in") {
    scenario_input in;
    in.value = 50;
    in.contract_length = 24;
    const scenario_input out = round_trip(in);
    CHECK(out.arpu == 50.0);
    CHECK_FALSE(out.value);
    CHECK(out.lifetime == 24.0);
    CHECK_FALSE(out.contract_length);
    CHECK(out.period == cltv::period::month);
    CHECK(out.gross_margin == 1.0);
    CHECK(out.cost_to_serve == 0.0);
    CHECK(out.discount_rate == 0.0);
    CHECK(out.target == 3.0);
    CHECK_FALSE(out.cac);
    CHECK_FALSE(out.horizon);
    CHECK_FALSE(out.expansion);  // 0: left out
  }
  SECTION("orders, counts with their confidence, a horizon and an expansion") {
    scenario_input in;
    in.aov = 60;
    in.purchase_frequency = 0.5;
    in.customers_start = 200;
    in.customers_lost = 10;
    in.confidence = 0.9;
    in.horizon = 36;
    in.expansion = 0.01;
    in.cac = 100;
    const scenario_input out = round_trip(in);
    CHECK(out.aov == 60.0);
    CHECK(out.purchase_frequency == 0.5);
    CHECK_FALSE(out.arpu);
    CHECK(out.customers_start == 200.0);
    CHECK(out.customers_lost == 10.0);
    CHECK(out.confidence == 0.9);
    CHECK_FALSE(out.churn);  // 10 / 200 = 0.05, but given as counts
    CHECK(out.horizon == 36.0);
    CHECK(out.expansion == 0.01);
    CHECK(out.cac == 100.0);
  }
  SECTION("an sBG curve") {
    scenario_input in;
    in.arpu = 10;
    in.sbg_alpha = 2;
    in.sbg_beta = 3;
    const scenario_input out = round_trip(in);
    CHECK(out.sbg_alpha == 2.0);
    CHECK(out.sbg_beta == 3.0);
    CHECK_FALSE(out.churn);
  }
}
