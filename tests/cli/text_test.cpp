// Number and text formatting of the output writers.
#include "io/text.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>

namespace {

std::string via_to_chars(double x) {
  std::array<char, 64> buf{};
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), x);
  return std::string(buf.data(), end);
}

std::string via_write_number(double x) {
  std::array<char, 64> buf{};
  return std::string(buf.data(), cltv::cli::write_number(buf.data(), x));
}

}  // namespace

TEST_CASE("write_number prints the shortest text that reads back exactly", "[text]") {
  const auto reads_back = [](double x) {
    const std::string text = via_write_number(x);
    double back = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), back);
    return ec == std::errc{} && end == text.data() + text.size() && back == x;
  };
  SECTION("whole numbers as integers, even where to_chars would use an exponent") {
    CHECK(via_write_number(0.0) == "0");
    CHECK(via_write_number(-0.0) == "0");
    CHECK(via_write_number(3.0) == "3");
    CHECK(via_write_number(100000.0) == "100000");  // to_chars: "1e+05"
    CHECK(via_write_number(-250.0) == "-250");
    CHECK(via_write_number(999999999999999.0) == "999999999999999");
    CHECK(via_write_number(1e15) == via_to_chars(1e15));  // beyond the integer path: "1e+15"
  }
  SECTION("up to six decimals in fixed notation, even where to_chars would use an exponent") {
    CHECK(via_write_number(0.0007) == "0.0007");  // to_chars: "7e-04"
    CHECK(via_write_number(0.000001) == "0.000001");
    CHECK(via_write_number(-0.05) == "-0.05");
    CHECK(via_write_number(1539.36) == "1539.36");
  }
  SECTION("everything else as std::to_chars prints it") {
    const double values[] = {0.1,
                             24.96,
                             -24.96,
                             0.001,
                             0.0015,
                             0.0009999999,
                             1e-7,
                             1.5e-7,
                             4.166666666666667,
                             123456789.5,
                             999999999.999999,
                             1e9 + 0.5,
                             1e100,
                             1e-100,
                             std::numeric_limits<double>::max(),
                             std::numeric_limits<double>::min(),
                             std::numeric_limits<double>::denorm_min(),
                             2.5e+21,
                             1.2345678901234569e+23};
    for (const double x : values) {
      INFO("x = " << via_to_chars(x));
      CHECK(via_write_number(x) == via_to_chars(x));
      CHECK(reads_back(x));
    }
  }
  SECTION("random doubles over every magnitude, money amounts and ratios") {
    std::mt19937_64 rng(20261123);
    std::uniform_int_distribution<std::uint64_t> bits;
    std::uniform_real_distribution<double> money(0.0, 10000.0);
    int mismatches = 0;
    int not_read_back = 0;
    const auto check = [&](double x) {
      const auto whole = static_cast<std::int64_t>(x);
      const bool integer_path = std::fabs(x) < 1e15 && static_cast<double>(whole) == x;
      // Notation, not digits: integers, small numbers, and whole numbers from
      // 2^64 on, which write_number puts in exponent form.
      const bool may_differ = integer_path || std::fabs(x) < 1e-3 || std::fabs(x) >= 0x1p64;
      if (!may_differ && via_write_number(x) != via_to_chars(x)) ++mismatches;
      if (!reads_back(x)) ++not_read_back;
    };
    for (int i = 0; i < 200000; ++i) {
      double x = 0;
      const std::uint64_t b = bits(rng);
      std::memcpy(&x, &b, sizeof x);
      if (std::isfinite(x)) check(x);
      check(std::round(money(rng) * 100.0) / 100.0);  // cents
      check(std::round(money(rng)) / 10000.0);        // rates like 0.1702
      check(money(rng) / 7.0);                        // 17 significant digits
    }
    CHECK(mismatches == 0);
    CHECK(not_read_back == 0);
  }
  SECTION("whole numbers from 2^64 on are in exponent form, which 64-bit readers take") {
    CHECK(via_write_number(102238677192710881280.0) == "1.0223867719271088e+20");
    CHECK(via_write_number(0x1p64) == "1.8446744073709552e+19");
    CHECK(via_write_number(-0x1p64) == "-1.8446744073709552e+19");
    CHECK(via_write_number(18446744073709549568.0) == "18446744073709549568");  // below 2^64
    CHECK(reads_back(102238677192710881280.0));
  }
  SECTION("the extremes: the largest double, subnormals, just below powers of ten") {
    CHECK(via_write_number(std::numeric_limits<double>::max()) == "1.7976931348623157e+308");
    CHECK(via_write_number(-std::numeric_limits<double>::max()) == "-1.7976931348623157e+308");
    CHECK(via_write_number(std::numeric_limits<double>::denorm_min()) == "5e-324");
    CHECK(via_write_number(std::numeric_limits<double>::min()) == "2.2250738585072014e-308");
    int failures = 0;
    for (int k = -323; k <= 308; ++k) {
      const double power = std::pow(10.0, k);
      for (const double x : {power, std::nextafter(power, 0.0),
                             std::nextafter(power, std::numeric_limits<double>::infinity()),
                             -std::nextafter(power, 0.0)})
        if (std::isfinite(x) && !reads_back(x)) ++failures;
    }
    // Subnormals: every bit of the mantissa alone, and all of them.
    for (int bit = 0; bit < 52; ++bit) {
      const std::uint64_t b = std::uint64_t{1} << bit;
      double x = 0;
      std::memcpy(&x, &b, sizeof x);
      if (!reads_back(x)) ++failures;
    }
    const std::uint64_t all = (std::uint64_t{1} << 52) - 1;
    double largest_subnormal = 0;
    std::memcpy(&largest_subnormal, &all, sizeof largest_subnormal);
    if (!reads_back(largest_subnormal)) ++failures;
    CHECK(failures == 0);
  }
  SECTION("a non-finite value is the caller's bug: refused, never printed") {
    CHECK_THROWS_AS(via_write_number(std::numeric_limits<double>::infinity()), std::logic_error);
    CHECK_THROWS_AS(via_write_number(-std::numeric_limits<double>::infinity()), std::logic_error);
    CHECK_THROWS_AS(via_write_number(std::numeric_limits<double>::quiet_NaN()), std::logic_error);
  }
}

TEST_CASE("unprintable_id: ids are printable UTF-8 text", "[text]") {
  using cltv::cli::unprintable_id;
  CHECK(unprintable_id("customer_id", "C-00042").empty());
  CHECK(unprintable_id("customer_id", "Zoë 北京 🙂").empty());  // UTF-8 letters and symbols
  CHECK(unprintable_id("customer_id", std::string("a\0b", 3)) ==
        "customer_id holds a control character (0x00 at byte 2): ids must be printable text");
  CHECK(unprintable_id("id", "a\tb") ==
        "id holds a control character (0x09 at byte 2): ids must be printable text");
  CHECK(unprintable_id("id", "x\x7F") ==
        "id holds a control character (0x7F at byte 2): ids must be printable text");
  CHECK(unprintable_id("id", "x\xC2\x85") ==  // U+0085, a C1 control (NEL)
        "id holds a control character (0x85 at byte 2): ids must be printable text");
  CHECK(unprintable_id("id", "ab\xFF") ==
        "id is not valid UTF-8 (byte 0xFF at byte 3): ids must be text");
  CHECK(unprintable_id("id", "\xC3") ==
        "id is not valid UTF-8 (byte 0xC3 at byte 1): ids must be text");
  CHECK(unprintable_id("id", "\xED\xA0\x80") ==  // an encoded surrogate
        "id is not valid UTF-8 (byte 0xED at byte 1): ids must be text");
}

TEST_CASE("people's numbers: grouping, percentages, trimming", "[text]") {
  using cltv::cli::grouped;
  CHECK(grouped(1250.0, 2) == "1,250.00");
  CHECK(grouped(-1234567.891, 2) == "-1,234,567.89");  // rounded half-way up by printf
  CHECK(grouped(-0.001, 2) == "0.00");                 // no "-0.00"
  CHECK(grouped(999.999, 2) == "1,000.00");
  CHECK(cltv::cli::percent(0.04) == "4%");
  CHECK(cltv::cli::percent(0.0125) == "1.25%");
  CHECK(cltv::cli::trimmed_number(25.0, 2) == "25");
  CHECK(cltv::cli::trimmed_number(7.5, 2) == "7.5");
}

TEST_CASE("decode_json_string turns a JSON string literal into its text", "[text]") {
  using cltv::cli::decode_json_string;
  CHECK(decode_json_string(R"("plain")") == "plain");
  CHECK(decode_json_string(R"("")").empty());
  CHECK(decode_json_string(R"("a\"b\\c\/d")") == "a\"b\\c/d");
  CHECK(decode_json_string(R"("tab\tnew\nline")") == "tab\tnew\nline");
  CHECK(decode_json_string(R"("\u00e9")") == "\xC3\xA9");                // é
  CHECK(decode_json_string(R"("\ud83d\ude00")") == "\xF0\x9F\x98\x80");  // 😀 from a surrogate pair
  CHECK(decode_json_string(R"("\ud83d")") == "\xEF\xBF\xBD");            // a lone surrogate: U+FFFD
}

TEST_CASE("display width and padding count columns, not bytes", "[text]") {
  using cltv::cli::display_width;
  using cltv::cli::pad_left;
  using cltv::cli::pad_right;
  SECTION("×, — and − are one column each (two or three bytes in UTF-8)") {
    CHECK(display_width("4.17×") == 5);
    CHECK(display_width("LTV − CAC") == 9);
    CHECK(display_width("—") == 1);
    CHECK(display_width("") == 0);
  }
  SECTION("padding to a width, never cutting a longer text") {
    CHECK(pad_left("—", 3) == "  —");
    CHECK(pad_right("×", 3) == "×  ");
    CHECK(pad_left("1,250.00", 4) == "1,250.00");
    CHECK(pad_right("LTV", 3) == "LTV");
  }
}
