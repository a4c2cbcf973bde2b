// parse_number, the one text → double path of flags and JSON strings, in
// both styles. Invariants:
// - a parse yields a finite double that is never -0, or an error with a
//   non-empty one-line message naming the field;
// - style rate accepts everything style plain accepts, with the same value
//   (plain never accepts '%');
// - "x%" (x without an exponent) is exactly parse("xe-2"): one rounding;
// - "x%" with an exponent equals the exponent shifted by two.

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include "check.hpp"
#include "cltv/number.hpp"

namespace {

using cltv::number_style;
using cltv::parse_number;

void check_outcome(const cltv::result<double>& r) {
  if (r) {
    CLTV_FUZZ_CHECK(std::isfinite(*r));
    CLTV_FUZZ_CHECK(!(*r == 0 && std::signbit(*r)));
  } else {
    CLTV_FUZZ_CHECK(r.error().field == "churn");
    CLTV_FUZZ_CHECK(cltv::fuzz::is_one_line_message(r.error().message));
    CLTV_FUZZ_CHECK(r.error().message.rfind("churn ", 0) == 0);
  }
}

bool same(const cltv::result<double>& a, const cltv::result<double>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a || *a == *b;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  const auto plain = parse_number("churn", text, number_style::plain);
  const auto rate = parse_number("churn", text, number_style::rate);
  check_outcome(plain);
  check_outcome(rate);
  if (plain) {
    CLTV_FUZZ_CHECK(text.empty() || text.back() != '%');
    CLTV_FUZZ_CHECK(rate && *rate == *plain);
  }
  if (!text.empty() && text.back() == '%') {
    CLTV_FUZZ_CHECK(!plain);
    const std::string_view x = text.substr(0, text.size() - 1);
    const auto e = x.find_first_of("eE");
    if (e == std::string_view::npos) {
      // No exponent: x% is the decimal x·10⁻², rounded once.
      const auto shifted = parse_number("churn", std::string(x) + "e-2", number_style::plain);
      CLTV_FUZZ_CHECK(same(rate, shifted));
    } else if (rate) {
      // With an exponent written as e[+-]d… (a small one): shift it by two.
      const std::string_view mantissa = x.substr(0, e);
      std::string_view exp_text = x.substr(e + 1);
      const bool negative = !exp_text.empty() && exp_text.front() == '-';
      if (!exp_text.empty() && (exp_text.front() == '-' || exp_text.front() == '+'))
        exp_text.remove_prefix(1);
      if (!exp_text.empty() && exp_text.size() <= 6 &&
          exp_text.find_first_not_of("0123456789") == std::string_view::npos) {
        const long magnitude = std::stol(std::string(exp_text));
        const long exponent = (negative ? -magnitude : magnitude) - 2;
        const auto shifted = parse_number(
            "churn", std::string(mantissa) + "e" + std::to_string(exponent), number_style::plain);
        CLTV_FUZZ_CHECK(same(rate, shifted));
      }
    }
    // A percentage is a hundredth of its number; 1e-300% may underflow to
    // a subnormal or 0, so compare only where the division is exact enough.
    const auto whole = parse_number("churn", x, number_style::plain);
    if (rate && whole && std::fabs(*whole) > 1e-290 && std::fabs(*whole) < 1e300)
      CLTV_FUZZ_CHECK(std::fabs(*rate - *whole / 100) <= std::fabs(*rate) * 1e-15);
  }
  return 0;
}
