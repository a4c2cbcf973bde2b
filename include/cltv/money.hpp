#pragma once
// Money summed exactly. Amounts typed as decimals ("12.30", "-7.5") add up to
// the exact decimal at the input's scale — cents stay cents — instead of a
// binary floating-point total such as 299060.169999989; and a mean of such a
// sum (ARPU, order value) is the correctly rounded double of the exact
// quotient, so that printed shortest it shows the digits a hand calculation
// gives.

#include <cstdint>
#include <string>
#include <string_view>

#include "cltv/error.hpp"

namespace cltv {

/// An amount and, when it was typed as a plain decimal of at most 15 digits,
/// its digits: value = units × 10^−scale exactly.
struct decimal_amount {
  double value = 0;        ///< the nearest double
  std::int64_t units = 0;  ///< with exact: the digits, signed ("-12.30" → −1230)
  std::int8_t scale = 0;   ///< with exact: digits after the point (0 … 15)
  bool exact = true;       ///< false for "1e3" or more than 15 digits: summed as a double
};

/// Parses an amount as parse_amount does (same checks and messages) and keeps
/// its digits.
///
/// Example: cltv::parse_decimal_amount("amount", "12.30", false)  // {12.3, 1230, 2, true}
[[nodiscard]] result<decimal_amount> parse_decimal_amount(std::string_view field,
                                                          std::string_view text,
                                                          bool allow_refunds);

/// The fast path of parse_decimal_amount: true, with `out` the amount it
/// gives, when `text` is a plain decimal of at most 15 digits ("12.30",
/// "-7": negative only with `allow_refunds`); false for anything else, which
/// parse_decimal_amount then reads (exponents, more digits) or words as an
/// error. Never allocates.
[[nodiscard]] bool read_plain_decimal_amount(std::string_view text, bool allow_refunds,
                                             decimal_amount& out) noexcept;

/// A sum of amounts, exact while every amount is exact and the total fits in
/// 64-bit units at the largest scale added (±9.2e16 at cents); beyond that
/// (an amount in exponent form, or an overflow) a compensated double sum.
///
/// Example:
///   money_sum s;
///   s.add(*parse_decimal_amount("amount", "0.10", false));
///   s.add(*parse_decimal_amount("amount", "0.2", false));
///   s.text();   // "0.30" (a double sum prints 0.30000000000000004)
///   s.per(3);   // 0.1, the double nearest 0.30 / 3
class money_sum {
 public:
  void add(const decimal_amount& amount) noexcept;
  void add(const money_sum& other) noexcept;

  /// Whether the sum is the exact decimal total of what was added.
  [[nodiscard]] bool exact() const noexcept { return exact_; }
  /// The double nearest the sum.
  [[nodiscard]] double value() const noexcept;
  /// The double nearest sum / count; 0 when count is 0.
  [[nodiscard]] double per(std::uint64_t count) const noexcept;
  /// The exact sum at the largest scale added ("299060.17", "24.00", "-3");
  /// when not exact, the shortest text of value().
  [[nodiscard]] std::string text() const;

 private:
  void become_inexact() noexcept;
  void add_double(double x) noexcept;

  std::int64_t units_ = 0;  // while exact: the sum × 10^scale_
  int scale_ = 0;
  bool exact_ = true;
  double sum_ = 0, compensation_ = 0;  // once inexact: Neumaier's sum and its lost low part
};

/// The double nearest numerator / denominator (denominator > 0), computed
/// from the exact integers: one rounding, where converting both to doubles
/// first would round up to three times.
[[nodiscard]] double nearest_quotient(std::uint64_t numerator, std::uint64_t denominator,
                                      int denominator_decimal_shift = 0) noexcept;

}  // namespace cltv
