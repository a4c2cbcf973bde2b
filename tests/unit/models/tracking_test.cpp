// Tests of cltv/models/tracking.hpp (tag [tracking]): hand sums of E[X(t)]
// over cohorts, the cumulative curves' properties, and a simulation of the
// model's customers entering period by period.

#include "cltv/models/tracking.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <vector>
#include "test_support.hpp"

using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using cltv::models::bgnbd_params;
using cltv::models::period_purchases;
using cltv::models::purchase_model;
using cltv_test::value_of;

namespace {

const purchase_model cdnow{cltv_test::btyd_rounded};

double e(double t) {
  return value_of(cltv::models::expected_purchases(cdnow, t));
}

}  // namespace

TEST_CASE("Tracking sums E[X(t)] over the cohorts by their age", "[tracking]") {
  // Weekly periods of a model in days (L = 7): 2 customers enter in week 1,
  // 1 in week 2, none in week 3.
  const std::vector<period_purchases> periods{{2, 0}, {1, 3}, {0, 4}};
  const auto rows = value_of(cltv::models::track_repeat_purchases(cdnow, periods, 7));
  REQUIRE(rows.size() == 3);
  CHECK_THAT(rows[0].expected_cumulative, WithinRel(2 * e(7), 1e-14));
  CHECK_THAT(rows[1].expected_cumulative, WithinRel(2 * e(14) + e(7), 1e-14));
  CHECK_THAT(rows[2].expected_cumulative, WithinRel(2 * e(21) + e(14), 1e-14));
  CHECK_THAT(rows[2].expected, WithinRel(2 * (e(21) - e(14)) + e(14) - e(7), 1e-12));
  CHECK(rows[0].actual == 0);
  CHECK(rows[1].actual == 3);
  CHECK(rows[2].actual_cumulative == 7);
  CHECK(value_of(cltv::models::track_repeat_purchases(cdnow, {}, 1)).empty());
  CHECK_FALSE(cltv::models::track_repeat_purchases(cdnow, periods, 0));
  CHECK_FALSE(cltv::models::track_repeat_purchases(cdnow, periods, -1));
}

TEST_CASE("Tracking's expected curve never falls", "[tracking]") {
  std::vector<period_purchases> periods(80);
  for (std::size_t k = 0; k < periods.size(); ++k) periods[k].first_purchases = (k * 37) % 11;
  for (const purchase_model& m :
       {cdnow, purchase_model{cltv::models::pareto_nbd_params{0.5534, 10.5802, 0.6061, 11.6562}}}) {
    const auto rows = value_of(cltv::models::track_repeat_purchases(m, periods, 1));
    for (std::size_t k = 1; k < rows.size(); ++k) {
      CHECK(rows[k].expected >= -1e-12);
      CHECK(rows[k].expected_cumulative >= rows[k - 1].expected_cumulative - 1e-12);
    }
  }
}

TEST_CASE("Tracking agrees with a simulated base", "[tracking]") {
  // 3,000 BG/NBD customers a week enter for 10 weeks; their repeat purchases
  // are counted by the week they fall in, over 30 weeks.
  const bgnbd_params p{0.243, 4.414, 0.793, 2.426};
  std::mt19937_64 rng(2005);
  std::gamma_distribution<double> rate(p.r, 1 / p.alpha);
  std::gamma_distribution<double> ga(p.a, 1), gb(p.b, 1);
  std::uniform_real_distribution<double> unit(0, 1);
  constexpr int weeks = 30, entering = 3000;
  std::vector<period_purchases> periods(weeks);
  for (int week = 0; week < 10; ++week) {
    periods[static_cast<std::size_t>(week)].first_purchases = entering;
    for (int i = 0; i < entering; ++i) {
      const double lambda = rate(rng);
      const double x = ga(rng), y = gb(rng);
      const double dropout = x / (x + y);
      double t = week;  // enters at the start of the week
      while (true) {
        t += std::exponential_distribution<double>(lambda)(rng);
        if (t >= weeks) break;
        ++periods[static_cast<std::size_t>(t)].repeat_purchases;
        if (unit(rng) < dropout) break;
      }
    }
  }
  const auto rows = value_of(cltv::models::track_repeat_purchases(cdnow, periods, 1));
  // About 11,000 purchases by the end: within 3% (several standard errors).
  CHECK_THAT(rows.back().actual_cumulative, WithinRel(rows.back().expected_cumulative, 0.03));
  CHECK_THAT(rows[9].actual_cumulative, WithinRel(rows[9].expected_cumulative, 0.05));
}

TEST_CASE("Tracking a discrete-time model counts opportunities after the entry period",
          "[tracking]") {
  // BG/BB, yearly periods = opportunities: by the end of the year she entered
  // in, a donor has had no opportunity; by the end of the next, one.
  const purchase_model drive{cltv::models::bgbb_params{1.204, 0.750, 0.657, 2.783}};
  const auto x = [&](double n) { return value_of(cltv::models::expected_purchases(drive, n)); };
  const std::vector<period_purchases> periods{{2, 0}, {1, 1}, {0, 2}};
  const auto rows = value_of(cltv::models::track_repeat_purchases(drive, periods, 1));
  CHECK(rows[0].expected_cumulative == 0);
  CHECK_THAT(rows[1].expected_cumulative, WithinRel(2 * x(1), 1e-14));
  CHECK_THAT(rows[2].expected_cumulative, WithinRel(2 * x(2) + x(1), 1e-14));
}
