#include "cltv/money.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

#include "cltv/number.hpp"

namespace cltv {

namespace {

__extension__ using uint128 = unsigned __int128;

constexpr std::int64_t power_of_ten(int k) noexcept {
  std::int64_t p = 1;
  for (int i = 0; i < k; ++i) p *= 10;
  return p;
}

// |x| without overflow at INT64_MIN.
std::uint64_t magnitude(std::int64_t x) noexcept {
  return x < 0 ? ~static_cast<std::uint64_t>(x) + 1 : static_cast<std::uint64_t>(x);
}

int bit_length(uint128 x) noexcept {
  const auto high = static_cast<std::uint64_t>(x >> 64);
  if (high != 0) return 128 - std::countl_zero(high);
  return 64 - std::countl_zero(static_cast<std::uint64_t>(x));
}

// The double nearest n / d for n < 2^64, 0 < d < 2^120. Long division to at
// least 64 significant quotient bits, the remainder folded into the lowest
// bit ("sticky"): those bits lie at least 11 places below the last one a
// double keeps, so the one conversion to double rounds as the exact quotient
// would.
double nearest_quotient_wide(std::uint64_t n, uint128 d) noexcept {
  if (n == 0) return 0;
  uint128 q = n / d;
  uint128 r = n % d;
  int exponent = 0;
  while (bit_length(q) < 64) {
    r <<= 1;  // r < d < 2^120: no overflow
    q <<= 1;
    if (r >= d) {
      r -= d;
      q |= 1;
    }
    --exponent;
  }
  if (r != 0) q |= 1;
  return std::ldexp(static_cast<double>(q), exponent);
}

}  // namespace

double nearest_quotient(std::uint64_t numerator, std::uint64_t denominator,
                        int denominator_decimal_shift) noexcept {
  constexpr std::uint64_t exact_below = std::uint64_t{1} << 53;
  const auto shift = static_cast<std::uint64_t>(power_of_ten(denominator_decimal_shift));
  const uint128 d = uint128{denominator} * shift;
  // Both operands exact as doubles: IEEE division rounds the quotient once.
  if (numerator < exact_below && d < exact_below)
    return static_cast<double>(numerator) / static_cast<double>(static_cast<std::uint64_t>(d));
  return nearest_quotient_wide(numerator, d);
}

bool read_plain_decimal_amount(std::string_view text, bool allow_refunds,
                               decimal_amount& out) noexcept {
  std::int64_t units = 0;
  int scale = 0;
  if (!parse_plain_decimal_digits(text, units, scale)) return false;
  if (units < 0 && !allow_refunds) return false;
  out.units = units;
  out.scale = static_cast<std::int8_t>(scale);
  out.exact = true;
  out.value = nearest_quotient(magnitude(units), 1, scale);
  if (units < 0) out.value = -out.value;
  return true;
}

result<decimal_amount> parse_decimal_amount(std::string_view field, std::string_view text,
                                            bool allow_refunds) {
  decimal_amount a;
  if (read_plain_decimal_amount(text, allow_refunds, a)) return a;
  auto value = parse_amount(field, text, allow_refunds);
  if (!value) return std::move(value).error();
  a.value = *value;
  a.exact = false;
  return a;
}

void money_sum::become_inexact() noexcept {
  if (!exact_) return;
  sum_ = value();
  compensation_ = 0;
  exact_ = false;
}

void money_sum::add_double(double x) noexcept {
  // Neumaier's compensated sum: the low part each addition loses is kept apart.
  const double t = sum_ + x;
  compensation_ += std::fabs(sum_) >= std::fabs(x) ? (sum_ - t) + x : (x - t) + sum_;
  sum_ = t;
}

void money_sum::add(const decimal_amount& amount) noexcept {
  if (exact_ && amount.exact) {
    std::int64_t units = amount.units;
    std::int64_t total = units_;
    bool overflow = false;
    if (amount.scale > scale_)
      overflow = __builtin_mul_overflow(total, power_of_ten(amount.scale - scale_), &total);
    else
      overflow = __builtin_mul_overflow(units, power_of_ten(scale_ - amount.scale), &units);
    if (!overflow) overflow = __builtin_add_overflow(total, units, &total);
    if (!overflow) {
      units_ = total;
      scale_ = std::max<int>(scale_, amount.scale);
      return;
    }
  }
  become_inexact();
  add_double(amount.value);
}

void money_sum::add(const money_sum& other) noexcept {
  if (other.exact_) {
    decimal_amount a;
    a.units = other.units_;
    a.scale = static_cast<std::int8_t>(other.scale_);
    a.exact = true;
    a.value = other.value();
    add(a);
    return;
  }
  become_inexact();
  add_double(other.sum_);
  add_double(other.compensation_);
}

double money_sum::value() const noexcept {
  if (!exact_) return sum_ + compensation_;
  const double size = nearest_quotient(magnitude(units_), 1, scale_);
  return units_ < 0 ? -size : size;
}

double money_sum::per(std::uint64_t count) const noexcept {
  if (count == 0) return 0;
  if (!exact_) return value() / static_cast<double>(count);
  const double size = nearest_quotient(magnitude(units_), count, scale_);
  return units_ < 0 ? -size : size;
}

std::string money_sum::text() const {
  if (!exact_) return format_shortest(value());
  std::string digits = std::to_string(magnitude(units_));
  if (scale_ > 0) {
    const auto width = static_cast<std::size_t>(scale_) + 1;  // at least "0." before the digits
    if (digits.size() < width) digits.insert(0, width - digits.size(), '0');
    digits.insert(digits.size() - static_cast<std::size_t>(scale_), 1, '.');
  }
  return units_ < 0 ? "-" + digits : digits;
}

}  // namespace cltv
