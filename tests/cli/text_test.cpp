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
      const bool may_differ = integer_path || std::fabs(x) < 1e-3;  // notation, not digits
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
