#include "cltv/formulas.hpp"

#include <cmath>

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

}  // namespace cltv
