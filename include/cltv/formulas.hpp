#pragma once
// The CLTV formulas as pure functions of doubles. No validation here: callers
// pass values already checked by cltv::resolve (see scenario.hpp), which is
// what makes every result below finite.
//
// Conventions: all rates are per period; a customer pays at the start of each
// period they are a customer (t = 0, 1, 2, …), so a new customer pays at once.
// LTV = margin per period × paid_periods(…), where paid_periods is the expected
// (discounted) number of payments.

namespace cltv {

/// Average lifetime implied by a constant churn rate: 1 / churn periods.
/// Example: lifetime_from_churn(0.04) == 25.
[[nodiscard]] constexpr double lifetime_from_churn(double churn) noexcept {
  return 1.0 / churn;
}

/// Value per period from orders: average order value × purchases per period.
/// Example: value_from_orders(60, 0.5) == 30.
[[nodiscard]] constexpr double value_from_orders(double aov, double purchase_frequency) noexcept {
  return aov * purchase_frequency;
}

/// Margin per period: value × gross margin − cost to serve. May be negative.
/// Example: margin_per_period(50, 0.8, 5) == 35.
[[nodiscard]] constexpr double margin_per_period(double value, double gross_margin,
                                                 double cost_to_serve) noexcept {
  return value * gross_margin - cost_to_serve;
}

/// Expected discounted payments of a customer who churns with probability
/// `churn` each period (retention r = 1 − c), payments at t = 0, 1, 2, …,
/// discounted at `discount_rate` d per period, no horizon:
///   Σ_t r^t / (1 + d)^t = (1 + d) / (c + d)        (= 1 / c when d = 0).
/// Requires c + d > 0.
[[nodiscard]] double paid_periods_churn(double churn, double discount_rate) noexcept;

/// As paid_periods_churn, counting only the first `horizon` periods H:
///   (1 − q^H) / (1 − q), q = r / (1 + d)           (= H when q = 1).
/// Computed as (1 + d)·(−expm1(H·(log1p(−c) − log1p(d)))) / (c + d), which
/// keeps full precision as q → 1 instead of subtracting nearly equal numbers.
[[nodiscard]] double paid_periods_churn(double churn, double discount_rate, int horizon) noexcept;

/// Discounted payments over a fixed lifetime of L periods (L may be
/// fractional: the smooth extension of the sum of L payments):
///   (1 + d)(1 − (1 + d)^−L) / d                    (= L when d = 0),
/// computed as (1 + d)·(−expm1(−L·log1p(d))) / d.
[[nodiscard]] double paid_periods_fixed(double lifetime, double discount_rate) noexcept;

/// Expansion revenue: the payment of a retained customer grows by `growth` g
/// per period (upsell; g < 0 is contraction), so the expected discounted
/// payments, counted in first-period payments, are
///   Σ_t q^t = 1 / (1 − q), q = (1 + g)(1 − c) / (1 + d),
/// i.e. (1 + d) / (1 + d − (1 + g) r). Requires q < 1. With g = 0 it returns
/// paid_periods_churn(c, d) exactly (the same computation).
/// Example: paid_periods_churn_growth(0.04, 0, 0.01) == 1 / (1 − 1.01 × 0.96) ≈ 32.0513.
[[nodiscard]] double paid_periods_churn_growth(double churn, double discount_rate,
                                               double growth) noexcept;

/// As paid_periods_churn_growth, counting only the first `horizon` periods H:
///   (1 − q^H) / (1 − q)  (= H when q = 1), finite for any q, so it is the
/// form to use when the unbounded sum diverges (q >= 1).
[[nodiscard]] double paid_periods_churn_growth(double churn, double discount_rate, double growth,
                                               int horizon) noexcept;

/// Discounted payments growing by g per period over a fixed lifetime L:
///   Σ_{t<L} q^t = (1 − q^L) / (1 − q), q = (1 + g) / (1 + d)  (= L when q = 1),
/// the same smooth extension to fractional L as paid_periods_fixed, which it
/// returns exactly when g = 0. Finite for any g > −1: the lifetime ends the sum.
[[nodiscard]] double paid_periods_fixed_growth(double lifetime, double discount_rate,
                                               double growth) noexcept;

/// Whether `ratio` meets `target` (ratio ≥ target), with a relative tolerance
/// of 1e-9 so that an exact 3× computed as 2.9999999999999996 passes.
[[nodiscard]] constexpr bool meets_target(double ratio, double target) noexcept {
  return ratio >= target * (1.0 - 1e-9);
}

/// An upper bound (the highest CAC, churn or cost to serve that meets a
/// target) rounded to `decimals` decimal places for a reader, on its safe
/// side: down, so that the rounded figure still meets the target. The nearest
/// decimal is kept when it lies within half of meets_target's tolerance
/// (5e-10 relative) of `bound`: an exact 300 computed as 299.99999999999994
/// stays 300, not 299.99. Returns the double nearest that decimal (the one
/// cltv::parse_number reads from its text); a bound too large for `decimals`
/// places (|bound| × 10^decimals ≥ 2^53), or not finite, is returned as is.
///
/// Example: rounded_maximum(1250.0 / 3, 2) == 416.66 (416.67 would miss 3×:
/// 1250 / 416.67 = 2.99998).
[[nodiscard]] double rounded_maximum(double bound, int decimals) noexcept;

/// A lower bound (the LTV a target asks, the lowest ARPU, gross margin or
/// lifetime that meets it) rounded up to `decimals` places, as rounded_maximum.
/// Example: rounded_minimum(2000.0 / 3, 2) == 666.67; rounded_minimum(900.0000000000001, 2) == 900.
[[nodiscard]] double rounded_minimum(double bound, int decimals) noexcept;

/// The LTV that meets an LTV:CAC `target` at a given CAC: target × CAC.
/// Example: required_ltv(3, 500) == 1500.
[[nodiscard]] constexpr double required_ltv(double target, double cac) noexcept {
  return target * cac;
}

/// The highest CAC that meets an LTV:CAC `target` at a given LTV: LTV / target.
/// Example: max_cac(1250, 3) ≈ 416.67.
[[nodiscard]] constexpr double max_cac(double ltv, double target) noexcept {
  return ltv / target;
}

}  // namespace cltv
