// Tests of cltv/models/sbg.hpp: the shifted-beta-geometric retention model.
// Reference values: ../shared/reference/models.md, "Shifted-beta-geometric
// (sBG)" (Fader & Hardie 2007, "How to project customer retention", and Fader
// & Hardie 2010, Marketing Science 29(1), for DERL).

#include "cltv/models/sbg.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <vector>

using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using cltv::models::sbg_params;

namespace {

// Customers still active at the start of years 0..7, out of 1,000 (Fader &
// Hardie 2007, Table 1; ../shared/data/sbg_survival_fader_hardie_2007.csv).
const std::vector<double> regular{1000, 631, 468, 382, 326, 289, 262, 241};
const std::vector<double> high_end{1000, 869, 743, 653, 593, 551, 517, 491};

// The published high-end fit (Fader & Hardie 2007).
constexpr sbg_params high_end_published{0.668, 3.806};

// Σ_{t≥from} S(t)/S(from) · z^{t−from}, z = 1/(1 + d), term by term with
// S(t) = S(t − 1) r_t, until the terms are negligible: the definition the
// closed forms are checked against.
double direct_sum(const sbg_params& params, double d, std::int64_t from) {
  double sum = 1, term = 1;
  for (std::int64_t t = from + 1; t < from + 10'000'000 && term >= 1e-18 * sum; ++t) {
    term *= cltv::models::sbg_retention_rate(params, t) / (1 + d);
    sum += term;
  }
  return sum;
}

}  // namespace

TEST_CASE("sBG fits reproduce Fader & Hardie (2007)", "[sbg]") {
  SECTION("regular segment: alpha 0.704, beta 1.182") {
    auto fit = cltv::models::fit_sbg(regular);
    REQUIRE(fit.has_value());
    // Published to three decimals: a correct fit rounds to them (models.md).
    CHECK_THAT(fit->params.alpha, WithinAbs(0.704, 0.0005));
    CHECK_THAT(fit->params.beta, WithinAbs(1.182, 0.0005));
    // Cross-check: SciPy's derivative-free Nelder-Mead on the same LL (in
    // log-parameters, xatol = fatol = 1e-12) stops at α 0.70407733,
    // β 1.18204311, LL −1680.2651885. Agreement to 1e-6 shows the analytic
    // gradient leads L-BFGS to the same maximum.
    CHECK_THAT(fit->params.alpha, WithinRel(0.70407733, 1e-6));
    CHECK_THAT(fit->params.beta, WithinRel(1.18204311, 1e-6));
    CHECK_THAT(fit->report.log_likelihood, WithinAbs(-1680.2651885, 1e-6));
    CHECK(fit->report.converged);
    CHECK(fit->report.customers == 1000);
    CHECK(fit->report.unique_tuples == 7);
  }

  SECTION("high-end segment: alpha 0.668, beta 3.806") {
    auto fit = cltv::models::fit_sbg(high_end);
    REQUIRE(fit.has_value());
    CHECK_THAT(fit->params.alpha, WithinAbs(0.668, 0.0005));
    CHECK_THAT(fit->params.beta, WithinAbs(3.806, 0.0005));
    // SciPy Nelder-Mead, as above: α 0.66808837, β 3.80609538, LL −1611.1581474.
    CHECK_THAT(fit->params.alpha, WithinRel(0.66808837, 1e-6));
    CHECK_THAT(fit->params.beta, WithinRel(3.80609538, 1e-6));
    CHECK_THAT(fit->report.log_likelihood, WithinAbs(-1611.1581474, 1e-6));

    SECTION("estimates carry standard errors and log-scale 95 % intervals") {
      for (const auto& e : {fit->alpha, fit->beta}) {
        CHECK(e.standard_error > 0);
        CHECK(e.standard_error < 0.5 * e.value);  // 1,000 customers pin them down
        CHECK(e.lower_95 < e.value);
        CHECK(e.value < e.upper_95);
        // exp(log θ ± 1.96 se/θ): the interval is symmetric in the log.
        CHECK_THAT(std::log(e.upper_95 / e.value), WithinRel(std::log(e.value / e.lower_95), 1e-9));
      }
      CHECK(fit->alpha.value == fit->params.alpha);
      CHECK(fit->beta.value == fit->params.beta);
    }
  }
}

TEST_CASE("sBG log-likelihood and its gradient", "[sbg]") {
  SECTION("hand-computed at alpha = beta = 1") {
    // θ uniform: P(T = 1) = 1/2, P(T = 2) = β/(α + β + 1) · 1/2 = 1/6,
    // S(2) = 1 − 1/2 − 1/6 = 1/3. Counts 10 → 6 → 4: 4 churn in period 1,
    // 2 in period 2, 4 still active.
    const std::vector<double> active{10, 6, 4};
    auto ll = cltv::models::sbg_log_likelihood({1, 1}, active);
    REQUIRE(ll.has_value());
    CHECK_THAT(*ll,
               WithinRel(4 * std::log(0.5) + 2 * std::log(1.0 / 6) + 4 * std::log(1.0 / 3), 1e-14));
  }

  SECTION("the analytic gradient matches central differences") {
    for (const sbg_params at : {sbg_params{0.7, 1.2}, sbg_params{0.05, 30}, sbg_params{4, 0.3}}) {
      double gradient[2];
      REQUIRE(cltv::models::sbg_log_likelihood(at, high_end, gradient).has_value());
      auto ll = [&](double a, double b) {
        return *cltv::models::sbg_log_likelihood({a, b}, high_end);
      };
      const double ha = 1e-6 * at.alpha, hb = 1e-6 * at.beta;
      const double fd_alpha = (ll(at.alpha + ha, at.beta) - ll(at.alpha - ha, at.beta)) / (2 * ha);
      const double fd_beta = (ll(at.alpha, at.beta + hb) - ll(at.alpha, at.beta - hb)) / (2 * hb);
      INFO("alpha " << at.alpha << ", beta " << at.beta);
      // Central differences of LL ~ 1e3 with h ~ 1e-6: error ~ 1e-16·1e3/1e-6 ~ 1e-7.
      CHECK_THAT(gradient[0], WithinAbs(fd_alpha, 1e-5 * std::max(1.0, std::abs(fd_alpha))));
      CHECK_THAT(gradient[1], WithinAbs(fd_beta, 1e-5 * std::max(1.0, std::abs(fd_beta))));
    }
  }

  SECTION("a cohort that has all churned contributes no censored term") {
    // 2 churn in period 1, 1 in period 2, none left: LL = 2 ln(1/2) + ln(1/6).
    const std::vector<double> active{3, 1, 0};
    auto ll = cltv::models::sbg_log_likelihood({1, 1}, active);
    REQUIRE(ll.has_value());
    CHECK_THAT(*ll, WithinRel(2 * std::log(0.5) + std::log(1.0 / 6), 1e-14));
  }
}

TEST_CASE("sBG curve: survival, churn and retention", "[sbg]") {
  SECTION("alpha = beta = 1 by hand") {
    // θ uniform: S(t) = ∫(1 − θ)^t dθ = 1/(t + 1), P(T = t) = S(t − 1) − S(t)
    // = 1/(t(t + 1)), r_t = S(t)/S(t − 1) = t/(t + 1).
    const sbg_params uniform{1, 1};
    for (std::int64_t t : {0, 1, 2, 7, 64, 65, 100, 100000}) {
      INFO("t = " << t);
      const double ft = static_cast<double>(t);
      CHECK_THAT(cltv::models::sbg_survival(uniform, t), WithinRel(1 / (ft + 1), 1e-12));
      if (t >= 1) {
        CHECK_THAT(cltv::models::sbg_churn_probability(uniform, t),
                   WithinRel(1 / (ft * (ft + 1)), 1e-12));
        CHECK_THAT(cltv::models::sbg_retention_rate(uniform, t), WithinRel(ft / (ft + 1), 1e-15));
      }
    }
  }

  SECTION("the short (product) and long (log-gamma) survival agree at the switch") {
    // S(65) = S(64) · (β + 64)/(α + β + 64).
    const sbg_params p = high_end_published;
    CHECK_THAT(
        cltv::models::sbg_survival(p, 65),
        WithinRel(cltv::models::sbg_survival(p, 64) * (p.beta + 64) / (p.alpha + p.beta + 64),
                  1e-12));
  }

  SECTION("properties: S decreasing, r_t increasing, P(T = t) = S(t − 1)(1 − r_t)") {
    for (const sbg_params p : {sbg_params{0.704, 1.182}, high_end_published, sbg_params{0.05, 0.05},
                               sbg_params{20, 0.5}, sbg_params{3, 300}}) {
      INFO("alpha " << p.alpha << ", beta " << p.beta);
      double previous_s = 1, previous_r = 0;
      for (std::int64_t t = 1; t <= 200; ++t) {
        const double s = cltv::models::sbg_survival(p, t);
        const double r = cltv::models::sbg_retention_rate(p, t);
        CHECK(s < previous_s);
        CHECK(r > previous_r);
        CHECK(r < 1);
        CHECK_THAT(s, WithinRel(previous_s * r, 1e-12));  // S(t) = S(t − 1) r_t
        // P(T = t) = S(t − 1) − S(t), written without the cancellation.
        CHECK_THAT(
            cltv::models::sbg_churn_probability(p, t),
            WithinRel(previous_s * (p.alpha / (p.alpha + p.beta + static_cast<double>(t) - 1)),
                      1e-12));
        previous_s = s;
        previous_r = r;
      }
    }
  }
}

TEST_CASE("sBG expected and discounted lifetimes", "[sbg]") {
  SECTION("expected lifetime 1 + beta/(alpha − 1), unbounded for alpha ≤ 1") {
    // α 2, β 3: S(t) = B(2, 3 + t)/B(2, 3) = 12/((t + 3)(t + 4)), whose sum
    // telescopes: 12 Σ_{t≥0} (1/(t + 3) − 1/(t + 4)) = 12/3 = 4 = 1 + 3/1.
    CHECK_THAT(*cltv::models::sbg_expected_lifetime({2, 3}), WithinRel(4.0, 1e-15));
    CHECK_FALSE(cltv::models::sbg_expected_lifetime({1, 3}).has_value());
    CHECK_FALSE(cltv::models::sbg_expected_lifetime(high_end_published).has_value());
    auto del0 = cltv::models::sbg_discounted_expected_lifetime({2, 3}, 0);
    REQUIRE(del0.has_value());
    CHECK_THAT(*del0, WithinRel(4.0, 1e-15));
  }

  SECTION("DEL is the discounted sum of survival") {
    // DEL(d) = Σ_{t≥0} S(t)/(1 + d)^t by definition (Fader & Hardie 2010).
    for (const sbg_params p : {high_end_published, sbg_params{0.704, 1.182}, sbg_params{2, 3}}) {
      for (double d : {0.01, 0.1, 0.5, 3.0}) {
        INFO("alpha " << p.alpha << ", beta " << p.beta << ", d " << d);
        auto del = cltv::models::sbg_discounted_expected_lifetime(p, d);
        REQUIRE(del.has_value());
        CHECK_THAT(*del, WithinRel(direct_sum(p, d, 0), 1e-10));
      }
    }
    // At the full-precision high-end fit: SciPy hyp2f1(1, β, α + β, 1/1.1)
    // with α 0.66808837, β 3.80609538 gives 5.92225360757972.
    auto del = cltv::models::sbg_discounted_expected_lifetime({0.66808837, 3.80609538}, 0.1);
    REQUIRE(del.has_value());
    CHECK_THAT(*del, WithinRel(5.92225360757972, 1e-7));
  }

  SECTION("DEL needs a positive discount rate when alpha ≤ 1") {
    auto del = cltv::models::sbg_discounted_expected_lifetime(high_end_published, 0);
    REQUIRE_FALSE(del.has_value());
    CHECK(del.error().field == "discount_rate");
    CHECK(del.error().message ==
          "the expected lifetime is unbounded when alpha ≤ 1 (alpha 0.668): a discount rate "
          "above 0 is needed");
    CHECK_FALSE(cltv::models::sbg_discounted_expected_lifetime(high_end_published, -0.1));
    CHECK_FALSE(cltv::models::sbg_discounted_expected_lifetime({0, 1}, 0.1));
  }

  SECTION("a small discount rate with alpha ≤ 1: large but finite") {
    // DEL grows like d^(α − 1) as d → 0; at d = 1e-4 the series runs to
    // ~4·10^5 terms. Checked against the direct sum.
    const sbg_params p = high_end_published;
    auto del = cltv::models::sbg_discounted_expected_lifetime(p, 1e-4);
    REQUIRE(del.has_value());
    CHECK_THAT(*del, WithinRel(direct_sum(p, 1e-4, 0), 1e-6));
  }
}

TEST_CASE("sBG discounted expected residual lifetime (DERL)", "[sbg]") {
  SECTION("Fader & Hardie (2010): high end, d = 0.10, 7 renewals → 7.53") {
    // models.md: ≈ 7.53 (±0.01), at the published parameters.
    auto derl = cltv::models::sbg_discounted_expected_residual_lifetime(high_end_published, 0.1, 7);
    REQUIRE(derl.has_value());
    CHECK_THAT(*derl, WithinAbs(7.53, 0.01));
    // And at our own fit of the high-end curve.
    auto fit = cltv::models::fit_sbg(high_end);
    REQUIRE(fit.has_value());
    auto derl_fit = cltv::models::sbg_discounted_expected_residual_lifetime(fit->params, 0.1, 7);
    REQUIRE(derl_fit.has_value());
    CHECK_THAT(*derl_fit, WithinAbs(7.53, 0.01));
  }

  SECTION("the closed form is the direct sum, the next renewal undiscounted") {
    // DERL(d, n) = Σ_{t>n} S(t)/S(n) / (1 + d)^{t−n−1}
    //            = (1 + d) · (Σ_{t≥n} S(t)/S(n) / (1 + d)^{t−n} − 1).
    for (const sbg_params p : {high_end_published, sbg_params{0.704, 1.182}, sbg_params{2, 3}}) {
      for (double d : {0.02, 0.1, 1.0}) {
        for (std::int64_t n : {0, 1, 7, 30}) {
          INFO("alpha " << p.alpha << ", beta " << p.beta << ", d " << d << ", n " << n);
          auto derl = cltv::models::sbg_discounted_expected_residual_lifetime(p, d, n);
          REQUIRE(derl.has_value());
          CHECK_THAT(*derl, WithinRel((1 + d) * (direct_sum(p, d, n) - 1), 1e-9));
        }
      }
    }
  }

  SECTION("DERL after no renewal is not DEL: DEL = 1 + DERL(d, 0)/(1 + d)") {
    // models.md: DEL counts the first, undiscounted period; DERL starts at the
    // next renewal.
    const double d = 0.1;
    auto del = cltv::models::sbg_discounted_expected_lifetime(high_end_published, d);
    auto derl = cltv::models::sbg_discounted_expected_residual_lifetime(high_end_published, d, 0);
    REQUIRE(del.has_value());
    REQUIRE(derl.has_value());
    CHECK(*derl != *del);
    CHECK_THAT(*del, WithinRel(1 + *derl / (1 + d), 1e-12));
  }

  SECTION("undiscounted: (beta + n)/(alpha − 1) when alpha > 1, else an error") {
    // α 2, β 3, n 5: E[T − 5 | T > 5] = (3 + 5)/(2 − 1) = 8; the direct sum
    // Σ_{t>5} S(t)/S(5) with S(t) = 12/((t + 3)(t + 4)) telescopes to
    // 72 · (1/9) = 8.
    auto derl = cltv::models::sbg_discounted_expected_residual_lifetime({2, 3}, 0, 5);
    REQUIRE(derl.has_value());
    CHECK_THAT(*derl, WithinRel(8.0, 1e-15));
    auto unbounded =
        cltv::models::sbg_discounted_expected_residual_lifetime(high_end_published, 0, 5);
    REQUIRE_FALSE(unbounded.has_value());
    CHECK(unbounded.error().field == "discount_rate");
    auto negative = cltv::models::sbg_discounted_expected_residual_lifetime({2, 3}, 0.1, -1);
    REQUIRE_FALSE(negative.has_value());
    CHECK(negative.error().message == "renewals must be a whole number ≥ 0, got -1");
  }

  SECTION("properties: DEL and DERL fall with d; DERL rises with renewals") {
    for (const sbg_params p : {high_end_published, sbg_params{0.704, 1.182}, sbg_params{5, 2}}) {
      INFO("alpha " << p.alpha << ", beta " << p.beta);
      double previous_del = HUGE_VAL;
      for (double d : {0.005, 0.01, 0.05, 0.1, 0.2, 0.5, 1.0, 10.0}) {
        const double del = *cltv::models::sbg_discounted_expected_lifetime(p, d);
        CHECK(del < previous_del);
        CHECK(del >= 1);  // the first period is always paid
        previous_del = del;
        double previous_n = 0;
        for (std::int64_t n = 0; n <= 20; ++n) {
          const double derl = *cltv::models::sbg_discounted_expected_residual_lifetime(p, d, n);
          // Survivors are the customers with low churn: the longer the
          // tenure, the longer the expected remainder.
          CHECK(derl > previous_n);
          previous_n = derl;
        }
      }
      for (std::int64_t n : {0, 3, 10}) {
        double previous = HUGE_VAL;
        for (double d : {0.005, 0.01, 0.05, 0.1, 0.2, 0.5, 1.0, 10.0}) {
          const double derl = *cltv::models::sbg_discounted_expected_residual_lifetime(p, d, n);
          CHECK(derl < previous);
          previous = derl;
        }
      }
    }
  }
}

TEST_CASE("sBG lifetime value: paid periods over a horizon or to convergence", "[sbg]") {
  const sbg_params p = high_end_published;

  SECTION("a horizon sums S(t)/(1 + d)^t over its periods") {
    // H = 2, d = 0: S(0) + S(1) = 1 + β/(α + β) = 1 + 3.806/4.474.
    auto two = cltv::models::sbg_paid_periods(p, 0, 2);
    REQUIRE(two.has_value());
    CHECK_THAT(*two, WithinRel(1 + 3.806 / 4.474, 1e-15));
    // H = 3, d = 0.1: + S(2)/1.1², S(2) = β(β + 1)/((α + β)(α + β + 1)).
    auto three = cltv::models::sbg_paid_periods(p, 0.1, 3);
    REQUIRE(three.has_value());
    CHECK_THAT(
        *three,
        WithinRel(1 + 3.806 / 4.474 / 1.1 + 3.806 * 4.806 / (4.474 * 5.474) / (1.1 * 1.1), 1e-14));
    // H = 1: only the payment at acquisition.
    CHECK(*cltv::models::sbg_paid_periods(p, 0.1, 1) == 1);
  }

  SECTION("without a horizon: DEL; a long horizon approaches it from below") {
    const double del = *cltv::models::sbg_discounted_expected_lifetime(p, 0.1);
    CHECK(*cltv::models::sbg_paid_periods(p, 0.1, std::nullopt) == del);
    const double long_horizon = *cltv::models::sbg_paid_periods(p, 0.1, 1000);
    CHECK(long_horizon < del);
    CHECK_THAT(long_horizon, WithinRel(del, 1e-12));  // 1.1^−1000 ≈ 4e−42: the rest is nothing
    // A horizon far beyond convergence stops with the series, not at 2^31.
    CHECK_THAT(*cltv::models::sbg_paid_periods(p, 0.1, std::numeric_limits<int>::max()),
               WithinRel(del, 1e-12));
  }

  SECTION("LTV is margin × paid periods") {
    auto ltv = cltv::models::sbg_ltv(p, 120, 0.1, 5);
    REQUIRE(ltv.has_value());
    CHECK_THAT(*ltv, WithinRel(120 * *cltv::models::sbg_paid_periods(p, 0.1, 5), 1e-15));
    // α 2, β 3, undiscounted, no horizon: 50 × E[T] = 50 × 4 = 200.
    CHECK_THAT(*cltv::models::sbg_ltv({2, 3}, 50, 0, std::nullopt), WithinRel(200.0, 1e-15));
  }

  SECTION("alpha ≤ 1 needs a discount rate or a horizon") {
    auto ltv = cltv::models::sbg_ltv(p, 120, 0, std::nullopt);
    REQUIRE_FALSE(ltv.has_value());
    CHECK(ltv.error().field == "horizon");
    CHECK(ltv.error().message ==
          "the lifetime value is unbounded when alpha ≤ 1 (alpha 0.668) with neither a "
          "discount rate nor a horizon");
    CHECK(cltv::models::sbg_ltv(p, 120, 0, 12).has_value());
    CHECK(cltv::models::sbg_ltv(p, 120, 0.01, std::nullopt).has_value());
  }

  SECTION("bad inputs are named") {
    CHECK(cltv::models::sbg_paid_periods(p, 0.1, 0).error().field == "horizon");
    CHECK(cltv::models::sbg_paid_periods(p, -0.5, 3).error().field == "discount_rate");
    CHECK(cltv::models::sbg_paid_periods({0.5, -1}, 0.1, 3).error().field == "beta");
    CHECK(cltv::models::sbg_ltv(p, HUGE_VAL, 0.1, 3).error().field == "margin");
    auto params = cltv::models::make_sbg_params(std::nan(""), 1);
    REQUIRE_FALSE(params.has_value());
    CHECK(params.error().message == "alpha must be a positive number, got nan");
  }
}

TEST_CASE("sBG input checks", "[sbg]") {
  auto fit_error = [](std::vector<double> active) {
    auto fit = cltv::models::fit_sbg(active);
    REQUIRE_FALSE(fit.has_value());
    CHECK(fit.error().field == "active");
    return fit.error().message;
  };

  SECTION("counts must not increase; the error names both periods and counts") {
    CHECK(fit_error({1000, 631, 468, 500, 326}) ==
          "active count of period 3 (500) is more than that of period 2 (468): the customers "
          "still active cannot increase");
  }
  SECTION("counts are whole numbers ≥ 0") {
    CHECK(fit_error({1000, 631.5, 468}) ==
          "active count of period 1 must be a whole number of customers, got 631.5");
    CHECK(fit_error({1000, 631, -1}) ==
          "active count of period 2 must be a whole number of customers, got -1");
    CHECK(fit_error({1000, std::nan(""), 3}) ==
          "active count of period 1 must be a whole number of customers, got nan");
  }
  SECTION("an empty cohort, and too few periods") {
    CHECK(fit_error({0, 0, 0}) == "active count of period 0 must be positive: the cohort is empty");
    CHECK(fit_error({1000, 631}) ==
          "active needs the counts of at least 3 periods (0 to 2), got 2");
    // The likelihood itself is defined from one period on.
    CHECK(cltv::models::sbg_log_likelihood({1, 1}, std::vector<double>{1000, 631}).has_value());
  }
  SECTION("degenerate curves: nobody churns, everybody churns at once") {
    CHECK(fit_error({1000, 1000, 1000}) ==
          "no customer of the 1000 churned by period 2: the churn rate cannot be estimated");
    CHECK(fit_error({1000, 0, 0}) ==
          "all 1000 customers churned at the end of period 0: there is no retention to fit");
  }
  SECTION("a curve with falling retention has no sBG estimate") {
    // Retention 0.5, 0.4, 0.25: churn rises with tenure, the opposite of what
    // heterogeneity produces; the likelihood rises without bound towards the
    // constant-churn (geometric) limit.
    CHECK_THAT(fit_error({10000, 5000, 2000, 500}), Contains("does not rise with tenure"));
  }
  SECTION("a curve with constant retention is a constant churn rate, not an sBG") {
    // Retention 1/2 every period: 960 churned over 1024 + 512 + 256 + 128 =
    // 1920 customer-periods at risk, a churn rate of 0.5. The sBG likelihood
    // only approaches that of the constant rate as α, β → ∞.
    CHECK(fit_error({1024, 512, 256, 128, 64}) ==
          "the retention rate of the curve does not rise with tenure, so the sBG model has no "
          "estimate (alpha and beta run to infinity); a constant churn rate of 0.5 per period "
          "describes it");
  }
}

TEST_CASE("sBG recovers its parameters from simulated cohorts", "[sbg]") {
  // The generative process: θ ~ Beta(α, β) (as X/(X + Y), X ~ Gamma(α),
  // Y ~ Gamma(β)); each customer, active at the start of period 0, churns at
  // the end of each period with probability θ. 50,000 customers, 12 periods.
  // Tolerance: 4 standard errors of the fit itself (a two-sided 4σ miss has
  // probability 6e−5 per parameter; the seed is fixed, so the test is
  // deterministic, and the bound says the fit is consistent, not lucky).
  for (const sbg_params truth : {sbg_params{0.8, 2.5}, sbg_params{3.0, 10.0}}) {
    INFO("alpha " << truth.alpha << ", beta " << truth.beta);
    std::mt19937_64 rng(20070101);
    std::gamma_distribution<double> gamma_a(truth.alpha, 1), gamma_b(truth.beta, 1);
    std::uniform_real_distribution<double> uniform(0, 1);
    constexpr int customers = 50000;
    constexpr std::size_t periods = 12;
    std::vector<double> active(periods + 1, 0);
    for (int i = 0; i < customers; ++i) {
      const double x = gamma_a(rng), y = gamma_b(rng);
      const double theta = x / (x + y);
      std::size_t t = 0;
      active[0] += 1;
      while (t < periods && uniform(rng) >= theta) active[++t] += 1;
    }
    auto fit = cltv::models::fit_sbg(active);
    REQUIRE(fit.has_value());
    CHECK(fit->report.converged);
    CHECK_THAT(fit->params.alpha, WithinAbs(truth.alpha, 4 * fit->alpha.standard_error));
    CHECK_THAT(fit->params.beta, WithinAbs(truth.beta, 4 * fit->beta.standard_error));
    // The intervals are informative at this size: relative SE below 15 %.
    CHECK(fit->alpha.standard_error < 0.15 * truth.alpha);
    CHECK(fit->beta.standard_error < 0.15 * truth.beta);
  }
}

TEST_CASE("sBG pooled cohorts: one cohort is fit_sbg, several sum their likelihoods", "[sbg]") {
  // One cohort: the same estimate as fit_sbg (Fader & Hardie's high end).
  const std::vector<std::vector<double>> one{high_end};
  auto pooled = cltv::models::fit_sbg_cohorts(one);
  auto single = cltv::models::fit_sbg(high_end);
  REQUIRE(pooled);
  REQUIRE(single);
  CHECK(pooled->params.alpha == single->params.alpha);
  CHECK(pooled->params.beta == single->params.beta);

  // The high end observed for 7 years plus a younger cohort of 500 seen for
  // 3 years (its counts from the published curve: 500 S(t) rounded, S(1) =
  // 3.806/4.474 → 425, S(2) = S(1)·4.806/5.474 → 373, S(3) → 336) and one
  // seen only at acquisition (k = 0: counts nothing but is allowed).
  const std::vector<std::vector<double>> cohorts{high_end, {500, 425, 373, 336}, {200}};
  auto fit = cltv::models::fit_sbg_cohorts(cohorts);
  REQUIRE(fit);
  CHECK(fit->report.customers == 1700);
  CHECK(fit->report.unique_tuples == 10);
  // Same population: the estimate stays near the published one.
  CHECK_THAT(fit->params.alpha, WithinAbs(0.668, 0.05));
  CHECK_THAT(fit->params.beta, WithinAbs(3.806, 0.4));
  // At the optimum the summed log-likelihood is the reported one and its
  // gradient vanishes.
  double ll = 0;
  double grad[2] = {0, 0};
  for (const auto& c : cohorts) {
    if (c.size() < 2) continue;  // seen only at acquisition: n0 ln S(0) = 0
    double g[2];
    auto l = cltv::models::sbg_log_likelihood(fit->params, c, g);
    REQUIRE(l);
    ll += *l;
    grad[0] += g[0];
    grad[1] += g[1];
  }
  CHECK_THAT(fit->report.log_likelihood, WithinRel(ll, 1e-12));
  CHECK(std::abs(grad[0]) < 1e-3);
  CHECK(std::abs(grad[1]) < 1e-3);
}

TEST_CASE("sBG pooled cohorts: bad input names the cohort", "[sbg]") {
  CHECK(cltv::models::fit_sbg_cohorts({}).error().field == "active");
  const std::vector<std::vector<double>> short_curves{{100, 80}, {50, 45}};
  auto e = cltv::models::fit_sbg_cohorts(short_curves);
  REQUIRE_FALSE(e);
  CHECK_THAT(e.error().message, Contains("3 periods"));
  const std::vector<std::vector<double>> rising{high_end, {100, 120}};
  auto r = cltv::models::fit_sbg_cohorts(rising);
  REQUIRE_FALSE(r);
  CHECK_THAT(r.error().message, Contains("cohort 2"));
  CHECK_THAT(r.error().message, Contains("cannot increase"));
}

TEST_CASE("sBG: a survival curve checked one count at a time", "[sbg]") {
  // Fader & Hardie 2007's "regular" segment starts 1000, 631, 468, …
  CHECK(*cltv::models::check_next_active_count(1000, std::nullopt) == 1000);
  CHECK(*cltv::models::check_next_active_count(468, 631) == 468);
  CHECK(*cltv::models::check_next_active_count(468, 468) == 468);  // no one churned: allowed
  CHECK(*cltv::models::check_next_active_count(0, 468) == 0);
  auto fraction = cltv::models::check_next_active_count(2.5, std::nullopt);
  REQUIRE_FALSE(fraction);
  CHECK(fraction.error().field == "active");
  CHECK(fraction.error().message == "active count must be a whole number >= 0, got 2.5");
  CHECK_FALSE(cltv::models::check_next_active_count(-1, 10));
  auto rising = cltv::models::check_next_active_count(500, 468);
  REQUIRE_FALSE(rising);
  CHECK(rising.error().message ==
        "active count 500 is greater than 468 the period before; a survival curve never increases");
}
