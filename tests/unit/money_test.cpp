// Tests of cltv/money.hpp: exact decimal sums and correctly rounded quotients.

#include "cltv/money.hpp"

#include <bit>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <string>

using cltv::decimal_amount;
using cltv::money_sum;
using cltv::nearest_quotient;

namespace {

decimal_amount amount(std::string_view text) {
  auto a = cltv::parse_decimal_amount("amount", text, true);
  if (!a) FAIL("\"" << std::string(text) << "\" gave: " << a.error().message);
  return *a;
}

money_sum sum_of(std::initializer_list<std::string_view> texts) {
  money_sum s;
  for (std::string_view t : texts) s.add(amount(t));
  return s;
}

}  // namespace

TEST_CASE("parse_decimal_amount keeps the digits of a plain decimal", "[money]") {
  const decimal_amount a = amount("12.30");
  CHECK(a.exact);
  CHECK(a.units == 1230);
  CHECK(a.scale == 2);
  CHECK(a.value == 12.3);
  const decimal_amount r = amount("-7.5");
  CHECK(r.units == -75);
  CHECK(r.scale == 1);
  CHECK(r.value == -7.5);
  CHECK(amount("7").scale == 0);
  // Exponent forms and long digit strings are amounts, summed as doubles.
  const decimal_amount e = amount("1.5e3");
  CHECK_FALSE(e.exact);
  CHECK(e.value == 1500);
  CHECK_FALSE(amount("1234567890.1234567").exact);
}

TEST_CASE("parse_decimal_amount refuses what parse_amount refuses, with its message", "[money]") {
  auto negative = cltv::parse_decimal_amount("amount", "-7.5", false);
  REQUIRE_FALSE(negative);
  CHECK(negative.error().message == "amount -7.5 is negative (refunds need --allow-refunds)");
  CHECK_FALSE(cltv::parse_decimal_amount("amount", "1,000", false));
  CHECK_FALSE(cltv::parse_decimal_amount("amount", "$5", false));
  CHECK_FALSE(cltv::parse_decimal_amount("amount", "", false));
}

TEST_CASE("money_sum is the exact decimal total at the largest scale added", "[money]") {
  // 0.1 + 0.2 in doubles is 0.30000000000000004.
  const money_sum s = sum_of({"0.10", "0.2"});
  CHECK(s.exact());
  CHECK(s.text() == "0.30");
  CHECK(s.value() == 0.3);
  CHECK(sum_of({"12", "0.005"}).text() == "12.005");
  CHECK(sum_of({"12.00", "12.00"}).text() == "24.00");
  CHECK(sum_of({"-7.5", "5"}).text() == "-2.5");
  CHECK(sum_of({"-0.05"}).text() == "-0.05");
  CHECK(money_sum{}.text() == "0");
  // 10,000 × 0.01: a double running sum ends at 100.00000000000199.
  money_sum cents;
  for (int i = 0; i < 10000; ++i) cents.add(amount("0.01"));
  CHECK(cents.text() == "100.00");
  CHECK(cents.value() == 100.0);
}

TEST_CASE("money_sum adds sums", "[money]") {
  money_sum a = sum_of({"1.25"});
  a.add(sum_of({"0.125", "3"}));
  CHECK(a.text() == "4.375");
}

TEST_CASE("money_sum falls back to a compensated double sum, never to a wrong total", "[money]") {
  money_sum s = sum_of({"0.5", "1e3"});
  CHECK_FALSE(s.exact());
  CHECK(s.value() == 1000.5);
  CHECK(s.text() == "1000.5");
  // Past 64-bit units (9.2e18) the sum goes on in doubles.
  money_sum big;
  for (int i = 0; i < 10000; ++i) big.add(amount("999999999999999"));
  CHECK_FALSE(big.exact());
  CHECK(big.value() == Approx(9.99999999999999e18).epsilon(1e-15));
}

TEST_CASE("money_sum::per is the correctly rounded mean", "[money]") {
  CHECK(sum_of({"0.10", "0.2"}).per(3) == 0.1);
  CHECK(sum_of({"100.00"}).per(3) == 100.0 / 3.0);
  CHECK(sum_of({"-1"}).per(4) == -0.25);
  CHECK(sum_of({"5"}).per(0) == 0);
}

TEST_CASE("nearest_quotient rounds the exact quotient once", "[money]") {
  CHECK(nearest_quotient(1, 3) == 1.0 / 3.0);
  CHECK(nearest_quotient(29906017, 7846, 2) == 299060.17 / 7846);
  // 2^53 + 1 is no double: converting first gives 9007199254740992 / 3 =
  // 3002399751580330.67 → 3002399751580330.5; the exact quotient is
  // 3002399751580331.
  CHECK(nearest_quotient(9007199254740993ULL, 3) == 3002399751580331.0);
  // Ties go to even: 2^53 + 1 → 2^53; 2^53 + 3 → 2^53 + 4.
  CHECK(nearest_quotient(9007199254740993ULL, 1) == 9007199254740992.0);
  CHECK(nearest_quotient(9007199254740995ULL, 1) == 9007199254740996.0);
  // Just above a tie rounds up: (2^54 + 3) / 2 = 2^53 + 1.5 → 2^53 + 2.
  CHECK(nearest_quotient(18014398509481987ULL, 2) == 9007199254740994.0);
  CHECK(nearest_quotient(UINT64_MAX, 1) == 18446744073709551616.0);
  CHECK(nearest_quotient(0, 7) == 0);
  // A denominator past 2^64 with its decimal shift.
  CHECK(nearest_quotient(1, 1000000000000ULL, 15) == 1e-27);
}

TEST_CASE("read_plain_decimal_amount is parse_decimal_amount's fast path", "[money]") {
  decimal_amount a;
  REQUIRE(cltv::read_plain_decimal_amount("12.30", false, a));
  CHECK((a.exact && a.units == 1230 && a.scale == 2 && a.value == 12.3));
  CHECK_FALSE(cltv::read_plain_decimal_amount("-7.5", false,
                                              a));  // a refund: the error is parse_decimal_amount's
  REQUIRE(cltv::read_plain_decimal_amount("-7.5", true, a));
  CHECK((a.units == -75 && a.scale == 1 && a.value == -7.5));
  REQUIRE(cltv::read_plain_decimal_amount("-0", false, a));  // zero, not a refund
  CHECK((a.units == 0 && !std::signbit(a.value)));
  for (const char* text : {"1.5e3", "1234567890123456", "", "-", ".5", "5.", "+5", "1,000", " 5"}) {
    CAPTURE(text);
    CHECK_FALSE(cltv::read_plain_decimal_amount(text, true, a));
  }
  // Wherever it reads, it gives parse_decimal_amount's amount to the bit.
  for (const char* text : {"0.1", "0.3", "999999999999999", "99999999999999.9", "0.00000000000001",
                           "123456.789012345", "-0.00", "7"}) {
    CAPTURE(text);
    REQUIRE(cltv::read_plain_decimal_amount(text, true, a));
    const decimal_amount general = amount(text);
    CHECK(std::bit_cast<std::uint64_t>(a.value) == std::bit_cast<std::uint64_t>(general.value));
    CHECK((a.units == general.units && a.scale == general.scale && a.exact));
  }
}
