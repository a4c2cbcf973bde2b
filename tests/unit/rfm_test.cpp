// Tests of cltv/rfm.hpp: the per-customer summary, with the worked cases of the
// lifetimes convention (../shared/reference/models.md, "RFM summary semantics":
// observation end 2015-02-07, daily and weekly periods).

#include "cltv/rfm.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <tuple>
#include <vector>

using Catch::Matchers::WithinAbs;
using cltv::period_unit;
using cltv::rfm_builder;
using cltv::rfm_options;
using cltv::rfm_summary;

namespace {

struct txn {
  std::uint32_t customer;
  int month;
  int day;
  double amount;
};

cltv::day_number d2015(int month, int day) {
  return cltv::days_from_civil(2015, month, day);
}

// The worked log: customers 0 (id1), 1 (id3), 2 (id5), 3 (id6).
const std::vector<txn> worked_log{
    {0, 1, 1, 1},  {0, 2, 6, 2},                  // id1
    {1, 1, 1, 3},  {1, 1, 2, 1},  {1, 1, 5, 5},   // id3
    {2, 1, 16, 3}, {2, 1, 17, 1}, {2, 1, 18, 8},  // id5
    {3, 2, 2, 5},                                 // id6
};

rfm_summary summarize(const std::vector<txn>& log, rfm_options options) {
  auto builder = rfm_builder::create(options);
  REQUIRE(builder.has_value());
  for (const txn& t : log)
    REQUIRE(builder->add(t.customer, d2015(t.month, t.day), t.amount) == rfm_builder::added::ok);
  auto summary = std::move(*builder).finish();
  REQUIRE(summary.has_value());
  return std::move(*summary);
}

void check_row(const rfm_summary& s, std::size_t i, double frequency, double recency, double T,
               double monetary) {
  INFO("customer " << i);
  REQUIRE(i < s.size());
  REQUIRE(s.row(i).has_value());
  const cltv::rfm_row row = *s.row(i);
  CHECK(row.frequency == frequency);
  CHECK_THAT(row.recency, WithinAbs(recency, 1e-12));
  CHECK_THAT(row.T, WithinAbs(T, 1e-12));
  CHECK_THAT(row.monetary_value, WithinAbs(monetary, 1e-12));
}

}  // namespace

TEST_CASE("the worked cases of the summary convention, daily periods", "[rfm]") {
  rfm_options options;
  options.observation_end = d2015(2, 7);
  const rfm_summary s = summarize(worked_log, options);
  CHECK(s.customers_included == 4);
  check_row(s, 0, 1, 36, 37, 2);
  check_row(s, 1, 2, 4, 37, 3);  // monetary: (1 + 5) / 2, the first day's 3 left out
  check_row(s, 2, 2, 2, 22, 4.5);
  check_row(s, 3, 0, 0, 5, 0);  // one purchase: no repeat, monetary 0
}

TEST_CASE("the worked cases with weekly (Monday–Sunday) periods", "[rfm]") {
  rfm_options options;
  options.observation_end = d2015(2, 7);
  options.unit = period_unit::week;
  const rfm_summary s = summarize(worked_log, options);
  // 2015-01-01 is a Thursday: its week starts 2014-12-29; 2015-02-07 (a
  // Saturday) is in the week of 2015-02-02, five weeks later.
  check_row(s, 0, 1, 5, 5, 2);
  check_row(s, 1, 1, 1, 5, 5);  // 01-01 and 01-02 merge (amount 4, the first period); 01-05 repeats
  check_row(s, 3, 0, 0, 0, 0);  // bought in the observation end's own week
}

TEST_CASE("row order does not matter, same-period purchases merge", "[rfm]") {
  rfm_options options;
  options.observation_end = d2015(2, 7);
  std::vector<txn> shuffled = worked_log;
  shuffled.push_back({1, 1, 2, 0.5});  // a second purchase on id3's 01-02
  shuffled.push_back({1, 1, 2, 0.5});  // a duplicate row counts its amount again
  std::mt19937 rng(7);
  for (int round = 0; round < 20; ++round) {
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    const rfm_summary s = summarize(shuffled, options);
    check_row(s, 1, 2, 4, 37, 3.5);  // (1 + 0.5 + 0.5 + 5) / 2
    check_row(s, 0, 1, 36, 37, 2);   // the first period is the earliest by date, not by row
  }
}

TEST_CASE("purchases after the observation end are ignored and counted", "[rfm]") {
  rfm_options options;
  options.observation_end = d2015(1, 20);
  const rfm_summary s = summarize(worked_log, options);
  CHECK(s.transactions_after_end == 2);  // id1's 02-06 and id6's 02-02
  check_row(s, 0, 0, 0, 19, 0);          // id1: only 01-01 is left
  CHECK_FALSE(s.row(3).has_value());     // id6 bought only after the end
  CHECK(s.customers_excluded == 1);
  CHECK(s.customers_included == 3);
}

TEST_CASE("the observation end defaults to the last date of the log", "[rfm]") {
  const rfm_summary s = summarize(worked_log, {});
  CHECK(s.observation_end == d2015(2, 6));
  check_row(s, 0, 1, 36, 36, 2);
}

TEST_CASE("time_unit_days sets the unit of recency and T", "[rfm]") {
  rfm_options options;
  options.observation_end = d2015(2, 7);
  SECTION("by default, periods") {
    const rfm_summary s = summarize(worked_log, options);
    CHECK(s.time_unit_days == 1);
    check_row(s, 0, 1, 36, 37, 2);
  }
  SECTION("daily periods in weeks: 36 days = 36 / 7 weeks") {
    options.time_unit_days = 7;
    const rfm_summary s = summarize(worked_log, options);
    CHECK(s.time_unit_days == 7);
    check_row(s, 0, 1, 36.0 / 7, 37.0 / 7, 2);
  }
  SECTION("weekly periods in days: 5 weeks = 35 days") {
    options.unit = period_unit::week;
    options.time_unit_days = 1;
    const rfm_summary s = summarize(worked_log, options);
    CHECK(s.time_unit_days == 1);
    check_row(s, 0, 1, 35, 35, 2);  // 5 weeks each (the weekly worked case)
  }
  SECTION("monthly periods by default: months") {
    options.unit = period_unit::month;
    const rfm_summary s = summarize(worked_log, options);
    CHECK(s.time_unit_days == 30.4375);
    check_row(s, 0, 1, 1, 1, 2);  // January → February
  }
}

TEST_CASE("calibration and holdout", "[rfm]") {
  rfm_options options;
  options.observation_end = d2015(2, 7);
  options.calibration_end = d2015(1, 16);
  std::vector<txn> log = worked_log;
  log.push_back({0, 2, 6, 4});  // id1 buys twice on 02-06: one holdout period, two transactions
  log.push_back({4, 2, 1, 9});  // a customer first seen in the holdout
  const rfm_summary s = summarize(log, options);
  // Calibration: up to 2015-01-16, T measured to it.
  check_row(s, 0, 0, 0, 15, 0);
  CHECK(s.row(0)->frequency_holdout == 1);
  CHECK(s.row(0)->monetary_value_holdout == 3);  // (2 + 4) / 2 transactions, as lifetimes does
  CHECK(s.row(0)->duration_holdout == 22);       // 01-16 → 02-07
  CHECK(s.row(0)->spend_holdout == 6);           // 2 + 4, though frequency × mean is 1 × 3
  check_row(s, 1, 2, 4, 15, 3);
  CHECK(s.row(1)->frequency_holdout == 0);
  CHECK(s.row(1)->monetary_value_holdout == 0);
  CHECK(s.row(1)->spend_holdout == 0);
  check_row(s, 2, 0, 0, 0, 0);  // id5: 01-16 in calibration, 01-17/18 in the holdout
  CHECK(s.row(2)->frequency_holdout == 2);
  CHECK(s.row(2)->monetary_value_holdout == 4.5);
  CHECK(s.row(2)->spend_holdout == 9);  // 1 + 8
  CHECK_FALSE(s.row(3).has_value());    // id6 and the new customer: first seen in the holdout
  CHECK_FALSE(s.row(4).has_value());
  CHECK(s.customers_excluded == 2);
}

TEST_CASE("calibration_periods ends the calibration periods after the first date", "[rfm]") {
  // The worked log starts on 2015-01-01; observation end 2015-02-07.
  std::vector<txn> log = worked_log;
  log.push_back({0, 2, 6, 4});
  SECTION("15 days end it on 2015-01-16: the calibration-end test's split") {
    rfm_options by_date;
    by_date.observation_end = d2015(2, 7);
    by_date.calibration_end = d2015(1, 16);
    const rfm_summary expected = summarize(log, by_date);
    for (const bool sorted : {false, true}) {
      INFO("sorted " << sorted);
      rfm_options options;
      options.observation_end = d2015(2, 7);
      options.calibration_periods = 15;
      options.sorted_by_date = sorted;
      std::vector<txn> input = log;
      // Unsorted: the first date comes last, so every row waits for it.
      if (sorted) {
        std::stable_sort(input.begin(), input.end(), [](const txn& a, const txn& b) {
          return std::tie(a.month, a.day) < std::tie(b.month, b.day);
        });
      } else {
        std::reverse(input.begin(), input.end());
      }
      const rfm_summary s = summarize(input, options);
      REQUIRE(s.calibration_end == d2015(1, 16));
      REQUIRE(s.size() == expected.size());
      CHECK(s.customers_excluded == expected.customers_excluded);
      for (std::size_t i = 0; i < s.size(); ++i) {
        INFO("customer " << i);
        REQUIRE(s.row(i).has_value() == expected.row(i).has_value());
        if (!s.row(i)) continue;
        CHECK(s.row(i)->frequency == expected.row(i)->frequency);
        CHECK(s.row(i)->recency == expected.row(i)->recency);
        CHECK(s.row(i)->T == expected.row(i)->T);
        CHECK(s.row(i)->monetary_value == expected.row(i)->monetary_value);
        CHECK(s.row(i)->frequency_holdout == expected.row(i)->frequency_holdout);
        CHECK(s.row(i)->spend_holdout == expected.row(i)->spend_holdout);
        CHECK(s.row(i)->duration_holdout == expected.row(i)->duration_holdout);
      }
    }
  }
  SECTION("weeks are 7 days: 2 weeks end it on 2015-01-15") {
    rfm_options options;
    options.observation_end = d2015(2, 7);
    options.unit = period_unit::week;
    options.calibration_periods = 2;
    const rfm_summary s = summarize(log, options);
    CHECK(s.calibration_end == d2015(1, 15));
    CHECK_FALSE(s.row(2).has_value());  // id5 first buys on 01-16, in the holdout
  }
  SECTION("the first date is of the rows up to the observation end") {
    rfm_options options;
    options.observation_end = d2015(2, 7);
    options.calibration_periods = 15;
    std::vector<txn> late = log;
    late.push_back({3, 3, 1, 5});  // after the observation end: ignored
    const rfm_summary s = summarize(late, options);
    CHECK(s.calibration_end == d2015(1, 16));
    CHECK(s.transactions_after_end == 1);
  }
  SECTION("a calibration that does not end before the observation end") {
    rfm_options options;
    options.observation_end = d2015(2, 7);
    options.calibration_periods = 37;  // 2015-01-01 + 37 days = 2015-02-07
    auto builder = rfm_builder::create(options);
    REQUIRE(builder.has_value());
    for (const txn& t : log) builder->add(t.customer, d2015(t.month, t.day), t.amount);
    const auto s = std::move(*builder).finish();
    REQUIRE_FALSE(s.has_value());
    CHECK(s.error().field == "calibration_periods");
    CHECK(s.error().message ==
          "calibration_periods 37 ends the calibration on 2015-02-07, not before the observation "
          "end 2015-02-07");
  }
  SECTION("a count out of range, or with a calibration end") {
    for (const std::int32_t n : {0, -1, 100001}) {
      rfm_options options;
      options.calibration_periods = n;
      const auto builder = rfm_builder::create(options);
      REQUIRE_FALSE(builder.has_value());
      CHECK(builder.error().field == "calibration_periods");
    }
    rfm_options options;
    options.calibration_periods = 1;
    options.calibration_end = d2015(1, 1);
    const auto builder = rfm_builder::create(options);
    REQUIRE_FALSE(builder.has_value());
    CHECK(builder.error().message == "calibration_periods and calibration_end exclude each other");
  }
}

TEST_CASE("sorted input gives the same summary with memory per customer", "[rfm]") {
  std::vector<txn> log = worked_log;
  log.push_back({1, 1, 2, 0.5});
  std::stable_sort(log.begin(), log.end(), [](const txn& a, const txn& b) {
    return std::tie(a.month, a.day) < std::tie(b.month, b.day);
  });
  for (const bool with_holdout : {false, true}) {
    rfm_options options;
    options.observation_end = d2015(2, 7);
    if (with_holdout) options.calibration_end = d2015(1, 16);
    const rfm_summary unsorted = summarize(log, options);
    options.sorted_by_date = true;
    const rfm_summary sorted = summarize(log, options);
    REQUIRE(sorted.size() == unsorted.size());
    for (std::size_t i = 0; i < sorted.size(); ++i) {
      REQUIRE(sorted.row(i).has_value() == unsorted.row(i).has_value());
      if (!sorted.row(i)) continue;
      const cltv::rfm_row a = *sorted.row(i);
      const cltv::rfm_row b = *unsorted.row(i);
      CHECK(a.frequency == b.frequency);
      CHECK(a.recency == b.recency);
      CHECK(a.T == b.T);
      CHECK(a.monetary_value == b.monetary_value);
      CHECK(a.frequency_holdout == b.frequency_holdout);
      CHECK(a.monetary_value_holdout == b.monetary_value_holdout);
      CHECK(a.spend_holdout == b.spend_holdout);
    }
  }
}

TEST_CASE("sorted input reports a row out of date order", "[rfm]") {
  rfm_options options;
  options.sorted_by_date = true;
  auto builder = rfm_builder::create(options);
  REQUIRE(builder.has_value());
  CHECK(builder->add(0, d2015(1, 5), 1) == rfm_builder::added::ok);
  CHECK(builder->add(1, d2015(1, 5), 1) == rfm_builder::added::ok);
  CHECK(builder->add(0, d2015(1, 4), 1) == rfm_builder::added::out_of_order);
}

TEST_CASE("summary errors", "[rfm]") {
  SECTION("an observation end before every purchase") {
    rfm_options options;
    options.observation_end = d2015(1, 1) - 1;
    auto builder = rfm_builder::create(options);
    REQUIRE(builder.has_value());
    builder->add(0, d2015(1, 1), 1);
    const auto s = std::move(*builder).finish();
    REQUIRE_FALSE(s.has_value());
    CHECK(s.error().field == "observation_end");
    CHECK(s.error().message == "observation_end 2014-12-31 is before every purchase in the log");
  }
  SECTION("an empty log") {
    auto builder = rfm_builder::create({});
    REQUIRE(builder.has_value());
    const auto s = std::move(*builder).finish();
    REQUIRE_FALSE(s.has_value());
    CHECK(s.error().message == "the log has no transactions");
  }
  SECTION("a calibration end not before the observation end") {
    rfm_options options;
    options.observation_end = d2015(1, 1);
    options.calibration_end = d2015(1, 1);
    const auto builder = rfm_builder::create(options);
    REQUIRE_FALSE(builder.has_value());
    CHECK(builder.error().field == "calibration_end");
  }
  SECTION("a calibration end after the default observation end") {
    rfm_options options;
    options.calibration_end = d2015(3, 1);
    auto builder = rfm_builder::create(options);
    REQUIRE(builder.has_value());
    builder->add(0, d2015(1, 1), 1);
    const auto s = std::move(*builder).finish();
    REQUIRE_FALSE(s.has_value());
    CHECK(s.error().message ==
          "calibration_end 2015-03-01 must be before the observation end 2015-01-01");
  }
  SECTION("a time unit that is not positive") {
    for (const double unit : {0.0, -7.0}) {
      rfm_options options;
      options.time_unit_days = unit;
      const auto builder = rfm_builder::create(options);
      REQUIRE_FALSE(builder.has_value());
      CHECK(builder.error().field == "time_unit");
    }
  }
}

TEST_CASE("activity: first and repeat purchases per period, by hand", "[rfm]") {
  // Weekly, calibration to Sunday 2015-01-11 (weeks of 2014-12-29, 01-05),
  // holdout to 2015-01-25. Customer 0: weeks 1, 1 (same week), 3; customer 1:
  // weeks 2, 4; customer 2: first seen in the holdout, weeks 3, 4.
  const std::vector<txn> log{{0, 1, 1, 5},  {0, 1, 2, 5},  {0, 1, 15, 5}, {1, 1, 7, 5},
                             {1, 1, 20, 5}, {2, 1, 14, 5}, {2, 1, 24, 5}};
  rfm_options o;
  o.unit = period_unit::week;
  o.calibration_end = d2015(1, 11);
  o.observation_end = d2015(1, 25);
  o.track_activity = true;
  std::vector<txn> shuffled = log;
  std::reverse(shuffled.begin(), shuffled.end());
  for (const auto& input : {log, shuffled}) {
    const rfm_summary s = summarize(input, o);
    REQUIRE(s.activity.size() == 4);
    const std::uint64_t first[] = {1, 1, 1, 0};
    const std::uint64_t repeat[] = {0, 0, 1, 2};
    for (std::size_t k = 0; k < 4; ++k) {
      INFO("week " << k + 1);
      CHECK(s.activity[k].period == s.activity[0].period + static_cast<std::int32_t>(k));
      CHECK(s.activity[k].first_purchases == first[k]);
      CHECK(s.activity[k].repeat_purchases == repeat[k]);
    }
    CHECK(cltv::period_start(s.activity[0].period, period_unit::week) ==
          cltv::days_from_civil(2014, 12, 29));
  }
  o.track_activity = false;
  CHECK(summarize(log, o).activity.empty());
}

TEST_CASE("customers split among shards give the one-builder summary", "[rfm]") {
  // A random log: 500 customers, some with more than 19 purchase periods
  // (the inline period list spills into the shared set), rows after the
  // observation end, and customers seen only in the holdout.
  std::mt19937_64 rng(20261205);
  std::vector<std::tuple<std::uint32_t, cltv::day_number, double>> log;
  for (int i = 0; i < 20000; ++i) {
    const auto customer = static_cast<std::uint32_t>(rng() % 500);
    const auto frequent = customer % 10 == 0;
    const cltv::day_number first = customer >= 490 ? d2015(5, 1) : d2015(1, 1);  // holdout only
    const cltv::day_number day = first + static_cast<int>(rng() % (frequent ? 400 : 200));
    log.emplace_back(customer, day, static_cast<double>(rng() % 10000) / 100.0);
  }
  // Customers are numbered in order of first appearance, as an id table does.
  std::vector<std::int64_t> dense(500, -1);
  std::uint32_t next = 0;
  for (auto& [customer, day, amount] : log) {
    if (dense[customer] < 0) dense[customer] = next++;
    customer = static_cast<std::uint32_t>(dense[customer]);
  }
  auto sorted_log = log;
  std::stable_sort(sorted_log.begin(), sorted_log.end(),
                   [](const auto& a, const auto& b) { return std::get<1>(a) < std::get<1>(b); });

  const auto summarize = [](const rfm_options& options, const auto& rows, std::size_t shards) {
    std::vector<rfm_builder> builders;
    for (std::size_t s = 0; s < shards; ++s) {
      auto builder = rfm_builder::create(options);
      REQUIRE(builder);
      builders.push_back(std::move(*builder));
    }
    for (const auto& [customer, day, amount] : rows)
      REQUIRE(builders[customer % shards].add(static_cast<std::uint32_t>(customer / shards), day,
                                              amount) == rfm_builder::added::ok);
    return shards == 1 ? std::move(builders.front()).finish()
                       : rfm_builder::finish_shards(std::move(builders));
  };

  rfm_options plain;
  rfm_options split;
  split.calibration_end = d2015(4, 30);
  split.observation_end = d2015(12, 31);  // rows after it: ignored
  split.track_activity = true;
  rfm_options weekly;
  weekly.unit = period_unit::week;
  weekly.track_activity = true;
  rfm_options sorted = split;
  sorted.sorted_by_date = true;
  for (const auto& [name, options] :
       {std::pair{"plain", plain}, {"split", split}, {"weekly", weekly}, {"sorted", sorted}}) {
    const auto& rows = options.sorted_by_date ? sorted_log : log;
    const auto one = summarize(options, rows, 1);
    REQUIRE(one);
    for (const std::size_t shards : {2U, 3U, 7U}) {
      INFO(name << ", " << shards << " shards");
      const auto many = summarize(options, rows, shards);
      REQUIRE(many);
      REQUIRE(many->size() == one->size());
      CHECK(many->customers_included == one->customers_included);
      CHECK(many->customers_excluded == one->customers_excluded);
      CHECK(many->transactions_after_end == one->transactions_after_end);
      CHECK(many->observation_end == one->observation_end);
      REQUIRE(many->activity.size() == one->activity.size());
      for (std::size_t k = 0; k < one->activity.size(); ++k) {
        CHECK(many->activity[k].period == one->activity[k].period);
        CHECK(many->activity[k].first_purchases == one->activity[k].first_purchases);
        CHECK(many->activity[k].repeat_purchases == one->activity[k].repeat_purchases);
      }
      for (std::size_t i = 0; i < one->size(); ++i) {
        const auto a = one->row(i);
        const auto b = many->row(i);
        REQUIRE(a.has_value() == b.has_value());
        if (!a) continue;
        // Bit for bit: each customer's amounts are summed in the same order.
        CHECK(b->frequency == a->frequency);
        CHECK(b->recency == a->recency);
        CHECK(b->T == a->T);
        CHECK(b->monetary_value == a->monetary_value);
        CHECK(b->frequency_holdout == a->frequency_holdout);
        CHECK(b->spend_holdout == a->spend_holdout);
      }
    }
  }
  CHECK(summarize(split, log, 1)->customers_excluded > 0);
  CHECK(summarize(split, log, 1)->transactions_after_end > 0);

  // calibration_periods starts at the log's first date, which one shard sees.
  rfm_options periods;
  periods.calibration_periods = 10;
  CHECK(!summarize(periods, log, 2));
}

TEST_CASE("distinct purchase periods against a set per customer, many and far apart", "[rfm]") {
  // Customers with up to 60 purchase periods (the 15 kept inline spill into
  // the shared set), some more than 2^14 days from their first (too far for
  // an inline key), repeated days, rows in random order; checked against
  // sets of days kept here. Whole amounts: their sums do not depend on order.
  std::mt19937_64 rng(20261206);
  struct row {
    std::uint32_t customer;
    cltv::day_number day;
    double amount;
  };
  const cltv::day_number start = cltv::days_from_civil(1900, 1, 1);
  const cltv::day_number calibration_end = start + 35000;
  const cltv::day_number observation_end = start + 50000;
  std::vector<row> log;
  constexpr std::uint32_t customers = 200;
  for (std::uint32_t c = 0; c < customers; ++c) {
    const int periods = 1 + static_cast<int>(rng() % 60);
    const bool far = c % 3 == 0;
    for (int k = 0; k < periods; ++k) {
      const auto day = start + static_cast<cltv::day_number>(rng() % (far ? 50000 : 400));
      const int repeats = 1 + static_cast<int>(rng() % 3);  // the same day more than once
      for (int r = 0; r < repeats; ++r) log.push_back({c, day, static_cast<double>(rng() % 100)});
      // Two days 2^15 apart: one 16-bit key each only if the range is checked.
      if (far && k < 4 && day + 32768 < observation_end)
        log.push_back({c, day + 32768, static_cast<double>(rng() % 100)});
    }
  }
  std::shuffle(log.begin(), log.end(), rng);
  // The first appearance numbers the customers, as an id table does.
  std::vector<std::int64_t> dense(customers, -1);
  std::uint32_t next = 0;
  for (row& r : log) {
    if (dense[r.customer] < 0) dense[r.customer] = next++;
    r.customer = static_cast<std::uint32_t>(dense[r.customer]);
  }
  for (const bool with_holdout : {false, true}) {
    for (const bool sorted : {false, true}) {
      INFO("holdout " << with_holdout << ", sorted " << sorted);
      rfm_options options;
      options.observation_end = observation_end;
      if (with_holdout) options.calibration_end = calibration_end;
      options.sorted_by_date = sorted;
      std::vector<row> rows = log;
      if (sorted)
        std::stable_sort(rows.begin(), rows.end(),
                         [](const row& a, const row& b) { return a.day < b.day; });
      auto builder = rfm_builder::create(options);
      REQUIRE(builder);
      for (const row& r : rows)
        REQUIRE(builder->add(r.customer, r.day, r.amount) == rfm_builder::added::ok);
      auto summary = std::move(*builder).finish();
      REQUIRE(summary);
      const cltv::day_number end = with_holdout ? calibration_end : observation_end;
      for (std::uint32_t c = 0; c < customers; ++c) {
        std::vector<cltv::day_number> days, holdout_days;
        double total = 0, holdout_total = 0;
        std::size_t holdout_rows = 0;
        for (const row& r : log) {
          if (r.customer != c) continue;
          if (r.day <= end) {
            days.push_back(r.day);
            total += r.amount;
          } else if (r.day <= observation_end) {
            holdout_days.push_back(r.day);
            holdout_total += r.amount;
            ++holdout_rows;
          }
        }
        std::sort(days.begin(), days.end());
        std::sort(holdout_days.begin(), holdout_days.end());
        const auto distinct = [](std::vector<cltv::day_number> v) {
          return static_cast<double>(std::unique(v.begin(), v.end()) - v.begin());
        };
        INFO("customer " << c);
        const auto got = summary->row(c);
        REQUIRE(got.has_value() == !days.empty());
        if (!got) continue;
        CHECK(got->frequency == distinct(days) - 1);
        CHECK(got->recency == days.back() - days.front());
        CHECK(got->T == end - days.front());
        double first_day_total = 0;
        for (const row& r : log)
          if (r.customer == c && r.day == days.front()) first_day_total += r.amount;
        if (got->frequency > 0)
          CHECK(got->monetary_value == (total - first_day_total) / got->frequency);
        if (with_holdout) {
          CHECK(got->frequency_holdout == distinct(holdout_days));
          CHECK(got->spend_holdout == holdout_total);
          CHECK(got->monetary_value_holdout ==
                (holdout_rows > 0 ? holdout_total / static_cast<double>(holdout_rows) : 0.0));
        }
      }
    }
  }
}
