// Tests of cltv/models/backtest.hpp: holdout errors of a BG/NBD fit.

#include "cltv/models/backtest.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

using Catch::Matchers::Contains;
using Catch::Matchers::WithinRel;
using cltv::models::holdout_customer;

namespace {
// CDNOW's published MLE (models.md, FHL 2005).
const cltv::models::bgnbd_params cdnow{0.242592907311523, 4.413531562534638, 0.7928861432016427,
                                       2.425753423914082};
}  // namespace

TEST_CASE("backtest: errors, totals and frequency groups by hand", "[backtest]") {
  // Four customers, 39-week holdout. The predictions are E[Y(39) | x, t_x, T]
  // (1.2259 for the FHL worked example); errors and groups are summed here
  // independently of the function.
  const std::vector<holdout_customer> customers{{{2, 30.43, 38.86}, 1, 39},
                                                {{0, 0, 38.86}, 0, 39},
                                                {{9, 30, 38.86}, 4, 39},
                                                {{12, 38, 38.86}, 7, 39}};
  std::vector<double> predicted(customers.size());
  auto r = cltv::models::backtest_bgnbd(cdnow, customers, 7, predicted);
  REQUIRE(r);
  double abs = 0, sq = 0, total = 0;
  for (std::size_t i = 0; i < customers.size(); ++i) {
    auto p = cltv::models::conditional_expected_purchases(cdnow, customers[i].calibration, 39);
    REQUIRE(p);
    CHECK(predicted[i] == *p);
    abs += std::fabs(*p - customers[i].actual);
    sq += (*p - customers[i].actual) * (*p - customers[i].actual);
    total += *p;
  }
  CHECK_THAT(predicted[0], WithinRel(1.2259, 1e-4));
  CHECK(r->customers == 4);
  CHECK_THAT(r->mean_absolute_error, WithinRel(abs / 4, 1e-14));
  CHECK_THAT(r->root_mean_squared_error, WithinRel(std::sqrt(sq / 4), 1e-14));
  CHECK(r->actual_total == 12);
  CHECK_THAT(r->predicted_total, WithinRel(total, 1e-14));
  // Groups 0 … 6 and 7+: x = 9 and 12 share the last one.
  REQUIRE(r->by_frequency.size() == 8);
  CHECK(r->by_frequency[0].customers == 1);
  CHECK(r->by_frequency[1].customers == 0);
  CHECK(r->by_frequency[1].actual_mean == 0);
  CHECK(r->by_frequency[2].customers == 1);
  CHECK(r->by_frequency[2].actual_mean == 1);
  const auto& last = r->by_frequency[7];
  CHECK(last.or_more);
  CHECK(last.frequency == 7);
  CHECK(last.customers == 2);
  CHECK(last.actual_mean == 5.5);
  CHECK_THAT(last.predicted_mean, WithinRel((predicted[2] + predicted[3]) / 2, 1e-14));
}

TEST_CASE("backtest: a shorter last group and a perfect-looking zero", "[backtest]") {
  // A zero-length holdout predicts 0 purchases: error = actual.
  const std::vector<holdout_customer> customers{{{1, 5, 10}, 2, 0}, {{3, 8, 10}, 0, 0}};
  auto r = cltv::models::backtest_bgnbd(cdnow, customers, 2);
  REQUIRE(r);
  CHECK(r->mean_absolute_error == 1);
  CHECK(r->root_mean_squared_error == std::sqrt(2.0));
  CHECK(r->predicted_total == 0);
  REQUIRE(r->by_frequency.size() == 3);
  CHECK(r->by_frequency[1].customers == 1);
  CHECK(r->by_frequency[2].customers == 1);  // x = 3 in "2+"
}

TEST_CASE("backtest: bad input is named", "[backtest]") {
  const std::vector<holdout_customer> ok{{{1, 5, 10}, 1, 5}};
  CHECK(cltv::models::backtest_bgnbd(cdnow, ok, 0).error().field == "max_frequency");
  CHECK(cltv::models::backtest_bgnbd(cdnow, {}, 7).error().field == "input");
  const std::vector<holdout_customer> negative{{{1, 5, 10}, 1, 5}, {{1, 5, 10}, -1, 5}};
  auto e = cltv::models::backtest_bgnbd(cdnow, negative, 7);
  REQUIRE_FALSE(e);
  CHECK(e.error().field == "frequency_holdout");
  CHECK_THAT(e.error().message, Contains("customer 2"));
  const std::vector<holdout_customer> bad_row{{{1, 50, 10}, 1, 5}};
  CHECK(cltv::models::backtest_bgnbd(cdnow, bad_row, 7).error().field == "recency");
  const std::vector<holdout_customer> nan_duration{{{1, 5, 10}, 1, std::nan("")}};
  CHECK(cltv::models::backtest_bgnbd(cdnow, nan_duration, 7).error().field == "duration_holdout");
  std::vector<double> wrong(3);
  CHECK(cltv::models::backtest_bgnbd(cdnow, ok, 7, wrong).error().field == "predicted");
}

TEST_CASE("backtest: any purchase model, as its own backtest", "[backtest]") {
  const std::vector<holdout_customer> customers{{{2, 30.43, 38.86}, 1, 39}, {{0, 0, 38.86}, 0, 39}};
  const cltv::models::pareto_nbd_params pareto{0.5534, 10.5802, 0.6061, 11.6562};  // BTYD, CDNOW
  auto bg = cltv::models::backtest(cltv::models::purchase_model{cdnow}, customers);
  auto own_bg = cltv::models::backtest_bgnbd(cdnow, customers);
  REQUIRE(bg);
  REQUIRE(own_bg);
  CHECK(bg->mean_absolute_error == own_bg->mean_absolute_error);
  CHECK(bg->predicted_total == own_bg->predicted_total);
  auto pnbd = cltv::models::backtest(cltv::models::purchase_model{pareto}, customers);
  auto own_pnbd = cltv::models::backtest_pareto_nbd(pareto, customers);
  REQUIRE(pnbd);
  REQUIRE(own_pnbd);
  CHECK(pnbd->predicted_total == own_pnbd->predicted_total);
}

TEST_CASE("backtest: the holdout customers of a calibration summary", "[backtest]") {
  // Days; calibration to 2015-01-10, holdout to 2015-01-31 (21 days).
  // Customer 0 buys 01-01, 01-05 (calibration: x 1, t_x 4, T 9) and 01-20
  // (holdout: 1); customer 1 is first seen in the holdout (left out);
  // customer 2 buys once on 01-08 (x 0, t_x 0, T 2).
  cltv::rfm_options options;
  options.observation_end = cltv::days_from_civil(2015, 1, 31);
  options.calibration_end = cltv::days_from_civil(2015, 1, 10);
  auto builder = cltv::rfm_builder::create(options);
  REQUIRE(builder);
  for (const auto& [customer, day] :
       std::vector<std::pair<std::uint32_t, int>>{{0, 1}, {0, 5}, {0, 20}, {1, 25}, {2, 8}})
    builder->add(customer, cltv::days_from_civil(2015, 1, day), 10);
  auto summary = std::move(*builder).finish();
  REQUIRE(summary);
  auto holdout = cltv::models::holdout_customers(*summary);
  REQUIRE(holdout);
  const cltv::models::holdout_data& h = *holdout;
  REQUIRE(h.customers.size() == 2);
  CHECK(h.index == std::vector<std::size_t>{0, 2});
  const holdout_customer& first = h.customers[0];
  CHECK(first.calibration.x == 1);
  CHECK(first.calibration.t_x == 4);
  CHECK(first.calibration.T == 9);
  CHECK(first.actual == 1);
  CHECK(first.duration == 21);
  CHECK(h.customers[1].calibration.T == 2);
  CHECK(h.customers[1].actual == 0);

  SECTION("an empty holdout: months that fall in one period") {
    options.unit = cltv::period_unit::month;
    options.observation_end = cltv::days_from_civil(2015, 1, 20);
    auto monthly = cltv::rfm_builder::create(options);
    REQUIRE(monthly);
    monthly->add(0, cltv::days_from_civil(2015, 1, 1), 10);
    auto s = std::move(*monthly).finish();
    REQUIRE(s);
    auto empty = cltv::models::holdout_customers(*s);
    REQUIRE_FALSE(empty);
    CHECK(empty.error().message ==
          "the holdout is empty: the observation end 2015-01-20 is not after the calibration end "
          "2015-01-10");
  }
}

TEST_CASE("backtest: the maximum error rule", "[backtest]") {
  CHECK(*cltv::models::check_max_error(0) == 0);
  auto negative = cltv::models::check_max_error(-1);
  REQUIRE_FALSE(negative);
  CHECK(negative.error().message == "max_error must be >= 0, got -1");
  cltv::models::backtest_report r;
  r.mean_absolute_error = 0.5;
  CHECK_FALSE(cltv::models::exceeds_max_error(r, 0.5));  // equal passes
  CHECK(cltv::models::exceeds_max_error(r, 0.49));
}
