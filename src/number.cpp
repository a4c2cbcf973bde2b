#include "cltv/number.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <system_error>

namespace cltv {
namespace {

std::string quoted(std::string_view text) {
  return '"' + printable(text) + '"';
}

error not_a_number(std::string_view field, std::string_view text, number_style style) {
  std::string what =
      style == number_style::rate       ? " must be a number or a percentage (e.g. 5%), got "
      : style == number_style::multiple ? " must be a number or a multiple (e.g. 3x), got "
                                        : " must be a number, got ";
  return {std::string(field), std::string(field) + what + quoted(text)};
}

// from_chars on the whole text, accepting only decimal notation (no "inf",
// "nan", hex, or leading '+').
std::errc parse_decimal(std::string_view text, double& out) {
  if (text.empty()) return std::errc::invalid_argument;
  const char first = text.front() == '-' && text.size() > 1 ? text[1] : text.front();
  if (!((first >= '0' && first <= '9') || first == '.')) return std::errc::invalid_argument;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out, std::chars_format::general);
  if (ec == std::errc{} && ptr != end) return std::errc::invalid_argument;
  return ec;
}

// "x%" → the decimal text of x / 100, made by shifting the exponent, so that
// the only rounding is the final one done by from_chars.
std::errc percent_as_scientific(std::string_view number, std::string& out) {
  std::string_view mantissa = number;
  long exponent = 0;
  if (auto e = number.find_first_of("eE"); e != std::string_view::npos) {
    mantissa = number.substr(0, e);
    std::string_view exp_text = number.substr(e + 1);
    // One optional sign only: "5e+-2%" is not a number.
    const bool plus = !exp_text.empty() && exp_text.front() == '+';
    if (plus) exp_text.remove_prefix(1);
    const std::size_t digits_at = !plus && !exp_text.empty() && exp_text.front() == '-' ? 1 : 0;
    if (exp_text.size() <= digits_at || exp_text[digits_at] < '0' || exp_text[digits_at] > '9')
      return std::errc::invalid_argument;
    const char* end = exp_text.data() + exp_text.size();
    auto [ptr, ec] = std::from_chars(exp_text.data(), end, exponent);
    if (ptr != end) return std::errc::invalid_argument;
    if (ec != std::errc{}) return ec;  // an exponent beyond long: out of range
    if (exponent < -1000000) return std::errc::result_out_of_range;  // keeps exponent - 2 defined
  }
  out.assign(mantissa);
  out += 'e';
  out += std::to_string(exponent - 2);
  return std::errc{};
}

// "3x", "3X" or "3×" → "3"; anything else as it is.
std::string_view without_times_sign(std::string_view text) {
  constexpr std::string_view times = "×";
  if (text.size() > 1 && (text.back() == 'x' || text.back() == 'X'))
    return text.substr(0, text.size() - 1);
  if (text.size() > times.size() && text.ends_with(times))
    return text.substr(0, text.size() - times.size());
  return text;
}

}  // namespace

result<double> parse_number(std::string_view field, std::string_view text, number_style style) {
  double value = 0;
  std::errc ec{};
  if (style == number_style::multiple) {
    ec = parse_decimal(without_times_sign(text), value);
  } else if (style == number_style::rate && !text.empty() && text.back() == '%') {
    std::string scientific;
    ec = percent_as_scientific(text.substr(0, text.size() - 1), scientific);
    if (ec == std::errc{}) ec = parse_decimal(scientific, value);
  } else {
    ec = parse_decimal(text, value);
  }
  if (ec == std::errc::result_out_of_range)
    return error{
        std::string(field),
        std::string(field) + " is out of range (not a finite double), got " + quoted(text)};
  if (ec != std::errc{} || !std::isfinite(value)) return not_a_number(field, text, style);
  return value + 0.0;  // -0 → +0
}

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte != 0x7F) {
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else {
      static constexpr char hex[] = "0123456789abcdef";
      out += "\\x";
      out += hex[byte >> 4];
      out += hex[byte & 0xF];
    }
  }
  return out;
}

std::string percent_hint(double v) {
  if (!(v > 1 && v <= 100)) return {};
  const std::string number = format_shortest(v);
  return " (for " + number + " percent, write " + number + "%)";
}

std::string format_shortest(double x) {
  std::array<char, 32> buf{};
  auto [ptr, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), x);
  return ec == std::errc{} ? std::string(buf.data(), ptr) : std::string("?");
}

std::string format_significant(double x, int digits) {
  std::array<char, 32> buf{};
  auto [ptr, ec] =
      std::to_chars(buf.data(), buf.data() + buf.size(), x, std::chars_format::general, digits);
  return ec == std::errc{} ? std::string(buf.data(), ptr) : format_shortest(x);
}

bool parse_plain_decimal_digits(std::string_view text, std::int64_t& units, int& scale) noexcept {
  std::size_t i = 0;
  const bool negative = !text.empty() && text[0] == '-';
  if (negative) i = 1;
  std::uint64_t digits = 0;
  int count = 0;
  int decimals = -1;  // digits after the point; -1: no point yet
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      digits = digits * 10 + static_cast<std::uint64_t>(c - '0');
      if (++count > 15) return false;
      if (decimals >= 0) ++decimals;
    } else if (c == '.' && decimals < 0 && count > 0) {
      decimals = 0;
    } else {
      return false;
    }
  }
  if (count == 0 || decimals == 0) return false;             // "", "-", "5."
  const auto magnitude = static_cast<std::int64_t>(digits);  // < 10^15
  units = negative ? -magnitude : magnitude;
  scale = decimals < 0 ? 0 : decimals;
  return true;
}

// "123.45" and "-7" exactly and fast: with at most 15 digits, the digits form
// an integer below 2^53 and 10^k (k <= 15) is exact too, so one IEEE division
// rounds the exact quotient correctly — the same double from_chars gives
// (Clinger's fast path). Anything else takes the general path.
bool parse_plain_decimal(std::string_view text, double& out) noexcept {
  static constexpr double powers[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  std::int64_t units = 0;
  int scale = 0;
  if (!parse_plain_decimal_digits(text, units, scale)) return false;
  out = static_cast<double>(units) / powers[scale];
  return true;
}

namespace {

error negative_amount(std::string_view field, double value) {
  return error{std::string(field), std::string(field) + " " + format_shortest(value) +
                                       " is negative (refunds need --allow-refunds)"};
}

}  // namespace

std::optional<error> beyond_max_amount(std::string_view field, double value) {
  if (std::fabs(value) <= max_amount) return std::nullopt;
  return error{std::string(field), std::string(field) + " " + format_shortest(value) +
                                       " is beyond ±1e15, the largest amount cltv accepts (check "
                                       "the data's units and columns)"};
}

result<double> parse_data_number(std::string_view field, std::string_view text) {
  double value = 0;
  if (parse_plain_decimal(text, value)) return value == 0 ? 0.0 : value;  // no -0
  const char* begin = text.data();
  const char* end = begin + text.size();
  const auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc() || ptr != end || !std::isfinite(value) || text.empty()) {
    // from_chars takes "inf"/"nan" and hex-less forms only; "+5" and " 5" fail here too.
    auto strict = parse_number(field, text, number_style::plain);
    if (!strict) return std::move(strict).error();
    value = *strict;
  }
  return value == 0 ? 0.0 : value;  // no -0
}

result<double> parse_amount(std::string_view field, std::string_view text, bool allow_refunds) {
  auto value = parse_data_number(field, text);
  if (!value) return value;
  if (auto e = beyond_max_amount(field, *value)) return *std::move(e);
  if (*value < 0 && !allow_refunds) return negative_amount(field, *value);
  return value;
}

}  // namespace cltv
