// Tests of cltv/metrics.hpp on a hand-worked log (observation end 2024-06-30,
// monthly periods, a customer churns after 2 months without a purchase):
//
//   A: 01-05 $10, 01-20 $20, 02-10 $30   at risk Jan–Feb, churns at the end of Feb
//   B: 01-15 $40                         at risk Jan, churns at the end of Jan
//   C: 02-01 $5, 05-15 $15               at risk Feb–May, censored (Jun is 1 month later)
//   D: 06-10 $50                         at risk Jun, censored
//   E: 07-01 $99                         after the observation end: ignored
//
// Customer-months at risk: 2 + 1 + 4 + 1 = 8; churn events 2 → churn 2/8 = 25 %,
// lifespan 4 months; revenue 170 → ARPU 170/8 = 21.25; CLTV = 21.25 × 4 = 85.

#include "cltv/metrics.hpp"

#include <catch2/catch.hpp>

#include <string_view>
#include <vector>

using Catch::Matchers::WithinRel;
using cltv::metrics_builder;
using cltv::metrics_options;
using cltv::metrics_report;

namespace {

struct txn {
  std::uint32_t customer;
  int year, month, day;
  std::string_view amount;
};

cltv::decimal_amount amount(std::string_view text) {
  auto a = cltv::parse_decimal_amount("amount", text, false);
  if (!a) FAIL(a.error().message);
  return *a;
}

const std::vector<txn> hand_log{
    {0, 2024, 1, 5, "10"},  {0, 2024, 1, 20, "20"}, {0, 2024, 2, 10, "30"}, {1, 2024, 1, 15, "40"},
    {2, 2024, 5, 15, "15"}, {2, 2024, 2, 1, "5"},   {3, 2024, 6, 10, "50"}, {4, 2024, 7, 1, "99"},
};

metrics_report run(const std::vector<txn>& log, metrics_options options) {
  auto builder = metrics_builder::create(options);
  REQUIRE(builder.has_value());
  for (const txn& t : log)
    builder->add(t.customer, cltv::days_from_civil(t.year, t.month, t.day), amount(t.amount));
  auto report = std::move(*builder).finish();
  REQUIRE(report.has_value());
  return std::move(*report);
}

metrics_options hand_options() {
  metrics_options o;
  o.observation_end = cltv::days_from_civil(2024, 6, 30);
  o.inactive_after = 2;
  return o;
}

}  // namespace

TEST_CASE("per-period figures of the hand-worked log", "[metrics]") {
  const metrics_report r = run(hand_log, hand_options());
  REQUIRE(r.periods.size() == 6);  // Jan..Jun
  CHECK(r.transactions_after_end == 1);
  CHECK(r.periods[0].start == cltv::days_from_civil(2024, 1, 1));
  CHECK(r.periods[5].start == cltv::days_from_civil(2024, 6, 1));

  const std::vector<std::uint64_t> customers{2, 2, 1, 1, 1, 1};
  const std::vector<std::uint64_t> new_customers{2, 1, 0, 0, 0, 1};
  const std::vector<std::uint64_t> active{2, 2, 0, 0, 1, 1};
  const std::vector<std::uint64_t> orders{3, 2, 0, 0, 1, 1};
  const std::vector<double> revenue{70, 35, 0, 0, 15, 50};
  const std::vector<std::uint64_t> churned{1, 1, 0, 0, 0, 0};
  for (std::size_t i = 0; i < 6; ++i) {
    INFO("period " << i);
    CHECK(r.periods[i].customers == customers[i]);
    CHECK(r.periods[i].new_customers == new_customers[i]);
    CHECK(r.periods[i].active_customers == active[i]);
    CHECK(r.periods[i].orders == orders[i]);
    CHECK(r.periods[i].revenue.value() == revenue[i]);
    CHECK(r.periods[i].churned == churned[i]);
  }
  SECTION("rates") {
    CHECK(r.periods[0].arpu == 35);
    CHECK_THAT(r.periods[0].average_order_value, WithinRel(70.0 / 3, 1e-15));
    CHECK(r.periods[0].purchase_frequency == 1.5);
    CHECK(r.periods[0].repeat_purchase_rate == 0);    // both January buyers are new
    CHECK(r.periods[1].repeat_purchase_rate == 0.5);  // A returns, C is new
    CHECK(r.periods[2].average_order_value == 0);     // no orders: 0, not NaN
  }
  SECTION("churn per period, censored at the end") {
    CHECK(r.periods[0].churn == 0.5);
    CHECK(r.periods[1].churn == 0.5);
    CHECK(r.periods[2].churn == 0.0);
    CHECK(r.periods[3].churn == 0.0);  // April: May and June follow it
    CHECK_FALSE(r.periods[3].censored);
    CHECK(r.periods[4].censored);
    CHECK_FALSE(r.periods[4].churn.has_value());
    CHECK(r.periods[5].censored);
  }
}

TEST_CASE("whole-window figures of the hand-worked log", "[metrics]") {
  metrics_options o = hand_options();
  o.cac = 20;
  const cltv::overall_metrics a = run(hand_log, o).overall;
  CHECK(a.customers == 4);
  CHECK(a.customer_periods == 8);
  CHECK(a.orders == 7);
  CHECK(a.revenue.text() == "170");
  CHECK(a.arpu == 21.25);
  CHECK_THAT(a.average_order_value, WithinRel(170.0 / 7, 1e-15));
  CHECK(a.purchase_frequency == 7.0 / 8);
  CHECK(a.repeat_purchase_rate == 0.5);  // A and C bought in two months
  CHECK(a.churned == 2);
  CHECK(a.censored_customers == 2);
  CHECK(a.churn == 0.25);
  REQUIRE(a.lifespan.has_value());
  CHECK(*a.lifespan == 4);
  CHECK(*a.ltv == 85);
  CHECK(*a.net_value == 65);
  CHECK(*a.ltv_cac_ratio == 4.25);
  CHECK(*a.meets_target);
}

TEST_CASE("cohort retention of the hand-worked log", "[metrics]") {
  const metrics_report r = run(hand_log, hand_options());
  REQUIRE(r.cohorts.size() == 3);  // January (A, B), February (C), June (D)
  CHECK(r.cohorts[0].customers == 2);
  CHECK(r.cohorts[0].active == std::vector<std::uint64_t>{2, 1, 0, 0, 0, 0});
  CHECK(r.cohorts[1].customers == 1);
  CHECK(r.cohorts[1].active == std::vector<std::uint64_t>{1, 0, 0, 1, 0});
  CHECK(r.cohorts[2].start == cltv::days_from_civil(2024, 6, 1));
  CHECK(r.cohorts[2].active == std::vector<std::uint64_t>{1});
  CHECK(r.cohorts[0].share(0) == 1);    // 2 of 2
  CHECK(r.cohorts[0].share(1) == 0.5);  // A of A and B
  // Still customers k months later, while a churn can be seen (2 inactive
  // months: up to K = months to June − 1). January: K = 5 − 1 = 4; A's last
  // purchase is 1 month after its first, B's 0 → {2, 1, 0, 0, 0}. February:
  // K = 3; C's span is 3 (Feb → May), a censored survivor → {1, 1, 1, 1}.
  // June: K = −1 → only month 0.
  CHECK(r.cohorts[0].retained == std::vector<std::uint64_t>{2, 1, 0, 0, 0});
  CHECK(r.cohorts[1].retained == std::vector<std::uint64_t>{1, 1, 1, 1});
  CHECK(r.cohorts[2].retained == std::vector<std::uint64_t>{1});
}

TEST_CASE("cohort revenue by months since acquisition, by hand", "[metrics]") {
  CHECK(run(hand_log, hand_options()).cohorts[0].revenue.empty());  // only when asked
  metrics_options o = hand_options();
  o.cohort_revenue = true;
  const metrics_report r = run(hand_log, o);
  // January: A 10 + 20, B 40 in month 0; A 30 in month 1. February: C 5,
  // then 15 three months later. June: D 50. E (July) is after the end.
  CHECK(r.cohorts[0].revenue == std::vector<double>{70, 30, 0, 0, 0, 0});
  CHECK(r.cohorts[1].revenue == std::vector<double>{5, 0, 0, 15, 0});
  CHECK(r.cohorts[2].revenue == std::vector<double>{50});
}

TEST_CASE("yearly periods", "[metrics]") {
  metrics_options o;
  o.unit = cltv::period::year;
  o.inactive_after = 1;
  const metrics_report r = run({{0, 2022, 3, 1, "10"},
                                {0, 2023, 12, 31, "10"},
                                {1, 2022, 12, 31, "5"},
                                {2, 2024, 1, 1, "7"}},
                               o);
  REQUIRE(r.periods.size() == 3);  // 2022..2024, the end being the last date
  CHECK(r.periods[0].start == cltv::days_from_civil(2022, 1, 1));
  CHECK(r.periods[0].customers == 2);
  CHECK(r.periods[1].customers == 1);
  CHECK(r.overall.churned == 2);  // customer 1 after 2022, customer 0 after 2023; 2 censored
  CHECK(r.overall.customer_periods == 4);
  CHECK(r.overall.churn == 0.5);
}

TEST_CASE("no churn observed leaves the lifespan unbounded", "[metrics]") {
  metrics_options o;
  o.cac = 10;
  const metrics_report r = run({{0, 2024, 1, 1, "10"}, {0, 2024, 2, 1, "10"}}, o);
  CHECK(r.overall.churn == 0);
  CHECK_FALSE(r.overall.lifespan.has_value());
  CHECK_FALSE(r.overall.ltv.has_value());
  CHECK_FALSE(r.overall.meets_target.has_value());
}

TEST_CASE("order of the rows does not matter", "[metrics]") {
  std::vector<txn> reversed(hand_log.rbegin(), hand_log.rend());
  const metrics_report a = run(hand_log, hand_options());
  const metrics_report b = run(reversed, hand_options());
  CHECK(a.overall.customer_periods == b.overall.customer_periods);
  CHECK(a.overall.churned == b.overall.churned);
  CHECK(a.overall.revenue.text() == b.overall.revenue.text());
  for (std::size_t i = 0; i < a.periods.size(); ++i) {
    CHECK(a.periods[i].customers == b.periods[i].customers);
    CHECK(a.periods[i].active_customers == b.periods[i].active_customers);
  }
}

TEST_CASE("revenue is the exact decimal sum; means are rounded once from it", "[metrics]") {
  // Three customers pay 0.10, 0.20 and 0.30 in 2024-01 and never again
  // (inactive_after 1, window to 2024-03): revenue 0.60 exactly; ARPU and
  // order value 0.60 / 3 = 0.2 (a double running sum gives 0.6000000000000001
  // and a mean of 0.20000000000000004); CLTV = revenue / churned = 0.2.
  const std::vector<txn> cents{{0, 2024, 1, 5, "0.10"},
                               {1, 2024, 1, 6, "0.20"},
                               {2, 2024, 1, 7, "0.30"},
                               {3, 2024, 3, 1, "1"}};
  metrics_options o;
  o.inactive_after = 1;
  const metrics_report r = run(cents, o);
  CHECK(r.periods[0].revenue.text() == "0.60");
  CHECK(r.periods[0].arpu == 0.2);
  CHECK(r.periods[0].average_order_value == 0.2);
  CHECK(r.overall.revenue.text() == "1.60");
  REQUIRE(r.overall.churned == 3);
  CHECK(*r.overall.ltv == 160.0 / 300.0);  // 1.60 / 3 churned, one rounding
}

TEST_CASE("metrics errors", "[metrics]") {
  SECTION("options") {
    metrics_options o;
    o.inactive_after = 0;
    auto b = metrics_builder::create(o);
    REQUIRE_FALSE(b.has_value());
    CHECK(b.error().field == "inactive_after");
    o = {};
    o.cac = 0;
    b = metrics_builder::create(o);
    REQUIRE_FALSE(b.has_value());
    CHECK(b.error().message == "cac must be greater than 0, got 0");
  }
  SECTION("an empty log") {
    auto b = metrics_builder::create({});
    REQUIRE(b.has_value());
    auto r = std::move(*b).finish();
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().message == "the log has no transactions");
  }
  SECTION("an observation end before every purchase") {
    metrics_options o;
    o.observation_end = cltv::days_from_civil(2023, 12, 31);
    auto b = metrics_builder::create(o);
    REQUIRE(b.has_value());
    b->add(0, cltv::days_from_civil(2024, 1, 1), amount("5"));
    auto r = std::move(*b).finish();
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().message == "observation_end 2023-12-31 is before every purchase in the log");
  }
}

TEST_CASE("period labels and the censored range", "[metrics]") {
  SECTION("a month is year-month, a year its number") {
    CHECK(cltv::period_label(cltv::days_from_civil(2024, 3, 1), cltv::period::month) == "2024-03");
    CHECK(cltv::period_label(cltv::days_from_civil(2024, 1, 1), cltv::period::year) == "2024");
    CHECK(cltv::period_label(cltv::days_from_civil(987, 12, 1), cltv::period::month) == "0987-12");
  }
  SECTION("the hand-worked log: May and June are censored with 2 inactive months") {
    CHECK(cltv::censored_range(run(hand_log, hand_options())) == "2024-05..2024-06");
  }
  SECTION("one censored period is one label") {
    metrics_options o = hand_options();
    o.inactive_after = 1;  // only June has no month after it
    CHECK(cltv::censored_range(run(hand_log, o)) == "2024-06");
  }
}

TEST_CASE("the scenario a log measures", "[metrics]") {
  metrics_options o = hand_options();
  o.cac = 20;
  const metrics_report r = run(hand_log, o);
  auto measured = cltv::measured_scenario(r, 4.0);
  REQUIRE(measured);
  CHECK(measured->period == cltv::period::month);
  CHECK(*measured->arpu == 21.25);  // 170 / 8 customer-months
  CHECK(*measured->churn == 0.25);  // 2 churned / 8
  CHECK(*measured->cac == 20);
  CHECK(*measured->target == 4);
  auto without = cltv::measured_scenario(run(hand_log, hand_options()), std::nullopt);
  REQUIRE(without);
  CHECK_FALSE(without->cac.has_value());
  CHECK_FALSE(without->target.has_value());
  // It reads back as calc reads it: value 21.25 a month, churn 25 %.
  auto resolved = cltv::resolve(*measured);
  REQUIRE(resolved);
  CHECK(resolved->value == 21.25);
  CHECK(resolved->churn == 0.25);

  const metrics_report no_churn = run({{0, 2024, 1, 1, "10"}, {0, 2024, 2, 1, "10"}}, {});
  auto refused = cltv::measured_scenario(no_churn, std::nullopt);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().field == "churn");
}
