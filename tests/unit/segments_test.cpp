// Tests of cltv/segments.hpp: weights, inheritance, annual billing, blending
// and the move to annual billing.
//
// The worked example (source article 004: an ad-supported tier at $5/month
// next to a premium tier at $20/month, and annual billing), by hand:
//   top level: gross margin 80 %, CAC 40 for every tier
//   ads:     arpu 5,  churn 8 %: margin 5 × 0.8 = 4,  lifetime 1 / 0.08 = 12.5, LTV 50
//   premium: arpu 20, churn 4 %: margin 20 × 0.8 = 16, lifetime 1 / 0.04 = 25,  LTV 400
//   premium annual: 200 a year, 25 % do not renew: margin 160 a year, lifetime 4 years, LTV 640

#include "cltv/segments.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using Catch::Matchers::WithinRel;
using cltv::segment_input;

namespace {

cltv::scenario_input top_level() {
  cltv::scenario_input top;
  top.gross_margin = 0.8;
  top.cac = 40;
  return top;
}

segment_input tier(std::string name, double arpu, double churn) {
  segment_input s;
  s.name = std::move(name);
  s.fields.arpu = arpu;
  s.fields.churn = churn;
  return s;
}

segment_input annual(std::string name, double price, double churn) {
  segment_input s;
  s.name = std::move(name);
  s.bill = cltv::billing::annual;
  s.annual_price = price;
  s.annual_churn = churn;
  return s;
}

std::vector<segment_input> two_tiers_by_count() {
  auto ads = tier("ads", 5, 0.08);
  auto premium = tier("premium", 20, 0.04);
  ads.customers = 750;
  premium.customers = 250;
  return {ads, premium};
}

cltv::segmented_result evaluated(const std::vector<segment_input>& segments,
                                 const cltv::scenario_input& top = top_level()) {
  auto r = cltv::evaluate_segments(top, segments);
  if (!r) FAIL("evaluate_segments failed: [" << r.error().field << "] " << r.error().message);
  return *r;
}

cltv::error refused(const std::vector<segment_input>& segments,
                    const cltv::scenario_input& top = top_level()) {
  auto r = cltv::evaluate_segments(top, segments);
  if (r) FAIL("evaluate_segments accepted the segments");
  return r.error();
}

}  // namespace

TEST_CASE("the $5 and $20 tiers blend by customers", "[segments]") {
  const auto r = evaluated(two_tiers_by_count());
  REQUIRE(r.segments.size() == 2);
  const auto& ads = r.segments[0];
  const auto& premium = r.segments[1];
  SECTION("each tier on its own") {
    CHECK(ads.name == "ads");
    CHECK_THAT(ads.weight, WithinRel(0.75, 1e-12));  // 750 / (750 + 250)
    CHECK_THAT(ads.result.ltv, WithinRel(50.0, 1e-12));
    CHECK_THAT(*ads.result.ltv_cac_ratio, WithinRel(1.25, 1e-12));  // 50 / 40
    CHECK_FALSE(*ads.result.meets_target);
    CHECK_THAT(*ads.cac_payback_months, WithinRel(10.0, 1e-12));  // 40 / 4
    CHECK_THAT(premium.result.ltv, WithinRel(400.0, 1e-12));
    CHECK_THAT(*premium.result.ltv_cac_ratio, WithinRel(10.0, 1e-12));
    CHECK(*premium.result.meets_target);
    CHECK_THAT(*premium.cac_payback_months, WithinRel(2.5, 1e-12));  // 40 / 16
  }
  SECTION("blended: customer-weighted LTV, CAC and margin") {
    const auto& b = r.blended;
    CHECK_THAT(*b.customers, WithinRel(1000.0, 1e-12));
    CHECK_THAT(b.ltv, WithinRel(137.5, 1e-12));              // 0.75 × 50 + 0.25 × 400
    CHECK_THAT(*b.cac, WithinRel(40.0, 1e-12));              // 0.75 × 40 + 0.25 × 40
    CHECK_THAT(*b.net_value, WithinRel(97.5, 1e-12));        // 137.5 − 40
    CHECK_THAT(*b.ltv_cac_ratio, WithinRel(3.4375, 1e-12));  // 137.5 / 40
    CHECK(*b.meets_target);
    CHECK_THAT(b.margin_per_month, WithinRel(7.0, 1e-12));  // 0.75 × 4 + 0.25 × 16
    CHECK_THAT(b.value_per_month, WithinRel(8.75, 1e-12));  // 0.75 × 5 + 0.25 × 20
    CHECK_THAT(*b.cac_payback_months, WithinRel(40.0 / 7.0, 1e-12));
  }
  SECTION("blended: what the 3× target asks") {
    const auto& b = r.blended;
    CHECK_THAT(*b.required_ltv, WithinRel(120.0, 1e-12));   // 3 × 40
    CHECK_THAT(*b.max_cac, WithinRel(137.5 / 3.0, 1e-12));  // 137.5 / 3 = 45.83
  }
}

TEST_CASE("counts and shares give the same blend", "[segments]") {
  auto by_share = two_tiers_by_count();
  by_share[0].customers.reset();
  by_share[1].customers.reset();
  by_share[0].share = 0.75;
  by_share[1].share = 0.25;
  const auto a = evaluated(two_tiers_by_count());
  const auto b = evaluated(by_share);
  CHECK_THAT(b.blended.ltv, WithinRel(a.blended.ltv, 1e-12));
  CHECK_THAT(*b.blended.ltv_cac_ratio, WithinRel(*a.blended.ltv_cac_ratio, 1e-12));
  CHECK_FALSE(b.blended.customers.has_value());  // shares say nothing of the total
  SECTION("a segment weighted by its own CAC") {
    // ads CAC 10, premium CAC 100: blended CAC 0.75 × 10 + 0.25 × 100 = 32.5,
    // ratio 137.5 / 32.5 = 4.2308; payback 32.5 / 7 months.
    by_share[0].fields.cac = 10;
    by_share[1].fields.cac = 100;
    const auto c = evaluated(by_share);
    CHECK_THAT(*c.blended.cac, WithinRel(32.5, 1e-12));
    CHECK_THAT(*c.blended.ltv_cac_ratio, WithinRel(137.5 / 32.5, 1e-12));
    CHECK_THAT(*c.blended.cac_payback_months, WithinRel(32.5 / 7.0, 1e-12));
  }
}

TEST_CASE("segments inherit the top level through with_overrides", "[segments]") {
  cltv::scenario_input top = top_level();
  top.arpu = 5;
  top.lifetime = 10;
  SECTION("a lifetime source in the segment replaces the top level's") {
    segment_input s;
    s.name = "a";
    s.fields.churn = 0.08;
    const auto merged = cltv::segment_scenario(top, s);
    REQUIRE(merged.has_value());
    CHECK(*merged->churn == 0.08);
    CHECK_FALSE(merged->lifetime.has_value());
    CHECK(*merged->arpu == 5);  // inherited
    CHECK(*merged->cac == 40);
  }
  SECTION("aov with purchase_frequency in the segment replaces the top level's arpu") {
    segment_input s;
    s.name = "shop";
    s.fields.aov = 30;
    s.fields.purchase_frequency = 0.5;
    const auto merged = cltv::segment_scenario(top, s);
    REQUIRE(merged.has_value());
    CHECK_FALSE(merged->arpu.has_value());
    CHECK(*merged->aov == 30);
    CHECK(*merged->lifetime == 10);
  }
}

TEST_CASE("an annual segment is computed per year", "[segments]") {
  SECTION("$200 a year, 25 % do not renew") {
    auto premium_annual = annual("premium annual", 200, 0.25);
    premium_annual.customers = 1;
    const auto r = evaluated({premium_annual});
    const auto& s = r.segments[0];
    CHECK(s.input.period == cltv::period::year);
    CHECK_THAT(s.result.margin_per_period, WithinRel(160.0, 1e-12));  // 200 × 0.8
    CHECK_THAT(*s.result.lifetime, WithinRel(4.0, 1e-12));            // 1 / 0.25 years
    CHECK_THAT(s.result.ltv, WithinRel(640.0, 1e-12));                // 160 × 4
    CHECK_THAT(*s.cac_payback_months, WithinRel(3.0, 1e-12));         // 40 / 160 years × 12
    CHECK_THAT(s.margin_per_month, WithinRel(160.0 / 12.0, 1e-12));
  }
  SECTION("per-month fields of the top level are restated per year") {
    cltv::scenario_input top = top_level();
    top.cost_to_serve = 1;     // a month → 12 a year
    top.discount_rate = 0.01;  // a month → 1.01^12 − 1 = 0.1268250301 a year
    top.horizon = 36;          // months → 3 years
    const auto merged = cltv::segment_scenario(top, annual("x", 200, 0.25));
    REQUIRE(merged.has_value());
    CHECK(*merged->period == cltv::period::year);
    CHECK(*merged->arpu == 200);
    CHECK(*merged->churn == 0.25);
    CHECK_THAT(*merged->cost_to_serve, WithinRel(12.0, 1e-12));
    CHECK_THAT(*merged->discount_rate, WithinRel(0.12682503013196977, 1e-12));
    CHECK(*merged->horizon == 3);
  }
  SECTION("a yearly top level is taken as it is") {
    cltv::scenario_input top = top_level();
    top.period = cltv::period::year;
    top.cost_to_serve = 10;
    const auto merged = cltv::segment_scenario(top, annual("x", 200, 0.25));
    REQUIRE(merged.has_value());
    CHECK(*merged->cost_to_serve == 10);
  }
  SECTION("a per_period segment on a year restates the top level the same way") {
    cltv::scenario_input top = top_level();
    top.cost_to_serve = 1;
    segment_input s = tier("yearly", 600, 0.2);
    s.fields.period = cltv::period::year;
    auto merged = cltv::segment_scenario(top, s);
    REQUIRE(merged.has_value());
    CHECK_THAT(*merged->cost_to_serve, WithinRel(12.0, 1e-12));
    s.fields.churn.reset();  // it may not inherit a monthly lifetime
    merged = cltv::segment_scenario(top, s);
    REQUIRE_FALSE(merged.has_value());
    CHECK(merged.error().field == "churn");
  }
  SECTION("a monthly segment under a yearly top level: per year → per month") {
    cltv::scenario_input top = top_level();
    top.period = cltv::period::year;
    top.cost_to_serve = 12;  // a year → 1 a month
    top.horizon = 2;         // years → 24 months
    segment_input s = tier("monthly", 5, 0.08);
    s.fields.period = cltv::period::month;
    const auto merged = cltv::segment_scenario(top, s);
    REQUIRE(merged.has_value());
    CHECK(*merged->period == cltv::period::month);
    CHECK_THAT(*merged->cost_to_serve, WithinRel(1.0, 1e-12));
    CHECK(*merged->horizon == 24);
  }
  SECTION("annual and monthly segments blend directly") {
    // 6000 ads, 3000 premium, 1000 premium annual: weights 0.6, 0.3, 0.1.
    auto segments = two_tiers_by_count();
    segments[0].customers = 6000;
    segments[1].customers = 3000;
    segments.push_back(annual("premium annual", 200, 0.25));
    segments[2].customers = 1000;
    const auto r = evaluated(segments);
    CHECK_THAT(r.blended.ltv, WithinRel(214.0, 1e-12));  // 0.6 × 50 + 0.3 × 400 + 0.1 × 640
    CHECK_THAT(*r.blended.ltv_cac_ratio, WithinRel(5.35, 1e-12));  // 214 / 40
    // 0.6 × 4 + 0.3 × 16 + 0.1 × 160 / 12 = 8.5333 a month; 40 / 8.5333 = 4.6875
    CHECK_THAT(r.blended.margin_per_month, WithinRel(8.0 + 8.0 / 15.0, 1e-12));
    // 0.6 × 5 + 0.3 × 20 + 0.1 × 200 / 12 = 10.6667 a month
    CHECK_THAT(r.blended.value_per_month, WithinRel(9.0 + 5.0 / 3.0, 1e-12));
    CHECK_THAT(*r.blended.cac_payback_months, WithinRel(4.6875, 1e-12));
  }
}

TEST_CASE("moving monthly customers to annual billing", "[segments]") {
  auto segments = two_tiers_by_count();
  segments[0].customers = 6000;
  segments[0].annual_price = 50;  // ads annual plan: margin 40 a year, 50 % leave: LTV 80
  segments[0].annual_churn = 0.5;
  segments[1].customers = 3000;
  segments[1].annual_price = 200;  // premium annual plan: LTV 640
  segments[1].annual_churn = 0.25;
  segments.push_back(annual("premium annual", 200, 0.25));
  segments[2].customers = 1000;
  const auto top = top_level();
  const auto before = evaluated(segments);
  REQUIRE_THAT(before.blended.ltv, WithinRel(214.0, 1e-12));

  SECTION("40 % of each monthly tier moves") {
    auto shift = cltv::shift_to_annual(top, segments, before, 0.4);
    REQUIRE(shift.has_value());
    // 0.36 × 50 + 0.24 × 80 + 0.18 × 400 + 0.12 × 640 + 0.1 × 640
    //   = 18 + 19.2 + 72 + 76.8 + 64 = 250; change 0.4 × (0.6 × 30 + 0.3 × 240) = 36
    CHECK_THAT(shift->after.blended.ltv, WithinRel(250.0, 1e-12));
    CHECK_THAT(shift->ltv_change, WithinRel(36.0, 1e-12));
    REQUIRE(shift->after.segments.size() == 5);
    CHECK(shift->after.segments[1].name == "ads (annual)");
    CHECK_THAT(shift->after.segments[1].weight, WithinRel(0.24, 1e-12));
    CHECK_THAT(shift->after.segments[1].result.ltv, WithinRel(80.0, 1e-12));
    CHECK_THAT(*shift->after.blended.customers, WithinRel(10000.0, 1e-12));
  }
  SECTION("by shares, the same answer") {
    for (auto& s : segments) {
      s.share = *s.customers / 10000;
      s.customers.reset();
    }
    auto shift = cltv::shift_to_annual(top, segments, evaluated(segments), 0.4);
    REQUIRE(shift.has_value());
    CHECK_THAT(shift->after.blended.ltv, WithinRel(250.0, 1e-12));
  }
  SECTION("a move of 0 changes nothing") {
    auto shift = cltv::shift_to_annual(top, segments, before, 0.0);
    REQUIRE(shift.has_value());
    CHECK_THAT(shift->ltv_change, Catch::Matchers::WithinAbs(0.0, 1e-12));
  }
  SECTION("a monthly tier without its annual_price is named") {
    segments[0].annual_price.reset();
    auto shift = cltv::shift_to_annual(top, segments, before, 0.4);
    REQUIRE_FALSE(shift.has_value());
    CHECK(shift.error().field == "annual_price");
    CHECK(shift.error().message ==
          "segment \"ads\": a move to annual billing needs this tier's annual plan: give "
          "annual_price and annual_churn");
  }
  SECTION("a monthly tier without its annual_churn derives it from its own churn") {
    // ads: 8 % a month; 92^12 = 367666387654882241806336, so 1 − 0.92^12 =
    // 0.632333612345117758193664 a year; margin 40 a year: LTV 40 / that = 63.2577…
    segments[0].annual_churn.reset();
    auto shift = cltv::shift_to_annual(top, segments, before, 0.4);
    REQUIRE(shift.has_value());
    REQUIRE(shift->moved.size() == 2);
    REQUIRE(shift->moved[0].annual_churn_derived_from.has_value());
    CHECK(*shift->moved[0].annual_churn_derived_from == 0.08);
    CHECK_FALSE(shift->moved[1].annual_churn_derived_from.has_value());  // premium gives 25 %
    const auto& ads_annual = shift->after.segments[shift->moved[0].index];
    CHECK_THAT(ads_annual.input.churn, WithinRel(0.632333612345117758193664, 1e-12));
    CHECK_THAT(ads_annual.result.ltv, WithinRel(40.0 / 0.632333612345117758193664, 1e-12));
    // 250 as above, with 0.24 × 63.2577… in place of 0.24 × 80
    CHECK_THAT(shift->after.blended.ltv,
               WithinRel(250.0 - 0.24 * 80.0 + 0.24 * 40.0 / 0.632333612345117758193664, 1e-12));
  }
  SECTION("a monthly tier with a fixed lifetime has no churn to derive annual_churn from") {
    segments[0].annual_churn.reset();
    segments[0].fields.churn.reset();
    segments[0].fields.lifetime = 12.5;
    auto shift = cltv::shift_to_annual(top, segments, evaluated(segments), 0.4);
    REQUIRE_FALSE(shift.has_value());
    CHECK(shift.error().field == "annual_churn");
    CHECK(shift.error().message ==
          "segment \"ads\": a move to annual billing needs this tier's annual_churn: give it, "
          "or a monthly churn above 0 to derive it from (1 − (1 − c)^12)");
  }
  SECTION("a share outside [0, 1]") {
    auto shift = cltv::shift_to_annual(top, segments, before, 1.5);
    REQUIRE_FALSE(shift.has_value());
    CHECK(shift.error().message == "annual_share must be in [0, 1], got 1.5");
  }
  SECTION("nothing billed monthly") {
    const std::vector<segment_input> only_annual{segments[2]};
    auto shift = cltv::shift_to_annual(top, only_annual, evaluated(only_annual), 0.4);
    REQUIRE_FALSE(shift.has_value());
    CHECK(shift.error().field == "annual_share");
  }
}

TEST_CASE("bad weights and segments are named", "[segments]") {
  auto segments = two_tiers_by_count();
  auto by_share = [&](double a, double b) {
    segments[0].customers.reset();
    segments[1].customers.reset();
    segments[0].share = a;
    segments[1].share = b;
  };
  SECTION("shares that do not sum to 1") {
    by_share(0.7, 0.2);
    const auto e = refused(segments);
    CHECK(e.field == "share");
    CHECK(e.message == "segment shares must sum to 1, got 0.9 (ads 0.7 + premium 0.2)");
  }
  SECTION("shares within 1e-9 of 1 are accepted") {
    by_share(0.7, 0.3 + 5e-10);
    CHECK(cltv::evaluate_segments(top_level(), segments).has_value());
  }
  SECTION("a mix of counts and shares") {
    segments[1].customers.reset();
    segments[1].share = 0.25;
    CHECK(refused(segments).message ==
          "segment \"premium\": give every segment customers or every segment a share, not a mix");
  }
  SECTION("a missing weight") {
    segments[1].customers.reset();
    CHECK(refused(segments).message ==
          "segment \"premium\": missing weight: give customers (a count) or share (0..1)");
  }
  SECTION("both weights") {
    segments[0].share = 0.5;
    CHECK(refused(segments).message == "segment \"ads\": give customers or share, not both");
  }
  SECTION("a negative weight") {
    segments[0].customers = -1;
    CHECK(refused(segments).message == "segment \"ads\": customers must be >= 0, got -1");
    by_share(-0.1, 1.1);
    CHECK(refused(segments).message == "segment \"ads\": share must be in [0, 1], got -0.1");
  }
  SECTION("no customers at all") {
    segments[0].customers = 0;
    segments[1].customers = 0;
    CHECK(refused(segments).field == "customers");
  }
  SECTION("duplicate and missing names") {
    segments[1].name = "ads";
    CHECK(refused(segments).message == "segment \"ads\": duplicate segment name");
    segments[1].name = "";
    CHECK(refused(segments).message == "segment 2: name is missing");
  }
  SECTION("a payback in months too large for a double is an error, never inf") {
    // annual_price 5e-307: margin 4e-307 a year, payback 40 / 4e-307 = 1e308 years
    // (finite), × 12 = 1.2e309 months (not).
    auto a = annual("yearly", 5e-307, 0.25);
    a.customers = 1;
    const auto e = refused({a});
    CHECK(e.field == "cac");
    CHECK(e.message ==
          "segment \"yearly\": cac_payback in months is too large to represent as a number");
  }
  SECTION("an empty list") {
    CHECK(refused({}).field == "segments");
  }
  SECTION("a segment's own bad input names the segment and the field") {
    segments[1].fields.churn = 1.5;
    const auto e = refused(segments);
    CHECK(e.field == "churn");
    CHECK(e.message ==
          "segment \"premium\": churn must be in [0, 1], got 1.5 (for 1.5 percent, write 1.5%)");
  }
  SECTION("annual billing without its price or churn, or with monthly inputs") {
    auto a = annual("yearly", 200, 0.25);
    a.customers = 10;
    a.annual_price.reset();
    segments.push_back(a);
    CHECK(refused(segments).message ==
          "segment \"yearly\": billing annual needs annual_price (the price of a year)");
    segments.back().annual_price = 200;
    segments.back().annual_churn.reset();
    CHECK(refused(segments).field == "annual_churn");
    segments.back().annual_churn = 0.25;
    segments.back().fields.arpu = 20;
    CHECK(refused(segments).field == "annual_price");
    segments.back().fields.arpu.reset();
    segments.back().annual_churn = 2;
    CHECK(refused(segments).message ==
          "segment \"yearly\": annual_churn must be in [0, 1], got 2 (for 2 percent, write 2%)");
  }
  SECTION("annual billing with a horizon that is not whole years") {
    auto top = top_level();
    top.horizon = 30;
    auto a = annual("yearly", 200, 0.25);
    a.customers = 10;
    CHECK(refused({a}, top).message ==
          "segment \"yearly\": a segment per year needs a horizon of whole years, got 30 months (a "
          "multiple of 12)");
  }
  SECTION("check needs a CAC for every segment and a blended CAC above 0") {
    auto top = top_level();
    top.cac.reset();
    segments[0].fields.cac = 10;
    auto r = cltv::evaluate_segments(top, segments, true);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().message == "segment \"premium\": check needs cac (customer acquisition cost)");
    segments[0].fields.cac = 0;
    segments[1].fields.cac = 0;
    r = cltv::evaluate_segments(top, segments, true);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().message == "check needs a blended cac above 0, got 0");
  }
}

TEST_CASE("segment fields by the names JSON and --segment give them", "[segments]") {
  segment_input seg;
  cltv::number_style style{};
  std::optional<double>* share = cltv::segment_number_field(seg, "share", style);
  REQUIRE(share == &seg.share);
  CHECK(style == cltv::number_style::rate);
  REQUIRE(cltv::segment_number_field(seg, "customers", style) == &seg.customers);
  CHECK(style == cltv::number_style::plain);
  REQUIRE(cltv::segment_number_field(seg, "churn", style) == &seg.fields.churn);
  CHECK(style == cltv::number_style::rate);
  REQUIRE(cltv::segment_number_field(seg, "arpu", style) == &seg.fields.arpu);
  CHECK(style == cltv::number_style::plain);
  // period is a word; id and unknown keys are no segment fields
  CHECK(cltv::segment_number_field(seg, "period", style) == nullptr);
  CHECK(cltv::segment_number_field(seg, "id", style) == nullptr);
  CHECK(cltv::segment_number_field(seg, "chrun", style) == nullptr);
}

TEST_CASE("segment words: billing and period", "[segments]") {
  segment_input seg;
  auto annual = cltv::set_segment_word(seg, "billing", "annual");
  REQUIRE(annual);
  CHECK(*annual);
  CHECK(seg.bill == cltv::billing::annual);
  REQUIRE(cltv::set_segment_word(seg, "period", "year"));
  CHECK(seg.fields.period == cltv::period::year);
  auto not_a_word = cltv::set_segment_word(seg, "arpu", "5");
  REQUIRE(not_a_word);
  CHECK_FALSE(*not_a_word);
  auto weekly = cltv::set_segment_word(seg, "billing", "weekly");
  REQUIRE_FALSE(weekly);
  CHECK(weekly.error().field == "billing");
  CHECK(weekly.error().message == R"(billing must be "monthly" or "annual", got "weekly")");
  auto days = cltv::set_segment_word(seg, "period", "day");
  REQUIRE_FALSE(days);
  CHECK(days.error().message == R"(period must be "month" or "year", got "day")");
}

namespace {

// A monthly plan: arpu 49, churn 4 %, margin 80 %, CAC 600.
//   margin 49 × 0.8 = 39.2, lifetime 1 / 0.04 = 25, LTV 39.2 × 25 = 980
// Its annual plan: 490 a year, 25 % do not renew.
//   margin 490 × 0.8 = 392 a year, lifetime 1 / 0.25 = 4 years, LTV 392 × 4 = 1568
cltv::scenario_input monthly_plan() {
  cltv::scenario_input in;
  in.arpu = 49;
  in.churn = 0.04;
  in.gross_margin = 0.8;
  in.cac = 600;
  return in;
}

constexpr cltv::annual_plan_input plan_490{490.0, 0.25};

cltv::result<cltv::plan_shift_result> shifted(const cltv::scenario_input& in,
                                              const cltv::annual_plan_input& plan, double share) {
  auto s = cltv::resolve(in);
  if (!s) FAIL("resolve failed: " << s.error().message);
  auto r = cltv::evaluate(*s);
  if (!r) FAIL("evaluate failed: " << r.error().message);
  return cltv::shift_plan_to_annual(*s, *r, plan, share);
}

cltv::error plan_refused(const cltv::scenario_input& in, const cltv::annual_plan_input& plan) {
  auto s = cltv::resolve(in);
  if (!s) FAIL("resolve failed: " << s.error().message);
  auto e = cltv::validate_annual_plan(plan, *s);
  if (!e) FAIL("validate_annual_plan accepted the plan");
  return *e;
}

}  // namespace

TEST_CASE("moving a plan without segments to its annual plan", "[segments]") {
  SECTION("40 % move: the plan becomes a blend of itself and the annual plan") {
    auto w = shifted(monthly_plan(), plan_490, 0.4);
    REQUIRE(w.has_value());
    CHECK(w->annual_share == 0.4);
    CHECK(w->annual_input.period == cltv::period::year);
    CHECK_THAT(w->annual_input.value, WithinRel(490.0, 1e-12));
    CHECK_THAT(w->annual_input.churn, WithinRel(0.25, 1e-12));
    CHECK_THAT(w->annual.ltv, WithinRel(1568.0, 1e-12));
    // 0.6 × 980 + 0.4 × 1568 = 588 + 627.2 = 1215.2; change 1215.2 − 980 = 235.2
    CHECK_THAT(w->after.ltv, WithinRel(1215.2, 1e-12));
    CHECK_THAT(w->ltv_change, WithinRel(235.2, 1e-12));
    // CAC 600 for both: ratio 1215.2 / 600 = 2.025333…, below 3×
    CHECK_THAT(*w->after.cac, WithinRel(600.0, 1e-12));
    CHECK_THAT(*w->after.ltv_cac_ratio, WithinRel(1215.2 / 600, 1e-12));
    CHECK(*w->after.meets_target == false);
    // per month: value 0.6 × 49 + 0.4 × 490 / 12 = 29.4 + 16.333… = 45.733…;
    // margin 0.6 × 39.2 + 0.4 × 392 / 12 = 23.52 + 13.066… = 36.586…
    CHECK_THAT(w->after.value_per_month, WithinRel(29.4 + 0.4 * 490.0 / 12, 1e-12));
    CHECK_THAT(w->after.margin_per_month, WithinRel(23.52 + 0.4 * 392.0 / 12, 1e-12));
    CHECK_FALSE(w->after.customers.has_value());
  }
  SECTION("a move of 0 and of 1") {
    auto none = shifted(monthly_plan(), plan_490, 0.0);
    REQUIRE(none.has_value());
    CHECK_THAT(none->after.ltv, WithinRel(980.0, 1e-12));
    CHECK_THAT(none->ltv_change, Catch::Matchers::WithinAbs(0.0, 1e-12));
    auto all = shifted(monthly_plan(), plan_490, 1.0);
    REQUIRE(all.has_value());
    CHECK_THAT(all->after.ltv, WithinRel(1568.0, 1e-12));
  }
  SECTION("the per-month inputs are restated per year, as for an annual segment") {
    auto in = monthly_plan();
    in.cost_to_serve = 2;  // 24 a year: annual margin 392 − 24 = 368, LTV 368 / 0.25 = 1472
    auto w = shifted(in, plan_490, 0.5);
    REQUIRE(w.has_value());
    CHECK_THAT(w->annual_input.cost_to_serve, WithinRel(24.0, 1e-12));
    CHECK_THAT(w->annual.ltv, WithinRel(1472.0, 1e-12));
    in.cost_to_serve.reset();
    in.discount_rate = 0.01;  // (1.01)^12 − 1 = 0.126825… a year
    in.expansion = 0.01;      // grows as it compounds: the same 0.126825…
    w = shifted(in, plan_490, 0.5);
    REQUIRE(w.has_value());
    CHECK_THAT(w->annual_input.discount_rate, WithinRel(0.12682503013196977, 1e-12));
    CHECK_THAT(w->annual_input.expansion, WithinRel(0.12682503013196977, 1e-12));
  }
  SECTION("a horizon that is not whole years is named") {
    auto in = monthly_plan();
    in.horizon = 18;
    auto w = shifted(in, plan_490, 0.4);
    REQUIRE_FALSE(w.has_value());
    CHECK(w.error().field == "horizon");
    CHECK(w.error().message ==
          "the annual plan (per year) needs a horizon of whole years, got 18 months (a multiple "
          "of 12)");
    in.horizon = 24;  // 2 years: 392 + 392 × 0.75 = 686
    w = shifted(in, plan_490, 0.4);
    REQUIRE(w.has_value());
    CHECK_THAT(w->annual.ltv, WithinRel(686.0, 1e-12));
  }
  SECTION("a what-if needs the annual plan") {
    auto w = shifted(monthly_plan(), {}, 0.4);
    REQUIRE_FALSE(w.has_value());
    CHECK(w.error().field == "annual_share");
    CHECK(w.error().message ==
          "annual_share: a plan without segments moves its customers to its annual plan: give "
          "annual_price and annual_churn (or segments with theirs)");
  }
  SECTION("annual_churn left out: derived from the monthly churn, and said so") {
    // 96^12 = 612709757329767363772416, so 4 % a month is 1 − 0.96^12 =
    // 0.387290242670232636227584 a year; LTV 392 / that = 1012.16079521…;
    // after a 40 % move 0.6 × 980 + 0.4 × 1012.16079521… = 992.86431808…
    auto w = shifted(monthly_plan(), {490.0, std::nullopt}, 0.4);
    REQUIRE(w.has_value());
    CHECK_THAT(w->annual_input.churn, WithinRel(0.387290242670232636227584, 1e-12));
    REQUIRE(w->annual_churn_derived_from.has_value());
    CHECK(*w->annual_churn_derived_from == 0.04);
    CHECK_THAT(w->annual.ltv, WithinRel(392.0 / 0.387290242670232636227584, 1e-12));
    CHECK_THAT(w->after.ltv, WithinRel(588.0 + 0.4 * 392.0 / 0.387290242670232636227584, 1e-12));
    auto given = shifted(monthly_plan(), plan_490, 0.4);
    REQUIRE(given.has_value());
    CHECK_FALSE(given->annual_churn_derived_from.has_value());
  }
  SECTION("annual_churn left out on a plan with no churn to derive it from") {
    auto fixed = monthly_plan();
    fixed.churn.reset();
    fixed.lifetime = 25;
    auto w = shifted(fixed, {490.0, std::nullopt}, 0.4);
    REQUIRE_FALSE(w.has_value());
    CHECK(w.error().field == "annual_churn");
  }
  SECTION("a share outside [0, 1]") {
    auto w = shifted(monthly_plan(), plan_490, -0.1);
    REQUIRE_FALSE(w.has_value());
    CHECK(w.error().message == "annual_share must be in [0, 1], got -0.1");
  }
}

TEST_CASE("the annual plan of a plan without segments is checked", "[segments]") {
  SECTION("a valid plan, or none") {
    auto s = cltv::resolve(monthly_plan());
    REQUIRE(s.has_value());
    CHECK_FALSE(cltv::validate_annual_plan(plan_490, *s).has_value());
    CHECK_FALSE(cltv::validate_annual_plan({}, *s).has_value());
    CHECK_FALSE(cltv::validate_annual_plan({490.0, 1.0}, *s).has_value());  // none renew
  }
  SECTION("annual_price alone: annual_churn derived from the plan's churn") {
    auto s = cltv::resolve(monthly_plan());
    REQUIRE(s.has_value());
    CHECK_FALSE(cltv::validate_annual_plan({490.0, std::nullopt}, *s).has_value());
  }
  SECTION("both fields or neither, without a churn to derive annual_churn from") {
    auto fixed = monthly_plan();
    fixed.churn.reset();
    fixed.lifetime = 25;
    const auto e = plan_refused(fixed, {490.0, std::nullopt});
    CHECK(e.field == "annual_churn");
    CHECK(e.message ==
          "annual_price needs annual_churn (the share of annual customers who do not renew), "
          "or a monthly churn above 0 to derive it from: the annual plan takes both");
    CHECK(plan_refused(monthly_plan(), {std::nullopt, 0.25}).field == "annual_price");
  }
  SECTION("annual_price > 0") {
    CHECK(plan_refused(monthly_plan(), {0.0, 0.25}).message == "annual_price must be > 0, got 0");
    CHECK(plan_refused(monthly_plan(), {-5.0, 0.25}).field == "annual_price");
  }
  SECTION("annual_churn in (0, 1]: 0 would keep every annual customer forever") {
    CHECK(plan_refused(monthly_plan(), {490.0, 0.0}).message ==
          "annual_churn must be in (0, 1], got 0");
    CHECK(plan_refused(monthly_plan(), {490.0, 25.0}).message ==
          "annual_churn must be in (0, 1], got 25 (for 25 percent, write 25%)");
    CHECK(plan_refused(monthly_plan(), {490.0, 250.0}).message ==
          "annual_churn must be in (0, 1], got 250");
  }
  SECTION("a plan per year has no monthly customers to move") {
    auto yearly = monthly_plan();
    yearly.period = cltv::period::year;
    const auto e = plan_refused(yearly, plan_490);
    CHECK(e.field == "annual_price");
    CHECK(e.message ==
          "annual_price and annual_churn are the annual plan that a monthly plan's customers "
          "can move to, but this plan is per year: drop them, or give the monthly plan");
  }
}

TEST_CASE("derived_annual_churn compounds a monthly plan's churn", "[segments]") {
  SECTION("4 % a month") {
    auto s = cltv::resolve(monthly_plan());
    REQUIRE(s.has_value());
    // 1 − 0.96^12 = 0.387290242670232636227584 (96^12 = 612709757329767363772416)
    REQUIRE_THAT(*cltv::derived_annual_churn(*s), WithinRel(0.387290242670232636227584, 1e-12));
  }
  SECTION("nothing to derive from: a fixed lifetime, churn 0, or a plan per year") {
    auto fixed = monthly_plan();
    fixed.churn.reset();
    fixed.lifetime = 25;
    CHECK_FALSE(cltv::derived_annual_churn(*cltv::resolve(fixed)).has_value());
    auto none = monthly_plan();
    none.churn = 0;
    none.horizon = 24;
    CHECK_FALSE(cltv::derived_annual_churn(*cltv::resolve(none)).has_value());
    auto yearly = monthly_plan();
    yearly.period = cltv::period::year;
    CHECK_FALSE(cltv::derived_annual_churn(*cltv::resolve(yearly)).has_value());
  }
}

TEST_CASE("segments inherit the top level's annual plan", "[segments]") {
  auto segments = two_tiers_by_count();
  segments[1].annual_price = 200;
  segments[1].annual_churn = 0.2;
  const auto filled = cltv::with_annual_plan(segments, {std::nullopt, 0.25});
  CHECK_FALSE(filled[0].annual_price.has_value());
  CHECK(filled[0].annual_churn == 0.25);  // inherited
  CHECK(filled[1].annual_price == 200);   // its own
  CHECK(filled[1].annual_churn == 0.2);
}
