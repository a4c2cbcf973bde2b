#include "cltv/period.hpp"

#include <array>
#include <cmath>
#include <string>

#include "cltv/number.hpp"

namespace cltv {

std::string_view to_string(period p) noexcept {
  return p == period::year ? "year" : "month";
}

std::string_view plural(period p) noexcept {
  return p == period::year ? "years" : "months";
}

std::optional<period> parse_period(std::string_view text) noexcept {
  // ASCII case-insensitive: "Month" and "YEAR" are what people type.
  std::array<char, 8> lower{};
  if (text.size() > lower.size()) return std::nullopt;
  for (std::size_t i = 0; i < text.size(); ++i)
    lower[i] = text[i] >= 'A' && text[i] <= 'Z' ? static_cast<char>(text[i] - 'A' + 'a') : text[i];
  const std::string_view word(lower.data(), text.size());
  if (word == "month" || word == "monthly") return period::month;
  if (word == "year" || word == "yearly" || word == "annual") return period::year;
  return std::nullopt;
}

result<period> parse_period(std::string_view field, std::string_view text) {
  if (auto p = parse_period(text)) return *p;
  return error{std::string(field), std::string(field) + " must be \"month\" or \"year\", got \"" +
                                       printable(text) + "\""};
}

// Both directions go through log1p/expm1 so that small churn rates keep their
// precision (1 − (1 − c)^12 loses digits for c near 0 when computed directly).
double annual_churn_from_monthly(double monthly_churn) noexcept {
  return -std::expm1(12.0 * std::log1p(-monthly_churn));
}

double monthly_churn_from_annual(double annual_churn) noexcept {
  return -std::expm1(std::log1p(-annual_churn) / 12.0);
}

double annual_rate_from_monthly(double monthly_rate) noexcept {
  return std::expm1(12.0 * std::log1p(monthly_rate));
}

double monthly_rate_from_annual(double annual_rate) noexcept {
  return std::expm1(std::log1p(annual_rate) / 12.0);
}

std::string_view to_string(periodic_quantity q) noexcept {
  switch (q) {
    case periodic_quantity::churn:
      return "churn";
    case periodic_quantity::arpu:
      return "arpu";
    case periodic_quantity::discount_rate:
      break;
  }
  return "discount_rate";
}

namespace {

// `formula` with its one letter (`symbol`) replaced by `value`, shortest.
std::string worked_formula(std::string_view formula, char symbol, double value) {
  std::string out(formula);
  const std::size_t at = out.find(symbol);
  if (at != std::string::npos) out.replace(at, 1, format_shortest(value));
  return out;
}

std::optional<error> check_convertible(periodic_quantity quantity, double value) {
  const std::string_view field = to_string(quantity);
  if (quantity == periodic_quantity::churn) {
    // 100 % churn loses everyone in the first period, in either period: there
    // is nothing to restate.
    if (value >= 0 && value < 1) return std::nullopt;
    return error{std::string(field), std::string(field) + " must be in [0, 1), got " +
                                         format_shortest(value) + percent_hint(value)};
  }
  if (value >= 0 && std::isfinite(value)) return std::nullopt;
  return error{std::string(field),
               std::string(field) + " must be >= 0, got " + format_shortest(value)};
}

}  // namespace

result<period_conversion> convert_period(periodic_quantity quantity, double value, period to) {
  if (auto e = check_convertible(quantity, value)) return *e;
  const bool to_year = to == period::year;
  period_conversion c;
  c.quantity = quantity;
  c.from = to_year ? period::month : period::year;
  c.to = to;
  c.value = value;
  char symbol = 'c';
  switch (quantity) {
    case periodic_quantity::churn:
      c.converted = to_year ? annual_churn_from_monthly(value) : monthly_churn_from_annual(value);
      c.formula = to_year ? "1 − (1 − c)^12" : "1 − (1 − C)^(1/12)";
      symbol = to_year ? 'c' : 'C';
      break;
    case periodic_quantity::arpu:
      c.converted = to_year ? annual_from_monthly_amount(value) : monthly_from_annual_amount(value);
      c.formula = to_year ? "v × 12" : "V / 12";
      symbol = to_year ? 'v' : 'V';
      break;
    case periodic_quantity::discount_rate:
      c.converted = to_year ? annual_rate_from_monthly(value) : monthly_rate_from_annual(value);
      c.formula = to_year ? "(1 + d)^12 − 1" : "(1 + D)^(1/12) − 1";
      symbol = to_year ? 'd' : 'D';
      break;
  }
  if (!std::isfinite(c.converted))  // 1e308 a month, or a discount rate of 1e300
    return error{std::string(to_string(quantity)),
                 std::string(to_string(quantity)) + " " + format_shortest(value) + " per " +
                     std::string(to_string(c.from)) + " is too large to restate per " +
                     std::string(to_string(to)) +
                     ": the result exceeds the largest number (1.8e308)"};
  c.worked = worked_formula(c.formula, symbol, value);
  return c;
}

}  // namespace cltv
