// Tests of cltv/models/frequency_histogram.hpp (tag [frequency-histogram]):
// the actual counts by hand, the expected ones against BTYD's published
// P(X(t) = n) and against the model's own probabilities summed by hand.

#include "cltv/models/frequency_histogram.hpp"

#include <catch2/catch.hpp>

#include <vector>
#include "test_support.hpp"

using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using cltv::models::bgnbd_params;
using cltv::models::frequency_bucket;
using cltv::models::purchase_model;
using cltv::models::rfm_tuple;
using cltv_test::value_of;

namespace {

const purchase_model cdnow{cltv_test::btyd_rounded};

double total(const std::vector<frequency_bucket>& b, double frequency_bucket::*member) {
  double sum = 0;
  for (const frequency_bucket& k : b) sum += k.*member;
  return sum;
}

}  // namespace

TEST_CASE("frequency histogram: actual customers by repeat purchases, the last bucket open",
          "[frequency-histogram]") {
  const std::vector<rfm_tuple> rows{{0, 0, 30, 1},  {1, 5, 30, 1},   {1, 9, 20, 2},
                                    {7, 20, 30, 1}, {12, 25, 30, 1}, {6, 20, 25, 1}};
  const auto b = value_of(cltv::models::frequency_histogram(cdnow, rows, 7));
  REQUIRE(b.size() == 8);  // 0 … 6, 7+
  CHECK(b[0].actual == 1);
  CHECK(b[1].actual == 3);  // one row, and one row standing for two customers
  CHECK(b[6].actual == 1);
  CHECK(b[7].actual == 2);  // 7 and 12 repeat purchases
  CHECK(b[7].open);
  CHECK_FALSE(b[6].open);
  CHECK(b[7].repeat_purchases == 7);
  // Both columns count every customer once.
  CHECK(total(b, &frequency_bucket::actual) == 7);
  CHECK_THAT(total(b, &frequency_bucket::expected), WithinRel(7.0, 1e-12));
}

TEST_CASE("frequency histogram: one customer's expected counts are the model's P(X(T) = k)",
          "[frequency-histogram]") {
  // BTYD's value, as lifetimes' tests use it (reference/models.md): at these
  // parameters P(X(39) = 0) = 0.5737864 for a new
  // customer over 39 weeks.
  const auto b =
      value_of(cltv::models::frequency_histogram(cdnow, std::vector<rfm_tuple>{{0, 0, 39, 1}}, 3));
  CHECK_THAT(b[0].expected, WithinAbs(0.5737864, 1e-7));
  const auto p = value_of(cltv::models::probabilities_of_purchases(cdnow, 39, 2));
  CHECK_THAT(b[1].expected, WithinRel(p[1], 1e-15));
  CHECK_THAT(b[2].expected, WithinRel(p[2], 1e-15));
  CHECK_THAT(b[3].expected, WithinRel(1 - p[0] - p[1] - p[2], 1e-12));
}

TEST_CASE("frequency histogram: customers of one age share the probabilities; weights add",
          "[frequency-histogram]") {
  const std::vector<rfm_tuple> apart{{0, 0, 20, 1}, {2, 10, 20, 1}, {1, 3, 20, 1}, {0, 0, 5, 1}};
  const std::vector<rfm_tuple> counted{{0, 0, 20, 3}, {0, 0, 5, 1}};
  const auto a = value_of(cltv::models::frequency_histogram(cdnow, apart, 4));
  const auto c = value_of(cltv::models::frequency_histogram(cdnow, counted, 4));
  const auto p20 = value_of(cltv::models::probabilities_of_purchases(cdnow, 20, 3));
  const auto p5 = value_of(cltv::models::probabilities_of_purchases(cdnow, 5, 3));
  for (std::size_t k = 0; k < 4; ++k) {
    // Expected counts depend on the ages only, not on the histories.
    CHECK_THAT(a[k].expected, WithinRel(3 * p20[k] + p5[k], 1e-12));
    CHECK_THAT(c[k].expected, WithinRel(a[k].expected, 1e-12));
  }
  CHECK(a[0].actual == 2);
  CHECK(c[0].actual == 4);
}

TEST_CASE("frequency histogram: refused inputs", "[frequency-histogram]") {
  const std::vector<rfm_tuple> rows{{0, 0, 10, 1}};
  auto zero = cltv::models::frequency_histogram(cdnow, rows, 0);
  REQUIRE_FALSE(zero);
  CHECK(zero.error().field == "open_from");
  auto bad_row =
      cltv::models::frequency_histogram(cdnow, std::vector<rfm_tuple>{{1.5, 0, 10, 1}}, 7);
  REQUIRE_FALSE(bad_row);
  CHECK(bad_row.error().field == "frequency");
  auto empty = value_of(cltv::models::frequency_histogram(cdnow, std::vector<rfm_tuple>{}, 2));
  CHECK(empty.size() == 3);
  CHECK(total(empty, &frequency_bucket::expected) == 0);
}
