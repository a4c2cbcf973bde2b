#include "cltv/ltv.hpp"

#include <cmath>
#include <string>

#include "cltv/formulas.hpp"
#include "cltv/number.hpp"

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

}  // namespace

result<ltv_result> evaluate(const scenario& s) {
  ltv_result r;
  r.period = s.period;
  r.target = s.target;

  r.margin_per_period = margin_per_period(s.value, s.gross_margin, s.cost_to_serve);
  if (!std::isfinite(r.margin_per_period))
    return too_large("margin_per_period", s, value_inputs(s));

  if (s.lifetime_from == lifetime_basis::fixed) {
    r.lifetime = s.lifetime;
    const double counted = s.horizon ? std::fmin(s.lifetime, *s.horizon) : s.lifetime;
    r.paid_periods = paid_periods_fixed(counted, s.discount_rate);
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
  }
  if (!std::isfinite(r.paid_periods))
    return too_large("lifetime", s, "lifetime, churn and discount_rate");

  r.ltv = r.margin_per_period * r.paid_periods;
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
    }
    if (r.margin_per_period > 0) {
      r.cac_payback = cac / r.margin_per_period;
      if (!std::isfinite(*r.cac_payback))
        return error{"cac", "cac_payback is too large to represent as a number; check cac " +
                                format_shortest(cac) + " and the margin per period"};
    } else {
      r.payback_undefined = true;
    }
  }
  return r;
}

result<ltv_result> calculate(const scenario_input& input) {
  auto s = resolve(input);
  if (!s) return std::move(s).error();
  return evaluate(*s);
}

}  // namespace cltv
