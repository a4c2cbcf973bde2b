// Tests of cltv/models/backtest.hpp: holdout errors of a BG/NBD fit.

#include "cltv/models/backtest.hpp"

#include <catch2/catch.hpp>

#include <cmath>
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
