// Tests of cltv/models/history_matrix.hpp (tag [history-matrix]): the grid's
// axes, cells against the model's own predictions, and BG/NBD's P(alive)
// worked by hand where recency = T.

#include "cltv/models/history_matrix.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include "test_support.hpp"

using Catch::Matchers::WithinRel;
using cltv::models::bgnbd_params;
using cltv::models::purchase_model;
using cltv_test::value_of;

namespace {

const purchase_model cdnow{cltv_test::btyd_rounded};

}  // namespace

TEST_CASE("history matrix: lifetimes' whole-number grid while it fits", "[history-matrix]") {
  const auto m = value_of(cltv::models::make_history_matrix(cdnow, 20, 39, 1));
  REQUIRE(m.frequencies.size() == 21);
  REQUIRE(m.recencies.size() == 40);
  CHECK(m.recencies.back() == 39);
  CHECK(m.frequencies[7] == 7);
  // No customer has no repeat purchases and a recency above 0.
  CHECK(std::isnan(m.p_alive_at(0, 5)));
  // BG/NBD: without repeat purchases she is alive.
  CHECK(m.p_alive_at(0, 0) == 1);
  // Bought at the very end (t_x = T): the odds of being dead are a/(b + x − 1);
  // x = 1: 0.793/2.426, P(alive) = 1/(1 + 0.32688) = 0.753645…
  CHECK_THAT(m.p_alive_at(1, 39), WithinRel(1 / (1 + 0.793 / 2.426), 1e-12));
  // Every cell is the model's own prediction.
  for (const std::size_t f : {1U, 5U, 20U})
    for (const std::size_t r : {0U, 10U, 39U}) {
      const cltv::models::rfm_tuple h{m.frequencies[f], m.recencies[r], 39, 1};
      CHECK(m.p_alive_at(f, r) == value_of(cltv::models::probability_alive(cdnow, h)));
      CHECK(m.expected_at(f, r) ==
            value_of(cltv::models::conditional_expected_purchases(cdnow, h, 1)));
    }
  // The longer since her last purchase, the less likely she is alive.
  for (std::size_t r = 1; r < m.recencies.size(); ++r)
    CHECK(m.p_alive_at(10, r - 1) < m.p_alive_at(10, r));
}

TEST_CASE("history matrix: large axes are stepped, ending at the largest values",
          "[history-matrix]") {
  const auto m = value_of(cltv::models::make_history_matrix(cdnow, 1000, 2000.5, 4, 100));
  CHECK(m.frequencies.size() <= 100);
  CHECK(m.frequencies[1] == 11);  // ⌈1000 / 99⌉
  CHECK(m.frequencies.back() == 1000);
  REQUIRE(m.recencies.size() == 100);
  CHECK(m.recencies.back() == 2000.5);
  CHECK(m.horizon == 4);
  const auto small = value_of(cltv::models::make_history_matrix(cdnow, 0, 2.5, 1));
  CHECK(small.frequencies.size() == 1);
  CHECK(small.recencies == std::vector<double>{0, 1, 2, 2.5});
}

TEST_CASE("history matrix: refused inputs", "[history-matrix]") {
  CHECK(cltv::models::make_history_matrix(cdnow, 1.5, 10, 1).error().field == "max_frequency");
  CHECK(cltv::models::make_history_matrix(cdnow, 3, -1, 1).error().field == "T");
  CHECK(cltv::models::make_history_matrix(cdnow, 3, 10, NAN).error().field == "horizon");
  CHECK(cltv::models::make_history_matrix(cdnow, 3, 10, 1, 1).error().field == "cells");
}
