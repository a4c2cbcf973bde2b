#pragma once
// Text → number, exactly and strictly: the one place where user-typed numbers
// ("0.05", "5%", "1e3") become doubles, for flags and JSON strings alike.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "cltv/error.hpp"

namespace cltv {

/// Whether a trailing '%' is accepted.
enum class number_style {
  plain,     ///< money, counts, multiples: "120", "1.5e3"
  rate,      ///< rates also accept a percentage: "0.05" or "5%"
  multiple,  ///< a ratio such as a target also takes a times sign: "3", "3x", "3×"
};

/// Parses the whole of `text` as a finite double, or fails naming `field`.
///
/// Nothing but the number is allowed: no spaces, no thousands separators, no
/// "inf"/"nan", no out-of-range values ("1e400"). With number_style::rate a
/// single trailing '%' divides by 100 exactly: the decimal exponent is shifted
/// before rounding, so "0.07%" is the double nearest 0.0007 (not 0.07 / 100).
/// With number_style::multiple a single trailing 'x', 'X' or '×' is dropped.
/// A negative zero is returned as +0.
///
/// Example:
///   auto churn = cltv::parse_number("churn", "4%", cltv::number_style::rate);  // 0.04
[[nodiscard]] result<double> parse_number(std::string_view field, std::string_view text,
                                          number_style style);

/// Parses a number of a data file (a count, a time, an amount) strictly: a
/// finite decimal number, no thousands separators or currency signs, fast
/// for plain decimals ("123.45", "-7"). A negative zero is returned as +0.
///
/// Example: cltv::parse_data_number("T", "38.86")  // 38.86
[[nodiscard]] result<double> parse_data_number(std::string_view field, std::string_view text);

/// The largest amount a transaction may carry, either sign: a quadrillion.
/// Far beyond any real order, and low enough that no sum, mean or model
/// figure built from amounts can overflow a double (it would take 1e293
/// rows): an amount beyond it is a broken export, refused with its line.
inline constexpr double max_amount = 1e15;

/// The error for an amount (or a mean of amounts) beyond ±max_amount, or
/// nullopt within it.
///
/// Example: cltv::beyond_max_amount("amount", 1e308)->message
///          // "amount 1e+308 is beyond ±1e15, the largest amount cltv accepts (…)"
[[nodiscard]] std::optional<error> beyond_max_amount(std::string_view field, double value);

/// Parses a transaction amount as parse_data_number does, within
/// ±max_amount; a negative amount only when `allow_refunds`, else an error
/// that says so.
///
/// Example: cltv::parse_amount("amount", "-7.5", false)  // error: amount -7.5 is negative (…)
///          cltv::parse_amount("amount", "1e308", false)  // error: amount 1e+308 is beyond …
[[nodiscard]] result<double> parse_amount(std::string_view field, std::string_view text,
                                          bool allow_refunds);

/// A plain decimal ("123.45", "-7": at most 15 digits, no exponent) parsed
/// fast, to the double from_chars gives; false for anything else, which
/// parse_number then parses or explains.
[[nodiscard]] bool parse_plain_decimal(std::string_view text, double& out) noexcept;

/// The digits of a plain decimal, as parse_plain_decimal accepts it: "-12.30"
/// → units −1230, scale 2 (value = units × 10^−scale); false for anything else.
[[nodiscard]] bool parse_plain_decimal_digits(std::string_view text, std::int64_t& units,
                                              int& scale) noexcept;

/// `text` with control characters escaped (\n, \t, \x00 …), so that an error
/// message quoting user input stays on one line.
[[nodiscard]] std::string printable(std::string_view text);

/// Shortest text that reads back as exactly `x` ("0.1", "1000", "1e+300").
/// Used in error messages so they show the value the user gave.
[[nodiscard]] std::string format_shortest(double x);

/// `x` to `digits` significant digits, as printf's %g writes it ("0.003003",
/// "1e-05"): for numbers a person reads in a message, not for data.
[[nodiscard]] std::string format_significant(double x, int digits);

/// What an out-of-range rate `v` most likely meant: a value above 1 and up to
/// 100 reads as a percentage typed without its sign (--churn 3.5 for 3.5 %),
/// so the hint names that form; empty otherwise.
///
/// Example: cltv::percent_hint(3.5) == " (for 3.5 percent, write 3.5%)"
[[nodiscard]] std::string percent_hint(double v);

}  // namespace cltv
