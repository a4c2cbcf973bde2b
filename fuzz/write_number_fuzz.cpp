// write_number (the JSON/CSV number writer): the first 8 bytes → a double x.
// For x and the doubles derived from it — its neighbours, the subnormal with
// x's mantissa, and (from x's low bits) a power of ten and the doubles just
// below and above it — the text is JSON number grammar, stays within its 32
// bytes, and reads back (std::from_chars) as exactly the same double;
// append_number agrees. A non-finite x is refused (std::logic_error), never
// printed.

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>

#include "check.hpp"
#include "io/text.hpp"

namespace {

void check_written(double x) {
  if (!std::isfinite(x)) {
    char buffer[64];
    bool refused = false;
    try {
      cltv::cli::write_number(buffer, x);
    } catch (const std::logic_error&) {
      refused = true;
    }
    CLTV_FUZZ_CHECK(refused);
    return;
  }
  char buffer[64];
  std::memset(buffer, 'X', sizeof buffer);
  const char* end = cltv::cli::write_number(buffer, x);
  CLTV_FUZZ_CHECK(end > buffer && end <= buffer + 32);
  for (const char* p = buffer + 32; p < buffer + sizeof buffer; ++p)
    CLTV_FUZZ_CHECK(*p == 'X');  // within its documented 32 bytes
  const std::string_view text(buffer, static_cast<std::size_t>(end - buffer));
  CLTV_FUZZ_CHECK(cltv::fuzz::is_json_number(text));
  CLTV_FUZZ_CHECK(cltv::fuzz::reads_back_as(text, x));

  std::string appended = "prefix";
  cltv::cli::append_number(appended, x);
  CLTV_FUZZ_CHECK(std::string_view(appended).substr(6) == text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < sizeof(double)) return 0;
  std::uint64_t bits = 0;
  std::memcpy(&bits, data, sizeof bits);
  double x = 0;
  std::memcpy(&x, &bits, sizeof x);
  check_written(x);
  constexpr double inf = std::numeric_limits<double>::infinity();
  check_written(std::nextafter(x, inf));
  check_written(std::nextafter(x, -inf));

  // The subnormal (or zero) with x's sign and mantissa.
  const std::uint64_t subnormal_bits = bits & ~(std::uint64_t{0x7FF} << 52);
  double subnormal = 0;
  std::memcpy(&subnormal, &subnormal_bits, sizeof subnormal);
  check_written(subnormal);

  // 10^k for k in −323 … 308 and its neighbours: where the shortest digits
  // change length.
  const int k = static_cast<int>(bits % 632) - 323;
  const double power = std::pow(10.0, k);
  check_written(power);
  check_written(std::nextafter(power, 0.0));
  check_written(std::nextafter(power, inf));
  check_written(-std::nextafter(power, 0.0));
  return 0;
}
