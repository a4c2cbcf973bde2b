// Tests of cltv/models/dert.hpp (tag [dert]). No published DERT values are at
// hand for these parameters, so each model is checked against independent
// routes to the same number: δ ∫_0^∞ e^(−δτ) E[Y(τ) | x, t_x, T] dτ (DERT by
// parts, from the conditional expectations, FHL 2005 eq. 10 and its
// Pareto/NBD analogue, by Boost's exp-sinh quadrature); for BG/NBD the
// posterior mean E[λ / (δ + pλ)], which shares no code with the library's
// route; and for Pareto/NBD with s < 1 the closed form through the upper
// incomplete gamma function, E[1/(δ+μ)] = β'^s δ^(s−1) e^(δβ') Γ(1−s, δβ').

#include "cltv/models/dert.hpp"

#include <catch2/catch.hpp>

#include <cmath>

#include <boost/math/quadrature/exp_sinh.hpp>
#include <boost/math/quadrature/tanh_sinh.hpp>
#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include "test_support.hpp"

using Catch::Matchers::WithinRel;
using cltv::models::bgnbd_params;
using cltv::models::bgnbd_variant;
using cltv::models::pareto_nbd_params;
using cltv::models::rfm_tuple;
using cltv_test::value_of;

namespace {

// δ ∫_0^∞ e^(−δτ) E[Y(τ)] dτ, the integral in v = δτ.
template <class Params>
double by_parts(const Params& p, const rfm_tuple& c, double delta) {
  boost::math::quadrature::exp_sinh<double> integrator;
  return integrator.integrate(
      [&](double v) {
        return std::exp(-v) *
               value_of(cltv::models::conditional_expected_purchases(p, c, v / delta));
      },
      1e-12);
}

// BG/NBD: alive at T, λ ~ Gamma(R, A) buys with dropout chance p ~ Beta(a, b')
// after each purchase: Σ_k (1−p)^(k−1) E[e^(−δ S_k)] = λ/(δ + pλ), and over
// λ, E[λ/(δ+pλ)] = ∫ e^(−δτ) (R/A)(1 + pτ/A)^(−(R+1)) dτ; then over p.
double posterior_mean(const bgnbd_params& p, const rfm_tuple& c, double delta) {
  const double R = p.r + c.x, A = p.alpha + c.T, a = p.a;
  const double b = p.b + c.x + (p.variant == bgnbd_variant::mbgnbd ? 1 : 0);
  boost::math::quadrature::exp_sinh<double> inner;
  boost::math::quadrature::tanh_sinh<double> outer;
  const double log_norm = std::log(boost::math::beta(a, b));
  const double mean = outer.integrate(
      [&](double q, double complement) {
        const double log_rest = complement > 0 ? std::log(complement) : std::log1p(-q);
        const double density = std::exp((a - 1) * std::log(q) + (b - 1) * log_rest - log_norm);
        const double given_q = inner.integrate(
            [&](double tau) {
              return std::exp(-delta * tau - (R + 1) * std::log1p(q * tau / A)) * R / A;
            },
            1e-12);
        return density * given_q;
      },
      0.0, 1.0, 1e-11);
  return value_of(cltv::models::probability_alive(p, c)) * mean;
}

constexpr pareto_nbd_params btyd{0.5534, 10.5802, 0.6061, 11.6562};
constexpr bgnbd_params cdnow = cltv_test::btyd_rounded;
const rfm_tuple customers[] = {
    {2, 30.43, 38.86, 1}, {0, 0, 38.86, 1}, {7, 35, 38.86, 1}, {20, 5, 38.86, 1}};

}  // namespace

TEST_CASE("DERT of Pareto/NBD agrees with the discounted expectations", "[dert]") {
  for (const pareto_nbd_params& p : {btyd, pareto_nbd_params{1.2, 6.0, 2.5, 30.0}})
    for (const rfm_tuple& c : customers)
      for (double delta : {0.0027, 0.05}) {
        INFO("s " << p.s << " x " << c.x << " delta " << delta);
        const double dert =
            value_of(cltv::models::discounted_expected_residual_purchases(p, c, delta));
        CHECK_THAT(dert, WithinRel(by_parts(p, c, delta), 1e-8));
      }
}

TEST_CASE("DERT of Pareto/NBD is FHL's closed form", "[dert]") {
  // s < 1: Γ(1−s, z) has a positive first argument, as Boost takes it.
  const rfm_tuple c{2, 30.43, 38.86, 1};
  for (double delta : {0.0027, 0.01, 0.3}) {
    const double beta_t = btyd.beta + c.T;
    const double z = delta * beta_t;
    const double mean_life = std::pow(beta_t, btyd.s) * std::pow(delta, btyd.s - 1) * std::exp(z) *
                             boost::math::tgamma(1 - btyd.s, z);
    const double alive = value_of(cltv::models::probability_alive(btyd, c));
    const double expected = alive * (btyd.r + c.x) / (btyd.alpha + c.T) * mean_life;
    CHECK_THAT(value_of(cltv::models::discounted_expected_residual_purchases(btyd, c, delta)),
               WithinRel(expected, 1e-10));
  }
}

TEST_CASE("DERT of BG/NBD and MBG/NBD agrees with the discounted expectations and the posterior",
          "[dert]") {
  for (const bgnbd_variant variant : {bgnbd_variant::bgnbd, bgnbd_variant::mbgnbd})
    for (const bgnbd_params& base : {cdnow, bgnbd_params{2.0, 3.0, 1.7, 0.4}}) {
      bgnbd_params p = base;
      p.variant = variant;
      for (const rfm_tuple& c : customers)
        for (double delta : {0.0027, 0.05, 2e-5}) {
          INFO("variant " << static_cast<int>(variant) << " a " << p.a << " x " << c.x << " delta "
                          << delta);
          const double dert =
              value_of(cltv::models::discounted_expected_residual_purchases(p, c, delta));
          CHECK_THAT(dert, WithinRel(by_parts(p, c, delta), 1e-9));
          CHECK_THAT(dert, WithinRel(posterior_mean(p, c, delta), 1e-8));
        }
    }
}

TEST_CASE("DERT falls as the discount rises; bad rates are refused", "[dert]") {
  const cltv::models::purchase_model m{btyd};
  double previous = 1e300;
  for (double delta : {0.001, 0.01, 0.1, 1.0}) {
    const double d =
        value_of(cltv::models::discounted_expected_residual_purchases(m, customers[0], delta));
    CHECK(d < previous);
    previous = d;
  }
  for (double bad : {0.0, -0.1, std::nan("")})
    CHECK_FALSE(cltv::models::discounted_expected_residual_purchases(m, customers[0], bad));
  CHECK_FALSE(cltv::models::discounted_expected_residual_purchases(cdnow, {2, 40, 38, 1}, 0.1));
}

TEST_CASE("A monthly discount rate as a continuous rate per time unit", "[dert]") {
  // 1% a month, weekly data: ln(1.01) per 30.4375/7 weeks.
  CHECK_THAT(value_of(cltv::models::continuous_discount_rate(0.01, 30.4375, 7)),
             WithinRel(std::log(1.01) * 7 / 30.4375, 1e-15));
  // 15% a year is FHL 2005's rate: ln(1.15)/52 a week ≈ 0.0027.
  const double monthly = std::pow(1.15, 1.0 / 12) - 1;
  CHECK_THAT(value_of(cltv::models::continuous_discount_rate(monthly, 365.0 / 12, 7)),
             WithinRel(std::log(1.15) * 7 / 365, 1e-12));
  CHECK(value_of(cltv::models::continuous_discount_rate(0, 30.4375, 1)) == 0);
  CHECK_FALSE(cltv::models::continuous_discount_rate(-0.01, 30.4375, 7));
  CHECK_FALSE(cltv::models::continuous_discount_rate(0.01, 0, 7));
  CHECK_FALSE(cltv::models::continuous_discount_rate(0.01, 30.4375, -1));
}
