#include "cltv/formulas.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>

namespace cltv {

double paid_periods_churn(double churn, double discount_rate) noexcept {
  return (1.0 + discount_rate) / (churn + discount_rate);
}

double paid_periods_churn(double churn, double discount_rate, int horizon) noexcept {
  const double h = static_cast<double>(horizon);
  if (churn + discount_rate == 0.0) return h;  // q = 1: every period is paid, undiscounted
  // log q = log(1 − c) − log(1 + d); log1p(−1) = −inf gives q^H = 0 (pays once).
  const double log_q = std::log1p(-churn) - std::log1p(discount_rate);
  return (1.0 + discount_rate) * -std::expm1(h * log_q) / (churn + discount_rate);
}

double paid_periods_fixed(double lifetime, double discount_rate) noexcept {
  if (discount_rate == 0.0) return lifetime;
  return (1.0 + discount_rate) * -std::expm1(-lifetime * std::log1p(discount_rate)) / discount_rate;
}

namespace {

// Σ_{t<n} q^t = (1 − q^n) / (1 − q) from log q, both differences through
// expm1 so that q near 1 (from either side) keeps its precision.
double geometric_sum(double log_q, double n) noexcept {
  if (log_q == 0.0) return n;
  return std::expm1(n * log_q) / std::expm1(log_q);
}

// log((1 + g)(1 − c) / (1 + d)); −inf when c = 1 (only the payment at t = 0).
double log_growth_ratio(double churn, double discount_rate, double growth) noexcept {
  return std::log1p(growth) + std::log1p(-churn) - std::log1p(discount_rate);
}

}  // namespace

double paid_periods_churn_growth(double churn, double discount_rate, double growth) noexcept {
  if (growth == 0.0) return paid_periods_churn(churn, discount_rate);
  return -1.0 / std::expm1(log_growth_ratio(churn, discount_rate, growth));  // 1 / (1 − q)
}

double paid_periods_churn_growth(double churn, double discount_rate, double growth,
                                 int horizon) noexcept {
  if (growth == 0.0) return paid_periods_churn(churn, discount_rate, horizon);
  return geometric_sum(log_growth_ratio(churn, discount_rate, growth),
                       static_cast<double>(horizon));
}

double paid_periods_fixed_growth(double lifetime, double discount_rate, double growth) noexcept {
  if (growth == 0.0) return paid_periods_fixed(lifetime, discount_rate);
  return geometric_sum(std::log1p(growth) - std::log1p(discount_rate), lifetime);
}

namespace {

// The double nearest to units × 10^−decimals, as from_chars reads "<units>e-<decimals>".
double decimal_value(std::int64_t units, int decimals) noexcept {
  std::array<char, 48> text{};
  char* end = std::to_chars(text.data(), text.data() + 24, units).ptr;
  *end++ = 'e';
  *end++ = '-';
  end = std::to_chars(end, text.data() + text.size(), decimals).ptr;
  double x = 0;
  std::from_chars(text.data(), end, x);
  return x;
}

// `bound` to `decimals` places: the nearest decimal when it is within 5e-10
// (relative) of the bound, else the next one on the safe side (up for a
// lower bound, down for an upper one).
double rounded_bound(double bound, int decimals, bool upper) noexcept {
  const double scaled = bound * std::pow(10.0, decimals);
  if (!std::isfinite(scaled) || std::fabs(scaled) >= 0x1p53) return bound;
  const double nearest = std::nearbyint(scaled);
  const double x = decimal_value(static_cast<std::int64_t>(nearest), decimals);
  const bool safe = upper ? x <= bound : x >= bound;
  if (safe || std::fabs(x - bound) <= 5e-10 * std::fabs(bound)) return x;
  return decimal_value(static_cast<std::int64_t>(nearest + (upper ? -1 : 1)), decimals);
}

}  // namespace

double rounded_maximum(double bound, int decimals) noexcept {
  return rounded_bound(bound, decimals, true);
}

double rounded_minimum(double bound, int decimals) noexcept {
  return rounded_bound(bound, decimals, false);
}

}  // namespace cltv
