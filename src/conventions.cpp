#include "cltv/conventions.hpp"

#include <cmath>
#include <string>

#include "cltv/period.hpp"

namespace cltv {

double churn_floor(period p) noexcept {
  return p == period::year ? annual_churn_from_monthly(churn_floor_per_month)
                           : churn_floor_per_month;
}

result<std::vector<convention_value>> reconcile(const scenario& s) {
  if (s.lifetime_from != lifetime_basis::churn)
    return error{"lifetime",
                 "reconcile compares churn-based conventions: give churn (or customers_start "
                 "with customers_lost) instead of a fixed lifetime"};
  const double v = s.value;
  const double gm = s.gross_margin;
  const double m = v * gm - s.cost_to_serve;
  const double c = s.churn;
  const double r = 1.0 - c;
  const double d = s.discount_rate;
  const double g = s.expansion;
  // 1 + d − r, written c + d: exact, and 0 only when both are.
  const double c_plus_d = c + d;
  // nullopt for an unbounded sum (and for one too large for a double: never inf).
  auto over = [](double numerator, double denominator) -> std::optional<double> {
    if (denominator == 0) return std::nullopt;
    const double x = numerator / denominator;
    if (!std::isfinite(x)) return std::nullopt;
    return x;
  };

  std::vector<convention_value> out;
  out.push_back({"arpu_over_churn", "ARPU / churn", "v / c", over(v, c)});
  out.push_back({"gross_margin", "Gross-margin LTV", "v × gross margin / c", over(v * gm, c)});
  out.push_back({"start_of_period", "Payment at the start of each period",
                 "m (1 + d) / (1 + d − r)", over(m * (1.0 + d), c_plus_d)});
  out.push_back(
      {"end_of_period", "Payment at the end of each period", "m / (1 + d − r)", over(m, c_plus_d)});
  out.push_back({"gupta_lehmann", "Gupta–Lehmann retention multiple", "m r / (1 + d − r)",
                 over(m * r, c_plus_d)});
  if (d < 1) {
    // Skok (forEntrepreneurs, "SaaS Metrics 2.0"): K = (1 − c)(1 − d), with G
    // a linear growth of the whole margin per period.
    const double k = r * (1.0 - d);
    const double one_minus_k = 1.0 - k;
    std::optional<double> ltv;
    if (one_minus_k > 0) ltv = m * (1.0 / one_minus_k + g * k / (one_minus_k * one_minus_k));
    if (ltv && !std::isfinite(*ltv)) ltv.reset();
    out.push_back({"skok", "Skok's discounted form",
                   "m [1/(1 − K) + G K/(1 − K)²], K = (1 − c)(1 − d)", ltv});
  }
  if (c == 0)
    out.push_back({"churn_floor", "ARPU / churn floor", "v / max(c, 1.67 %/month)",
                   v / churn_floor(s.period)});
  return out;
}

}  // namespace cltv
