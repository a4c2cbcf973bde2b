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

}  // namespace cltv
