#include "cltv/ltv.hpp"

#include <cmath>
#include <string>

#include "cltv/confidence.hpp"
#include "cltv/formulas.hpp"
#include "cltv/number.hpp"
#include "cltv/retention.hpp"

namespace cltv {
namespace {

// Which inputs drive a result, for the overflow message.
std::string value_inputs(const scenario& s) {
  return s.value_from == value_basis::orders ? "aov, purchase_frequency" : "arpu";
}

error too_large(std::string_view what, const scenario& s, std::string_view culprits) {
  return {std::string(what), std::string(what) + " is too large to represent as a number; check " +
                                 std::string(culprits) + " (value per period " +
                                 format_shortest(s.value) + ")"};
}

// The LTV (and ratio) at one churn bound; nullopt when that bound leaves the
// sum unbounded (see churn_interval).
result<std::optional<ltv_result>> at_churn(const scenario& s, double churn) {
  scenario b = s;
  b.churn = churn;
  b.counts.reset();
  b.confidence.reset();
  const bool bounded = b.horizon || b.discount_rate > 0;
  if (!bounded && (churn == 0 || 1.0 / churn > max_undiscounted_lifetime))
    return std::optional<ltv_result>{};
  if (!b.horizon && expansion_diverges(churn, b.discount_rate, b.expansion))
    return std::optional<ltv_result>{};
  auto r = evaluate(b);
  if (!r) return std::move(r).error();
  return std::optional<ltv_result>{*std::move(r)};
}

result<churn_interval> churn_interval_of(const scenario& s, const ltv_result& point) {
  churn_interval out;
  out.confidence = *s.confidence;
  out.z = z_for_confidence(out.confidence);
  const proportion_interval p = wilson_interval(s.counts->lost, s.counts->start, out.z);
  out.churn_low = p.low;
  out.churn_high = p.high;
  auto optimistic = at_churn(s, p.low);  // fewest customers lost
  if (!optimistic) return std::move(optimistic).error();
  auto pessimistic = at_churn(s, p.high);
  if (!pessimistic) return std::move(pessimistic).error();
  // The high-churn end is never unbounded: it loses at least as many
  // customers as the point estimate, which resolve() accepted.
  const ltv_result& high_churn = pessimistic->value();
  if (*optimistic) {
    out.ltv = {std::fmin((*optimistic)->ltv, high_churn.ltv),
               std::fmax((*optimistic)->ltv, high_churn.ltv)};
  } else if (point.ltv >= high_churn.ltv) {  // LTV rises as churn falls: to +∞
    out.ltv = {high_churn.ltv, std::nullopt};
  } else {  // a negative margin: LTV falls without bound as churn falls
    out.ltv = {std::nullopt, high_churn.ltv};
  }
  if (point.ltv_cac_ratio) {
    const double cac = *s.cac;
    value_range ratio;
    if (out.ltv.low) ratio.low = *out.ltv.low / cac;
    if (out.ltv.high) ratio.high = *out.ltv.high / cac;
    out.ltv_cac_ratio = ratio;
    out.meets_target = ratio.low && meets_target(*ratio.low, s.target);
    out.below_target = ratio.high && !meets_target(*ratio.high, s.target);
  }
  return out;
}

}  // namespace

result<ltv_result> evaluate(const scenario& s) {
  ltv_result r;
  r.period = s.period;
  r.target = s.target;

  r.margin_per_period = margin_per_period(s.value, s.gross_margin, s.cost_to_serve);
  if (!std::isfinite(r.margin_per_period))
    return too_large("margin_per_period", s, value_inputs(s));

  ltv_explanation& how = r.explanation;
  if (s.lifetime_from == lifetime_basis::sbg) {
    const sbg_params curve{s.sbg_alpha, s.sbg_beta};
    r.lifetime = sbg_expected_lifetime(curve);  // nullopt when α ≤ 1: unbounded
    auto paid = sbg_paid_periods(curve, s.discount_rate, s.horizon);
    if (!paid) return std::move(paid).error();
    r.paid_periods = *paid;
    r.revenue_periods = *paid;  // no expansion with an sBG curve (resolve refuses it)
    how.formula = paid_periods_formula::sbg_sum;
  } else if (s.lifetime_from == lifetime_basis::fixed) {
    r.lifetime = s.lifetime;
    const double counted = s.horizon ? std::fmin(s.lifetime, *s.horizon) : s.lifetime;
    r.paid_periods = paid_periods_fixed(counted, s.discount_rate);
    r.revenue_periods = paid_periods_fixed_growth(counted, s.discount_rate, s.expansion);
    how.formula =
        s.discount_rate == 0 ? paid_periods_formula::fixed : paid_periods_formula::fixed_discounted;
    how.counted_periods = counted;
    how.capped_by_horizon = counted < s.lifetime;
  } else {
    if (s.churn > 0) {
      r.lifetime = lifetime_from_churn(s.churn);
      if (!std::isfinite(*r.lifetime))  // churn 1e-320: 1 / churn overflows
        return error{"churn", "churn " + format_shortest(s.churn) +
                                  " is too small: 1 / churn is not a finite number of periods"
                                  " (use churn 0 with a horizon or a discount rate)"};
    }
    r.paid_periods = s.horizon ? paid_periods_churn(s.churn, s.discount_rate, *s.horizon)
                               : paid_periods_churn(s.churn, s.discount_rate);
    r.revenue_periods =
        s.horizon ? paid_periods_churn_growth(s.churn, s.discount_rate, s.expansion, *s.horizon)
                  : paid_periods_churn_growth(s.churn, s.discount_rate, s.expansion);
    if (s.horizon) {
      how.payment_ratio = (1 - s.churn) / (1 + s.discount_rate);
      how.formula = *how.payment_ratio == 1.0 ? paid_periods_formula::horizon
                                              : paid_periods_formula::churn_horizon;
    } else {
      how.formula = s.discount_rate == 0 ? paid_periods_formula::churn
                                         : paid_periods_formula::churn_discounted;
    }
  }
  if (s.expansion != 0)
    how.revenue_ratio = (1 + s.expansion) *
                        (s.lifetime_from == lifetime_basis::fixed ? 1.0 : 1.0 - s.churn) /
                        (1 + s.discount_rate);
  if (!std::isfinite(r.paid_periods))
    return too_large("lifetime", s, "lifetime, churn and discount_rate");
  if (!std::isfinite(r.revenue_periods)) return too_large("ltv", s, "expansion and the horizon");
  if (s.counts) r.churn = s.churn;

  // Without expansion, exactly the foundation's margin × paid periods.
  r.ltv = s.expansion == 0
              ? r.margin_per_period * r.paid_periods
              : s.value * s.gross_margin * r.revenue_periods - s.cost_to_serve * r.paid_periods;
  if (!std::isfinite(r.ltv)) return too_large("ltv", s, value_inputs(s) + " and the lifetime");

  if (s.cac) {
    const double cac = *s.cac;
    r.net_value = r.ltv - cac;
    if (!std::isfinite(*r.net_value)) return too_large("net_value", s, "cac and the ltv");
    if (cac > 0) {
      r.ltv_cac_ratio = r.ltv / cac;
      if (!std::isfinite(*r.ltv_cac_ratio))
        return error{"cac", "ltv_cac_ratio is too large to represent as a number; cac " +
                                format_shortest(cac) + " is too small"};
      r.meets_target = meets_target(*r.ltv_cac_ratio, s.target);
      r.required_ltv = required_ltv(s.target, cac);
      if (r.ltv > 0) r.max_cac = max_cac(r.ltv, s.target);
    }
    if (r.margin_per_period > 0) {
      r.cac_payback = cac / r.margin_per_period;
      if (!std::isfinite(*r.cac_payback))
        return error{"cac", "cac_payback is too large to represent as a number; check cac " +
                                format_shortest(cac) + " and the margin per period"};
    } else {
      r.payback_undefined = true;
    }
    if (s.max_payback) {
      r.max_payback = s.max_payback;
      r.meets_payback = r.cac_payback && payback_within(*r.cac_payback, *s.max_payback);
    }
  }
  if (s.confidence) {
    auto interval = churn_interval_of(s, r);
    if (!interval) return std::move(interval).error();
    r.interval = *interval;
  }
  return r;
}

std::optional<bool> passes_check(const ltv_result& r) {
  return r.interval ? r.interval->meets_target : r.meets_target;
}

namespace {

// expected_payback for constant churn c and no expansion: period t pays
// m q^t with q = (1 − c) / (1 + d), so the first n periods pay
// F(n) = m (1 − q^n) / (1 − q), and F(n) = CAC at q^n = 1 − CAC (1 − q) / m.
// Closed form: a batch evaluates it per record, where walking period by
// period cost ~10 % of the throughput.
std::optional<double> geometric_payback(const scenario& s, double cac) {
  const double m = s.value * s.gross_margin - s.cost_to_serve;
  if (!(m > 0)) return std::nullopt;
  const double q = (1 - s.churn) / (1 + s.discount_rate);
  if (q == 0) return cac <= m ? std::optional<double>(cac / m) : std::nullopt;  // one payment
  const auto paid = [&](double n) { return q == 1 ? m * n : m * (1 - std::pow(q, n)) / (1 - q); };
  double t = 0;  // the whole periods before the one that recovers the CAC
  if (q == 1) {
    t = std::floor(cac / m);
  } else {
    const double left = 1 - cac * (1 - q) / m;  // q^n at F(n) = CAC
    if (!(left > 0)) return std::nullopt;       // LTV = m / (1 − q) ≤ CAC
    t = std::floor(std::log(left) / std::log(q));
  }
  const double last = s.horizon ? *s.horizon : max_undiscounted_lifetime;
  // Rounding may put the floor one period off: F(t) < CAC ≤ F(t + 1).
  if (t > 0 && paid(t) >= cac) --t;
  if (paid(t + 1) < cac) ++t;
  if (!(t < last)) return std::nullopt;
  return t + (cac - paid(t)) / (m * std::pow(q, t));
}

}  // namespace

std::optional<double> expected_payback(const scenario& s) {
  const auto r = evaluate(s);
  return r ? expected_payback(s, *r) : std::nullopt;
}

std::optional<double> expected_payback(const scenario& s, const ltv_result& r) {
  if (!s.cac) return std::nullopt;
  const double cac = *s.cac;
  if (cac <= 0) return 0.0;
  if (s.lifetime_from == lifetime_basis::churn && s.expansion == 0)
    return geometric_payback(s, cac);
  // The expected cumulative margin tends to the LTV: below the CAC it never
  // gets there, and the walk below would run its 10,000 periods to say so.
  if (r.ltv < cac) return std::nullopt;
  // Period t's expected discounted margin: the revenue of a retained
  // customer grows by the expansion, the cost to serve does not.
  const int last = s.horizon ? *s.horizon : static_cast<int>(max_undiscounted_lifetime);
  double survival = 1;  // S(t), the chance the customer pays in period t
  double discount = 1;  // (1 + d)^−t
  double growth = 1;    // (1 + g)^t
  double recovered = 0;
  for (int t = 0; t < last; ++t) {
    double weight = survival;
    if (s.lifetime_from == lifetime_basis::fixed) {
      const double left = s.lifetime - t;  // a fractional lifetime pays a part of its last period
      if (left <= 0) break;
      weight = std::fmin(1.0, left);
    }
    const double margin = s.value * s.gross_margin * growth - s.cost_to_serve;
    const double payment = margin * weight * discount;
    if (payment > 0 && recovered + payment >= cac) return t + (cac - recovered) / payment;
    recovered += payment;
    if (s.lifetime_from == lifetime_basis::churn) {
      survival *= 1 - s.churn;
    } else if (s.lifetime_from == lifetime_basis::sbg) {  // S(t + 1) = S(t)(β + t) / (α + β + t)
      const double td = static_cast<double>(t);
      survival *= (s.sbg_beta + td) / (s.sbg_alpha + s.sbg_beta + td);
    }
    discount /= 1 + s.discount_rate;
    growth *= 1 + s.expansion;
    if (survival == 0) break;
  }
  return std::nullopt;
}

std::string_view to_string(check_rule rule) noexcept {
  return rule == check_rule::payback ? "payback" : "ltv_cac";
}

std::optional<bool> check_verdict::passes() const noexcept {
  if (!ltv_cac && !payback) return std::nullopt;
  return ltv_cac.value_or(true) && payback.value_or(true);
}

bool check_verdict::fails(check_rule rule) const noexcept {
  const std::optional<bool>& met = rule == check_rule::payback ? payback : ltv_cac;
  return met == false;
}

check_verdict judge(const ltv_result& r) {
  return {passes_check(r), r.meets_payback};
}

result<ltv_result> calculate(const scenario_input& input) {
  auto s = resolve(input);
  if (!s) return std::move(s).error();
  return evaluate(*s);
}

}  // namespace cltv
