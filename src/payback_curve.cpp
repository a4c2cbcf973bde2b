#include "cltv/payback_curve.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "cltv/formulas.hpp"
#include "cltv/models/sbg.hpp"

namespace cltv {

namespace {

// Σ_{t<n} of the weighted payments, as two running sums (revenue and the
// payment count) for the period-by-period curves: churn and sBG.
struct running_sums {
  double revenue = 0;  // Σ w(t) (1 + g)^t
  double paid = 0;     // Σ w(t)
};

// w(t) = S(t) / (1 + d)^t and the revenue growth (1 + g)^t of period t.
double weight(const scenario& s, int t) {
  const double discount = std::exp(-t * std::log1p(s.discount_rate));
  if (s.lifetime_from == lifetime_basis::sbg)
    return models::sbg_survival({s.sbg_alpha, s.sbg_beta}, t) * discount;
  return std::exp(t * std::log1p(-s.churn)) * discount;
}

double growth(const scenario& s, int t) {
  return std::exp(t * std::log1p(s.expansion));
}

// The periods that count at all: a fixed lifetime's L (fractional allowed)
// and the horizon, whichever ends first; unbounded otherwise.
double counted_periods(const scenario& s) {
  double cap = HUGE_VAL;
  if (s.lifetime_from == lifetime_basis::fixed) cap = s.lifetime;
  if (s.horizon) cap = std::fmin(cap, *s.horizon);
  return cap;
}

// C(n) from its two sums.
double cumulative_margin(const scenario& s, const running_sums& sums) {
  return s.value * s.gross_margin * sums.revenue - s.cost_to_serve * sums.paid;
}

// The sums over the first n periods of a fixed lifetime: the closed forms
// evaluate() uses, so that a fractional L ends the curve exactly at the LTV.
running_sums fixed_sums(const scenario& s, double n) {
  return {paid_periods_fixed_growth(n, s.discount_rate, s.expansion),
          paid_periods_fixed(n, s.discount_rate)};
}

}  // namespace

result<payback_curve> make_payback_curve(const scenario& s, std::optional<int> periods) {
  if (periods && (*periods < 1 || *periods > max_horizon))
    return error{"periods", "periods must be a whole number from 1 to " +
                                std::to_string(max_horizon) + ", got " + std::to_string(*periods)};
  auto evaluated = evaluate(s);
  if (!evaluated) return std::move(evaluated).error();
  const ltv_result& r = *evaluated;

  payback_curve curve;
  curve.period = s.period;
  curve.ltv = r.ltv;
  curve.cac = s.cac;
  curve.target = s.target;
  if (s.cac) curve.target_ltv = required_ltv(s.target, *s.cac);
  curve.ltv_cac_ratio = r.ltv_cac_ratio;
  curve.meets_target = r.meets_target;
  curve.simple_payback = r.cac_payback;
  curve.never_paid_back = s.cac && r.ltv < *s.cac;

  const double cap = counted_periods(s);
  const bool fixed = s.lifetime_from == lifetime_basis::fixed;
  // How far to draw: as asked; else to the end of what counts; else until
  // the payments are 95 % paid and past both paybacks by a quarter.
  const int minimum = s.period == period::month ? 12 : 3;
  int last = periods.value_or(0);
  if (!periods && std::isfinite(cap)) last = std::max(static_cast<int>(std::ceil(cap)), 1);
  const bool open_ended = last == 0;

  curve.points.push_back({0, 0, 0});
  running_sums sums;
  for (int n = 1; n <= max_horizon; ++n) {
    const payback_point before = curve.points.back();  // a copy: push_back may move the points
    double payment = 0;                                // the expected margin of period n − 1
    if (fixed) {
      sums = fixed_sums(s, std::fmin(n, cap));
      payment = cumulative_margin(s, sums) - before.cumulative;
    } else if (n <= cap) {
      const int t = n - 1;
      const double w = weight(s, t);
      const double g = growth(s, t);
      sums.paid += w;
      sums.revenue += w * g;
      payment = w * (s.value * s.gross_margin * g - s.cost_to_serve);
    }
    const double total = cumulative_margin(s, sums);
    curve.points.push_back({n, payment, total});
    if (s.cac && !curve.expected_payback && total >= *s.cac) {
      const double step = total - before.cumulative;
      const double into = step > 0 ? (*s.cac - before.cumulative) / step : 0;
      curve.expected_payback = before.period + std::clamp(into, 0.0, 1.0);
    }
    if (!open_ended) {
      if (n == last) break;
      continue;
    }
    const bool settled = sums.paid >= 0.95 * r.paid_periods;
    double past = 0;
    if (curve.expected_payback) past = *curve.expected_payback;
    if (curve.simple_payback) past = std::max(past, *curve.simple_payback);
    if (s.cac && !curve.expected_payback && !curve.never_paid_back) past = HUGE_VAL;
    if ((n >= minimum && settled && n >= 1.25 * past) || n >= default_max_curve_periods) break;
  }
  return curve;
}

}  // namespace cltv
