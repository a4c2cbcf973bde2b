// Properties of cltv/ltv.hpp over random inputs (seeded, so failures repeat):
// the monotonicity a reader expects of LTV, the exact 1 / CAC scaling of the
// ratio, and that no valid input yields inf or nan.

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <optional>
#include <random>

#include "cltv/conventions.hpp"
#include "cltv/ltv.hpp"
#include "cltv/scenario.hpp"

using Catch::Matchers::WithinRel;
using cltv::scenario_input;

namespace {

constexpr int samples = 2000;

class random_inputs {
 public:
  explicit random_inputs(std::uint64_t seed) : rng_(seed) {}

  double uniform(double lo, double hi) {
    return std::uniform_real_distribution<double>(lo, hi)(rng_);
  }
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool coin(double p = 0.5) { return std::bernoulli_distribution(p)(rng_); }
  /// Log-uniform in [lo, hi]: every order of magnitude equally likely.
  double magnitude(double lo, double hi) { return std::exp(uniform(std::log(lo), std::log(hi))); }

  /// A valid churn-based scenario with a positive margin, a CAC, and
  /// sometimes a discount rate and a horizon (at least 2 periods, so that
  /// churn matters: with a horizon of 1 only the payment at t = 0 counts).
  scenario_input positive_margin() {
    scenario_input in;
    in.arpu = magnitude(0.01, 1e6);
    in.gross_margin = uniform(0.05, 1.0);
    in.cost_to_serve = *in.arpu * *in.gross_margin * uniform(0.0, 0.9);  // margin > 0
    in.churn = uniform(0.001, 0.9);
    in.cac = magnitude(0.01, 1e6);
    if (coin()) in.discount_rate = uniform(0.0, 0.2);
    if (coin()) in.horizon = pick(2, cltv::max_horizon);
    return in;
  }

 private:
  std::mt19937_64 rng_;
};

double ltv_of(const scenario_input& in) {
  auto r = cltv::calculate(in);
  if (!r) FAIL("calculate failed: " << r.error().message);
  return r->ltv;
}

}  // namespace

TEST_CASE("LTV is monotonic in each input, for a positive margin", "[properties]") {
  random_inputs gen(20261123);
  for (int i = 0; i < samples; ++i) {
    const scenario_input base = gen.positive_margin();
    const double ltv = ltv_of(base);
    INFO("arpu " << *base.arpu << ", gross_margin " << *base.gross_margin << ", cost_to_serve "
                 << *base.cost_to_serve << ", churn " << *base.churn << ", discount_rate "
                 << base.discount_rate.value_or(0) << ", horizon " << base.horizon.value_or(0));
    REQUIRE(ltv > 0);

    {  // falls strictly as churn rises
      scenario_input more = base;
      more.churn = std::fmin(1.0, *base.churn * (1 + gen.uniform(0.01, 1.0)));
      CHECK(ltv_of(more) < ltv);
    }
    {  // rises strictly with arpu
      scenario_input more = base;
      more.arpu = *base.arpu * (1 + gen.uniform(0.01, 1.0));
      CHECK(ltv_of(more) > ltv);
    }
    {  // rises strictly with gross margin
      scenario_input more = base;
      more.gross_margin = std::fmin(1.0, *base.gross_margin * (1 + gen.uniform(0.01, 1.0)));
      if (*more.gross_margin > *base.gross_margin) CHECK(ltv_of(more) > ltv);
    }
    {  // falls strictly as cost to serve rises
      scenario_input more = base;
      more.cost_to_serve = *base.cost_to_serve + *base.arpu * gen.uniform(0.01, 0.1);
      CHECK(ltv_of(more) < ltv);
    }
    {  // falls strictly as the discount rate rises
      scenario_input more = base;
      more.discount_rate = base.discount_rate.value_or(0) + gen.uniform(0.001, 0.1);
      CHECK(ltv_of(more) < ltv);
    }
    {  // does not fall as the horizon grows; rises strictly while it binds
      scenario_input more = base;
      more.horizon = base.horizon ? std::fmin(*base.horizon + gen.pick(1, 100), cltv::max_horizon)
                                  : gen.pick(2, cltv::max_horizon);
      const double capped = ltv_of(more);
      if (base.horizon) {
        CHECK(capped >= ltv);
        if (*more.horizon > *base.horizon && *base.horizon < 50) CHECK(capped > ltv);
      } else {
        CHECK(capped <= ltv);  // a horizon only removes periods
      }
    }
  }
}

TEST_CASE("the LTV:CAC ratio scales as 1 / CAC, exactly up to rounding", "[properties]") {
  random_inputs gen(42);
  for (int i = 0; i < samples; ++i) {
    scenario_input in = gen.positive_margin();
    auto a = cltv::calculate(in);
    REQUIRE(a);
    const double k = gen.magnitude(1e-3, 1e3);
    in.cac = *in.cac * k;
    auto b = cltv::calculate(in);
    REQUIRE(b);
    REQUIRE(a->ltv == b->ltv);  // CAC does not enter LTV
    // ratio(k·cac) · k = ratio(cac): a few roundings of one ulp each.
    REQUIRE_THAT(*b->ltv_cac_ratio * k, WithinRel(*a->ltv_cac_ratio, 1e-14));
    // net value and payback follow the same CAC.
    REQUIRE(*b->net_value == b->ltv - *in.cac);
    REQUIRE_THAT(*b->cac_payback, WithinRel(*in.cac / b->margin_per_period, 1e-15));
  }
}

TEST_CASE("any input gives finite results or an error, never inf or nan", "[properties]") {
  random_inputs gen(7);
  // Values from every corner: zero, denormals, tiny, ordinary, huge, out of range.
  auto wild = [&gen]() -> std::optional<double> {
    switch (gen.pick(0, 9)) {
      case 0:
        return std::nullopt;
      case 1:
        return 0.0;
      case 2:
        return gen.magnitude(4.9e-324, 1e-300);
      case 3:
        return gen.magnitude(1e-300, 1e-3);
      case 4:
        return gen.uniform(0.0, 1.0);
      case 5:
        return gen.magnitude(1.0, 1e6);
      case 6:
        return gen.magnitude(1e6, 1.7e308);
      case 7:
        return -gen.magnitude(1e-3, 1e6);
      case 8:
        return static_cast<double>(gen.pick(1, 20000));
      default:
        return 1.0;
    }
  };
  int evaluated = 0;
  for (int i = 0; i < 50 * samples; ++i) {
    scenario_input in;
    in.arpu = wild();
    if (!in.arpu || gen.coin(0.2)) {
      in.aov = wild();
      in.purchase_frequency = wild();
    }
    if (gen.coin())
      in.churn = wild();
    else
      in.lifetime = wild();
    in.gross_margin = wild();
    in.cost_to_serve = wild();
    in.cac = wild();
    in.discount_rate = wild();
    in.horizon = wild();
    in.target = wild();
    auto r = cltv::calculate(in);
    if (!r) {
      CHECK_FALSE(r.error().message.empty());
      continue;
    }
    ++evaluated;
    const cltv::ltv_result& x = *r;
    INFO("ltv " << x.ltv << ", margin " << x.margin_per_period << ", paid " << x.paid_periods);
    REQUIRE(std::isfinite(x.ltv));
    REQUIRE(std::isfinite(x.margin_per_period));
    REQUIRE(std::isfinite(x.paid_periods));
    REQUIRE(std::isfinite(x.target));
    for (const auto& v : {x.lifetime, x.net_value, x.ltv_cac_ratio, x.cac_payback})
      if (v) REQUIRE(std::isfinite(*v));
  }
  CHECK(evaluated > samples);  // the generator reaches valid scenarios too
}

TEST_CASE("expansion: g = 0 changes nothing, and LTV rises with g", "[properties][expansion]") {
  random_inputs gen(20261130);
  for (int i = 0; i < samples; ++i) {
    scenario_input base = gen.positive_margin();
    const double ltv = ltv_of(base);
    scenario_input zero = base;
    zero.expansion = 0.0;
    REQUIRE(ltv_of(zero) == ltv);  // bit for bit
    scenario_input more = base;
    more.expansion = gen.uniform(0.001, 0.2);
    if (!more.horizon) more.horizon = gen.pick(2, cltv::max_horizon);  // so that it converges
    base.horizon = more.horizon;
    INFO("churn " << *base.churn << ", expansion " << *more.expansion << ", horizon "
                  << *more.horizon);
    auto grown = cltv::calculate(more);
    if (!grown) {  // only an overflow of q^H may fail, and it says so
      CHECK(grown.error().field == "ltv");
      continue;
    }
    CHECK(grown->ltv > ltv_of(base));
    scenario_input less = base;
    less.expansion = -gen.uniform(0.001, 0.5);
    CHECK(ltv_of(less) < ltv_of(base));
  }
}

TEST_CASE("the churn interval brackets the point estimate and shrinks as counts grow",
          "[properties][counts]") {
  random_inputs gen(1998);
  for (int i = 0; i < samples; ++i) {
    scenario_input in = gen.positive_margin();
    in.churn.reset();
    const int start = gen.pick(1, 5000);
    in.customers_start = start;
    in.customers_lost = gen.pick(0, start);
    in.confidence = gen.uniform(0.5, 0.999);
    if (*in.customers_lost == 0 && !in.horizon && !in.discount_rate) in.horizon = 60;
    INFO("lost " << *in.customers_lost << " of " << start << " at " << *in.confidence);
    auto r = cltv::calculate(in);
    if (!r) {  // the point estimate itself may be past 10,000 periods: an input error
      CHECK(r.error().field == "customers_lost");
      continue;
    }
    const cltv::churn_interval& x = *r->interval;
    const double p = *r->churn;
    CHECK(x.churn_low <= p);
    CHECK(p <= x.churn_high);
    CHECK(0.0 <= x.churn_low);
    CHECK(x.churn_high <= 1.0);
    if (x.ltv.low) CHECK(*x.ltv.low <= r->ltv * (1 + 1e-12));
    if (x.ltv.high) CHECK(r->ltv <= *x.ltv.high * (1 + 1e-12));
    // Ten times the customers, the same share lost: a narrower interval.
    scenario_input more = in;
    *more.customers_start *= 10;
    *more.customers_lost *= 10;
    auto wider = cltv::calculate(more);
    REQUIRE(wider);
    const cltv::churn_interval& y = *wider->interval;
    CHECK(y.churn_high - y.churn_low < x.churn_high - x.churn_low);
  }
}

TEST_CASE("expansion, counts and conventions never give inf or nan", "[properties]") {
  random_inputs gen(857);
  auto rate = [&gen]() -> std::optional<double> {
    switch (gen.pick(0, 5)) {
      case 0:
        return std::nullopt;
      case 1:
        return 0.0;
      case 2:
        return gen.magnitude(1e-300, 1e-3);
      case 3:
        return gen.uniform(-1.5, 1.5);
      case 4:
        return gen.magnitude(1.0, 1e6);
      default:
        return gen.uniform(0.0, 0.2);
    }
  };
  int evaluated = 0;
  for (int i = 0; i < 20 * samples; ++i) {
    scenario_input in;
    in.arpu = gen.magnitude(1e-3, 1e300);
    in.gross_margin = gen.uniform(0.01, 1.0);
    in.cost_to_serve = gen.coin() ? gen.magnitude(1e-3, 1e6) : 0.0;
    in.expansion = rate();
    in.discount_rate = rate();
    if (gen.coin()) in.horizon = gen.pick(1, cltv::max_horizon);
    if (gen.coin()) {
      in.churn = rate();
    } else {
      in.customers_start = gen.pick(1, 1000000);
      in.customers_lost = gen.pick(0, static_cast<int>(*in.customers_start));
      in.confidence = gen.coin() ? gen.uniform(0.0, 1.0) : 0.95;
    }
    in.cac = gen.magnitude(1e-3, 1e6);
    auto s = cltv::resolve(in);
    if (!s) continue;
    auto r = cltv::evaluate(*s);
    if (!r) {
      CHECK_FALSE(r.error().message.empty());
      continue;
    }
    ++evaluated;
    REQUIRE(std::isfinite(r->ltv));
    REQUIRE(std::isfinite(r->revenue_periods));
    if (r->interval) {
      for (const auto& v : {r->interval->ltv.low, r->interval->ltv.high})
        if (v) REQUIRE(std::isfinite(*v));
      if (r->interval->ltv_cac_ratio)
        for (const auto& v : {r->interval->ltv_cac_ratio->low, r->interval->ltv_cac_ratio->high})
          if (v) REQUIRE(std::isfinite(*v));
    }
    auto rows = cltv::reconcile(*s);
    REQUIRE(rows);
    for (const auto& row : *rows)
      if (row.ltv) REQUIRE(std::isfinite(*row.ltv));
  }
  CHECK(evaluated > samples);
}
