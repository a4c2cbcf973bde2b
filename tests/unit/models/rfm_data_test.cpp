// Tests of cltv/models/rfm_data.hpp: row checks, compress_rfm and the
// streaming rfm_compressor (tag [rfm]).

#include "cltv/models/rfm_data.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <random>
#include <tuple>
#include <vector>

using Catch::Matchers::Equals;
using cltv::models::rfm_compressor;
using cltv::models::rfm_tuple;

namespace {

using tuple_counts = std::map<std::tuple<double, double, double>, double>;

tuple_counts counted(const std::vector<rfm_tuple>& rows) {
  tuple_counts out;
  for (const rfm_tuple& r : rows) out[{r.x, r.t_x, r.T}] += r.count;
  return out;
}

}  // namespace

TEST_CASE("compress_rfm merges equal rows and sorts them", "[rfm]") {
  const std::vector<rfm_tuple> rows{
      {2, 30.43, 38.86, 1}, {0, 0, 38.86, 1}, {0, 0, 38.86, 1}, {2, 30.43, 38.86, 2.5}};
  auto c = cltv::models::compress_rfm(rows);
  REQUIRE(c.has_value());
  REQUIRE(c->size() == 2);
  CHECK((*c)[0].x == 0);
  CHECK((*c)[0].count == 2);  // 1 + 1
  CHECK((*c)[1].x == 2);
  CHECK((*c)[1].count == 3.5);  // 1 + 2.5
}

TEST_CASE("compress_rfm agrees with a map, on few and on many distinct rows", "[rfm]") {
  // Whole-week times (64-bit keys) and continuous times (whole tuples);
  // −0 and +0 are the same recency.
  auto check = [](const std::vector<rfm_tuple>& rows) {
    std::map<std::tuple<double, double, double>, double> expected;
    for (const rfm_tuple& r : rows) expected[{r.x, r.t_x, r.T}] += r.count;
    auto c = cltv::models::compress_rfm(rows);
    REQUIRE(c.has_value());
    REQUIRE(c->size() == expected.size());
    std::size_t i = 0, mismatches = 0;
    for (const auto& [key, count] : expected) {
      const rfm_tuple& t = (*c)[i++];
      if (std::make_tuple(t.x, t.t_x, t.T) != key || t.count != count) ++mismatches;
    }
    CHECK(mismatches == 0);
    // Compressing again changes nothing.
    auto again = cltv::models::compress_rfm(*c);
    REQUIRE(again.has_value());
    CHECK(again->size() == c->size());
  };
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> unit(0, 1);
  auto rows = [&](std::size_t n, bool whole_weeks) {
    std::vector<rfm_tuple> out;
    for (std::size_t i = 0; i < n; ++i) {
      const double x = static_cast<double>(i % 7);
      double T = 10 + 30 * unit(rng), t_x = x > 0 ? T * unit(rng) : 0;
      if (whole_weeks) T = std::ceil(T), t_x = std::floor(t_x);
      out.push_back({x, t_x, T, 1});
    }
    return out;
  };
  std::vector<rfm_tuple> weeks = rows(50'000, true);
  weeks.push_back({0, -0.0, 40, 1});
  weeks.push_back({0, 0.0, 40, 2});
  check(weeks);
  check(rows(70'000, false));
}

TEST_CASE("compress_rfm checks rows as lifetimes does, naming field and values", "[rfm]") {
  auto error_of = [](rfm_tuple bad) {
    const std::vector<rfm_tuple> rows{{1, 1, 2, 1}, bad};
    auto c = cltv::models::compress_rfm(rows);
    REQUIRE_FALSE(c.has_value());
    return c.error();
  };
  auto e = error_of({1.5, 1, 2, 1});
  CHECK(e.field == "frequency");
  CHECK_THAT(e.message, Equals("frequency must be a whole number ≥ 0, got 1.5 (row 2)"));
  e = error_of({-1, 0, 2, 1});
  CHECK(e.field == "frequency");
  e = error_of({1, 3, 2, 1});
  CHECK(e.field == "recency");
  CHECK_THAT(e.message, Equals("recency must not exceed T, got recency 3 > T 2 (row 2)"));
  e = error_of({0, 1, 2, 1});
  CHECK_THAT(e.message, Equals("recency must be 0 when frequency is 0, got recency 1 (row 2)"));
  e = error_of({1, -1, 2, 1});
  CHECK_THAT(e.message, Equals("recency must be a non-negative number, got -1 (row 2)"));
  e = error_of({0, 0, -1, 1});
  CHECK(e.field == "T");
  CHECK_THAT(e.message, Equals("T must be a non-negative number, got -1 (row 2)"));
  e = error_of({0, 0, std::nan(""), 1});
  CHECK(e.field == "T");
  e = error_of({1, 1, 2, 0});
  CHECK(e.field == "count");
  CHECK_FALSE(cltv::models::compress_rfm(std::vector<rfm_tuple>{}).has_value());
}

TEST_CASE("rfm_compressor merges a stream as compress_rfm does", "[rfm]") {
  std::mt19937_64 rng(11);
  std::uniform_int_distribution<int> day(0, 400);
  std::vector<rfm_tuple> rows;
  rfm_compressor merged;
  for (int i = 0; i < 30'000; ++i) {
    const auto x = static_cast<std::uint64_t>(i % 9);
    const auto T = static_cast<std::uint64_t>(day(rng));
    const std::uint64_t t_x = x == 0 ? 0 : T / 2;
    rows.push_back({static_cast<double>(x), static_cast<double>(t_x), static_cast<double>(T), 1});
    if (i % 2 == 0) {
      CHECK(merged.add_whole(x, t_x, T));
    } else {
      CHECK_FALSE(merged.add(rows.back()).has_value());
    }
  }
  // Customers without repeat purchases are counted by T below 2^16, keyed
  // above: both merge and sort in place.
  for (const std::uint64_t T : {65535U, 65536U, 70000U, 65535U, 70000U}) {
    rows.push_back({0, 0, static_cast<double>(T), 1});
    CHECK(merged.add_whole(0, 0, T));
  }
  rows.push_back({0, 0, 70000, 2});
  CHECK_FALSE(merged.add(rows.back()).has_value());
  CHECK(merged.rows() == rows.size());
  const std::vector<rfm_tuple> tuples = merged.take();
  CHECK(counted(tuples) == counted(rows));
  CHECK(std::is_sorted(tuples.begin(), tuples.end(), [](const rfm_tuple& l, const rfm_tuple& r) {
    return std::tie(l.x, l.t_x, l.T) < std::tie(r.x, r.t_x, r.T);
  }));
  CHECK(merged.rows() == 0);  // take() empties it
  CHECK(merged.take().empty());
}

TEST_CASE("rfm_compressor keeps whole tuples once a row does not fit the key", "[rfm]") {
  // Whole-number rows first (keys), then fractional times and a frequency of
  // 2^20 (too big for the key): the merged rows move over, nothing is lost.
  rfm_compressor merged;
  std::vector<rfm_tuple> rows;
  for (int i = 0; i < 5'000; ++i) {
    const rfm_tuple row{static_cast<double>(i % 4), static_cast<double>(i % 4 == 0 ? 0 : 3),
                        static_cast<double>(10 + i % 50), 1};
    rows.push_back(row);
    REQUIRE_FALSE(merged.add(row).has_value());
  }
  rows.push_back({2, 30.43, 38.86, 2.5});
  rows.push_back({1048576, 5, 6, 1});
  rows.push_back({0, -0.0, 10, 1});  // merges with {0, 0, 10}
  for (std::size_t i = rows.size() - 3; i < rows.size(); ++i)
    REQUIRE_FALSE(merged.add(rows[i]).has_value());
  CHECK_FALSE(merged.add_whole(1, 1, 2));  // no keys any more: the caller uses add()
  REQUIRE_FALSE(merged.add({1, 1, 2, 1}).has_value());
  rows.push_back({1, 1, 2, 1});
  const std::vector<rfm_tuple> tuples = merged.take();
  CHECK(counted(tuples) == counted(rows));
  CHECK(tuples.back().x == 1048576);
}

TEST_CASE("rfm_compressor refuses bad rows and leaves the rest merged", "[rfm]") {
  rfm_compressor merged;
  CHECK(merged.add_whole(2, 5, 9));
  CHECK_FALSE(merged.add_whole(2, 10, 9));                      // t_x > T
  CHECK_FALSE(merged.add_whole(0, 1, 9));                       // recency without repeat purchases
  CHECK_FALSE(merged.add_whole(1, 1, std::uint64_t{1} << 22));  // T beyond the key
  auto e = merged.add({2, 10, 9, 1}, 7);
  REQUIRE(e.has_value());
  CHECK(e->field == "recency");
  CHECK_THAT(e->message, Equals("recency must not exceed T, got recency 10 > T 9 (row 7)"));
  e = merged.add({1, 1, 2, -1});
  REQUIRE(e.has_value());
  CHECK(e->field == "count");
  CHECK(merged.rows() == 1);
  REQUIRE_FALSE(merged.add({1, 1, std::ldexp(1.0, 22), 1}).has_value());  // fine via add()
  const std::vector<rfm_tuple> tuples = merged.take();
  REQUIRE(tuples.size() == 2);
  CHECK(tuples[0].x == 1);
  CHECK(tuples[0].T == std::ldexp(1.0, 22));
  CHECK(tuples[1].x == 2);
  CHECK(tuples[1].count == 1);
}

TEST_CASE("the customers a summary row stands for: a whole number from 1 to 1e9", "[rfm]") {
  CHECK(*cltv::models::check_customer_count(1) == 1);
  CHECK(*cltv::models::check_customer_count(1e9) == 1e9);
  for (const double bad : {0.0, 2.5, -3.0, 1e9 + 1}) {
    auto c = cltv::models::check_customer_count(bad);
    REQUIRE_FALSE(c);
    CHECK(c.error().field == "count");
  }
  CHECK_THAT(cltv::models::check_customer_count(2.5).error().message,
             Equals("count must be a whole number from 1 to 1e9, got 2.5"));
}

TEST_CASE("a frequency is a whole number of repeat purchases", "[rfm_data]") {
  CHECK(*cltv::models::check_frequency(0) == 0);
  CHECK(*cltv::models::check_frequency(7) == 7);
  for (const double bad : {-1.0, 2.5, 9007199254740992.0, std::nan("")}) {
    const auto r = cltv::models::check_frequency(bad);
    REQUIRE_FALSE(r);
    CHECK(r.error().field == "frequency");
  }
  CHECK(cltv::models::check_frequency(-1).error().message ==
        "frequency must be a whole number ≥ 0, got -1");
}
