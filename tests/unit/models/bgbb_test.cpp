// models/bgbb.hpp: FHS 2010's donations fit, the gradient against finite
// differences, and the predictions against an independent SciPy evaluation.

#include "cltv/models/bgbb.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <random>
#include <tuple>
#include <vector>

#include "test_support.hpp"

using namespace cltv::models;
using cltv_test::value_of;

namespace {

// FHS 2010's donations (lifetimes' donations.csv): (x, t_x, n = 6, donors).
const std::vector<bgbb_tuple> donations{
    {0, 0, 6, 3464}, {1, 1, 6, 1091}, {1, 2, 6, 277}, {1, 3, 6, 129}, {1, 4, 6, 78},
    {1, 5, 6, 119},  {1, 6, 6, 129},  {2, 2, 6, 613}, {2, 3, 6, 255}, {2, 4, 6, 155},
    {2, 5, 6, 173},  {2, 6, 6, 234},  {3, 3, 6, 322}, {3, 4, 6, 181}, {3, 5, 6, 225},
    {3, 6, 6, 357},  {4, 4, 6, 240},  {4, 5, 6, 284}, {4, 6, 6, 512}, {5, 5, 6, 335},
    {5, 6, 6, 728},  {6, 6, 6, 1203}};

}  // namespace

TEST_CASE("BG/BB: FHS 2010's donations estimates", "[bgbb]") {
  const bgbb_fit fit = value_of(fit_bgbb(donations));
  CHECK(fit.report.customers == 11104);
  // FHS 2010 (Table 2): α 1.204, β 0.750, γ 0.657, δ 2.783; LL −33,225.6.
  CHECK(fit.params.alpha == Approx(1.204).margin(0.001));
  CHECK(fit.params.beta == Approx(0.750).margin(0.001));
  CHECK(fit.params.gamma == Approx(0.657).margin(0.001));
  CHECK(fit.params.delta == Approx(2.783).margin(0.001));
  // bench/scipy_fit_bgbb.py, the same likelihood in SciPy: −33225.58127495786.
  CHECK(fit.report.log_likelihood == Approx(-33225.58127495786).epsilon(1e-9));
}

TEST_CASE("BG/BB: the gradient is the likelihood's", "[bgbb]") {
  const bgbb_params p{1.3, 0.8, 0.7, 2.5};
  double g[4];
  value_of(bgbb_log_likelihood(p, donations, g));
  const double h = 1e-6;
  for (int k = 0; k < 4; ++k) {
    bgbb_params up = p, down = p;
    double* u[4] = {&up.alpha, &up.beta, &up.gamma, &up.delta};
    double* d[4] = {&down.alpha, &down.beta, &down.gamma, &down.delta};
    *u[k] += h;
    *d[k] -= h;
    const double numeric = (value_of(bgbb_log_likelihood(up, donations)) -
                            value_of(bgbb_log_likelihood(down, donations))) /
                           (2 * h);
    CHECK(g[k] == Approx(numeric).epsilon(1e-6));
  }
}

TEST_CASE("BG/BB: predictions at FHS 2010's estimates", "[bgbb]") {
  const bgbb_params p{1.204, 0.750, 0.657, 2.783};
  // Worked by hand: E[X(1)] = α/(α+β) · δ/(γ+δ) = 0.616172 · 0.809012 = 0.498490.
  CHECK(value_of(bgbb_expected_transactions(p, 1)) == Approx(0.498490276356192).epsilon(1e-12));
  // A separate SciPy evaluation of FHS 2010 eqs. 7, 11 and 13 (betaln, gammaln, logsumexp).
  CHECK(value_of(bgbb_expected_transactions(p, 6)) == Approx(2.219631393487309).epsilon(1e-12));
  CHECK(value_of(bgbb_probability_alive(p, {3, 4, 6})) ==
        Approx(0.4394628570557566).epsilon(1e-12));
  CHECK(value_of(bgbb_probability_alive(p, {0, 0, 6})) ==
        Approx(0.1080165841686741).epsilon(1e-12));
  CHECK(value_of(bgbb_probability_alive(p, {6, 6, 6})) ==
        Approx(0.9304025423728814).epsilon(1e-12));
  CHECK(value_of(bgbb_conditional_expected_transactions(p, {3, 4, 6}, 5)) ==
        Approx(1.0342284984211148).epsilon(1e-12));
  CHECK(value_of(bgbb_conditional_expected_transactions(p, {0, 0, 6}, 5)) ==
        Approx(0.07280287747504373).epsilon(1e-12));
  CHECK(value_of(bgbb_conditional_expected_transactions(p, {6, 6, 6}, 5)) ==
        Approx(3.752115607599859).epsilon(1e-12));
}

TEST_CASE("BG/BB: P(X(n) = x) and DERT at FHS 2010's estimates", "[bgbb]") {
  const bgbb_params p{1.204, 0.750, 0.657, 2.783};
  // FHS 2010 eq. 8 in SciPy (betaln, comb); the seven sum to 1.
  const std::vector<double> pmf = value_of(bgbb_probabilities_of_transactions(p, 6));
  const double scipy[] = {0.3112177432638495, 0.1701099784065147,  0.12148051376687109,
                          0.1002631150248037, 0.09165985342492182, 0.09248114790529242,
                          0.11278764820774681};
  double total = 0;
  for (std::size_t x = 0; x < 7; ++x) {
    CHECK(pmf[x] == Approx(scipy[x]).epsilon(1e-12));
    total += pmf[x];
  }
  CHECK(total == Approx(1).epsilon(1e-14));
  // The mean of the pmf is E[X(6)].
  double mean = 0;
  for (std::size_t x = 0; x < 7; ++x) mean += static_cast<double>(x) * pmf[x];
  CHECK(mean == Approx(value_of(bgbb_expected_transactions(p, 6))).epsilon(1e-12));
  // DERT at 10% per opportunity: eq. 14 with SciPy's hyp2f1 gives 1.6286607730608185 for
  // (3, 4, 6); summing the discounted differences of eq. 13 over 500 opportunities,
  // 1.628660773060866.
  CHECK(value_of(bgbb_discounted_expected_residual_transactions(p, {3, 4, 6}, 0.1)) ==
        Approx(1.628660773060866).epsilon(1e-12));
  CHECK(value_of(bgbb_discounted_expected_residual_transactions(p, {6, 6, 6}, 0.1)) ==
        Approx(5.90867831955537).epsilon(1e-12));
  CHECK(value_of(bgbb_discounted_expected_residual_transactions(p, {0, 0, 6}, 0.1)) ==
        Approx(0.11464699618176372).epsilon(1e-12));
  CHECK(!bgbb_discounted_expected_residual_transactions(p, {3, 4, 6}, 0));
}

// Parameter recovery: 50,000 customers drawn from known parameters (FHS
// 2010's process: at the start of each opportunity a living customer dies
// with probability θ, else transacts with probability p; p ~ Beta(α, β),
// θ ~ Beta(γ, δ)), observed over 6 to 10 opportunities; each estimate within
// 4 of its standard errors of the truth.
TEST_CASE("BG/BB: parameter recovery on simulated data", "[bgbb]") {
  const bgbb_params truth{1.2, 0.8, 0.6, 2.5};
  std::mt19937_64 rng(2010);
  std::gamma_distribution<double> ga(truth.alpha, 1.0), gb(truth.beta, 1.0);
  std::gamma_distribution<double> gg(truth.gamma, 1.0), gd(truth.delta, 1.0);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::uniform_int_distribution<int> span(6, 10);
  std::map<std::tuple<int, int, int>, double> counts;
  for (int i = 0; i < 50000; ++i) {
    const double u = ga(rng), v = gb(rng), s = gg(rng), t = gd(rng);
    const double p = u / (u + v), theta = s / (s + t);
    const int n = span(rng);
    int x = 0, t_x = 0;
    for (int k = 1; k <= n; ++k) {
      if (unit(rng) < theta) break;
      if (unit(rng) < p) {
        ++x;
        t_x = k;
      }
    }
    counts[{x, t_x, n}] += 1;
  }
  std::vector<bgbb_tuple> rows;
  for (const auto& [key, count] : counts) {
    const auto [x, t_x, n] = key;
    rows.push_back(
        {static_cast<double>(x), static_cast<double>(t_x), static_cast<double>(n), count});
  }
  const bgbb_fit fit = value_of(fit_bgbb(rows));
  const double truths[] = {truth.alpha, truth.beta, truth.gamma, truth.delta};
  for (std::size_t k = 0; k < 4; ++k) {
    INFO("parameter " << k << ": " << fit.estimates[k].value << " ± "
                      << fit.estimates[k].standard_error << ", truth " << truths[k]);
    CHECK(std::abs(fit.estimates[k].value - truths[k]) < 4 * fit.estimates[k].standard_error);
  }
}

// The purchase-model interface (T = n, times in opportunities): each
// quantity against another route to it.
TEST_CASE("BG/BB: the purchase-model interface agrees with itself", "[bgbb]") {
  const bgbb_params p{1.204, 0.750, 0.657, 2.783};
  const rfm_tuple customer{3, 4, 6, 1};
  const double expected5 = value_of(bgbb_conditional_expected_transactions(p, {3, 4, 6}, 5));
  CHECK(value_of(conditional_expected_purchases(p, customer, 5)) == Approx(expected5));
  CHECK(value_of(probability_alive(p, customer)) == Approx(0.4394628570557566).epsilon(1e-12));
  CHECK(value_of(expected_purchases(p, 6)) == Approx(2.219631393487309).epsilon(1e-12));

  SECTION("opportunity by opportunity, the stream sums to E[X(n, n + 5)]") {
    const std::vector<double> stream = value_of(expected_purchases_by_period(p, customer, 5, 1));
    double total = 0;
    for (const double v : stream) total += v;
    CHECK(total == Approx(expected5).epsilon(1e-12));
    // Given alive at n + 1, times P(alive), is the same stream.
    const std::vector<double> alive = value_of(expected_purchases_by_period_if_alive(p, 3, 6, 5));
    const double p_alive = value_of(probability_alive(p, customer));
    for (std::size_t k = 0; k < 5; ++k) CHECK(alive[k] * p_alive == Approx(stream[k]));
  }
  SECTION("months of a yearly opportunity: month 12 holds the first, month 24 the second") {
    const std::vector<double> months =
        value_of(expected_purchases_by_period(p, customer, 24, 30.4375 / 365.25));
    const std::vector<double> years = value_of(expected_purchases_by_period(p, customer, 2, 1));
    for (std::size_t k = 0; k < 24; ++k) {
      const double want = k == 11 ? years[0] : k == 23 ? years[1] : 0;
      CHECK(months[k] == Approx(want).margin(1e-15));
    }
    // Periods of 2.5 opportunities hold 2, 3, 2, 3, …
    const std::vector<double> wide = value_of(expected_purchases_by_period(p, customer, 2, 2.5));
    const std::vector<double> each = value_of(expected_purchases_by_period(p, customer, 5, 1));
    CHECK(wide[0] == Approx(each[0] + each[1]));
    CHECK(wide[1] == Approx(each[2] + each[3] + each[4]));
  }
  SECTION("the conditional pmf sums to 1 and its mean is E[X(n, n + 5)]") {
    const std::vector<double> pmf =
        value_of(conditional_probabilities_of_purchases(p, customer, 5, 8));
    REQUIRE(pmf.size() == 9);
    double total = 0, mean = 0;
    for (std::size_t k = 0; k < pmf.size(); ++k) {
      total += pmf[k];
      mean += static_cast<double>(k) * pmf[k];
    }
    CHECK(total == Approx(1).epsilon(1e-13));
    CHECK(mean == Approx(expected5).epsilon(1e-12));
    CHECK(pmf[6] == 0);  // at most 5 in 5 opportunities
  }
  SECTION("the new customer's pmf is eq. 8's, cut or padded") {
    const std::vector<double> full = value_of(bgbb_probabilities_of_transactions(p, 6));
    const std::vector<double> cut = value_of(probabilities_of_purchases(p, 6, 2));
    REQUIRE(cut.size() == 3);
    CHECK(cut[2] == Approx(full[2]));
    CHECK(value_of(probabilities_of_purchases(p, 2, 4))[3] == 0);
  }
  SECTION("DERT at a continuous rate is eq. 14 at d = e^δ − 1") {
    CHECK(value_of(discounted_expected_residual_purchases(p, customer, std::log1p(0.1))) ==
          Approx(1.628660773060866).epsilon(1e-12));
  }
  SECTION("γ = 1: E[X(n)] is the limit of its neighbours") {
    const double at1 = value_of(expected_purchases(bgbb_params{1.2, 0.75, 1, 2.8}, 10));
    const double near = value_of(expected_purchases(bgbb_params{1.2, 0.75, 1 + 1e-6, 2.8}, 10));
    CHECK(std::isfinite(at1));
    CHECK(at1 == Approx(near).epsilon(1e-5));
  }
  SECTION("a horizon that is not a whole number of opportunities is refused") {
    const auto half = conditional_expected_purchases(p, customer, 2.5);
    REQUIRE(!half);
    CHECK(half.error().field == "horizon");
    CHECK_THAT(half.error().message, Catch::Contains("whole opportunities"));
    CHECK(!expected_purchases(p, -1));
    CHECK(!probabilities_of_purchases(p, 1.5, 3));
    CHECK(!conditional_probabilities_of_purchases(p, customer, 3, -1));
    CHECK(!probability_alive(p, rfm_tuple{3, 2.5, 6, 1}));  // recency not whole
  }
  SECTION("a customer seen at her first opportunity only (n = 0) is no information") {
    CHECK(value_of(bgbb_log_likelihood(p, std::vector<bgbb_tuple>{{0, 0, 0, 5}})) ==
          Approx(0).margin(1e-14));
  }
}
