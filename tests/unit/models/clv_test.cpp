// Tests of cltv/models/clv.hpp: per-customer CLV from BG/NBD × Gamma-Gamma,
// and value deciles.
//
// Reference values: the lifetimes README (github.com/CamDavidsonPilon/lifetimes,
// "Estimating customer lifetime value using the Gamma-Gamma model"), CDNOW
// summary in weeks, 12 months at 1 % a month. lifetimes' customer_lifetime_value
// defaults to freq="D", i.e. 30 time units a month, which on the weekly CDNOW
// summary means 30 weeks a month: periods_per_month = 30 reproduces it. The
// parameters are the full-precision MLEs of the CDNOW fits (`cltv fit`,
// matching models.md: r 0.242593, α 4.413532, a 0.792886, b 2.425753; p 6.2488,
// q 3.7446, γ 15.4477).

#include "cltv/models/clv.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using cltv::models::bgnbd_params;
using cltv::models::clv_options;
using cltv::models::gamma_gamma_params;
using cltv::models::rfm_tuple;

namespace {

const bgnbd_params cdnow_bg{0.242592907311523, 4.413531562534638, 0.7928861432016427,
                            2.425753423914082};
const gamma_gamma_params cdnow_gg{6.248802486545834, 3.744588456517358, 15.447748026293638};

clv_options lifetimes_readme() {
  clv_options o;
  o.months = 12;
  o.discount_rate = 0.01;
  o.periods_per_month = 30;
  return o;
}

}  // namespace

TEST_CASE("CLV of the first CDNOW customers matches the lifetimes README", "[clv]") {
  struct row {
    rfm_tuple customer;
    double monetary;
    double clv;
  };
  // ID 1, 2, 3, 6, 7, 9 of cdnow_customers_summary_with_transactions.csv.
  const std::vector<row> rows{
      {{2, 30.43, 38.86}, 22.35, 140.096211}, {{1, 1.71, 38.86}, 11.77, 18.943467},
      {{0, 0, 38.86}, 0, 38.180574},          {{7, 29.43, 38.86}, 73.74, 1003.868107},
      {{1, 5.00, 38.86}, 11.77, 28.109683},   {{2, 35.71, 38.86}, 25.55, 167.418216}};
  for (const row& r : rows) {
    auto v = cltv::models::customer_lifetime_value(cdnow_bg, cdnow_gg, r.customer, r.monetary,
                                                   lifetimes_readme());
    REQUIRE(v);
    // lifetimes' own optimum differs from ours in the 8th digit.
    CHECK_THAT(v->clv, WithinRel(r.clv, 1e-6));
  }
}

TEST_CASE("CLV: without discounting the monthly purchases add up to E[Y(H)]", "[clv]") {
  // Σ_i (E[Y(i L)] − E[Y((i−1) L)]) telescopes to E[Y(H L)]; at d = 0 and
  // margin 1 the CLV is that times the expected spend.
  const rfm_tuple customer{2, 30.43, 38.86};
  clv_options o;
  o.months = 9;
  o.periods_per_month = 39.0 / 9;  // 9 months = 39 weeks: the FHL worked example
  std::vector<cltv::models::monthly_cash_flow> flows(9);
  auto v = cltv::models::customer_lifetime_value(cdnow_bg, cdnow_gg, customer, 22.35, o, flows);
  REQUIRE(v);
  CHECK_THAT(v->expected_purchases, WithinAbs(1.2259, 5e-5));  // FHL 2005: 1.226
  CHECK_THAT(v->expected_spend, WithinAbs(24.6586, 1e-4));     // models.md: 24.65
  CHECK_THAT(v->clv, WithinRel(v->expected_purchases * v->expected_spend, 1e-12));
  double sum = 0;
  for (const auto& f : flows) {
    CHECK(f.expected_purchases > 0);
    CHECK(f.discounted_value == f.expected_margin);
    sum += f.expected_purchases;
  }
  CHECK_THAT(sum, WithinRel(v->expected_purchases, 1e-12));
}

TEST_CASE("CLV: month i is discounted by (1 + d)^i and the margin applies to spend", "[clv]") {
  const rfm_tuple customer{7, 29.43, 38.86};
  clv_options o;
  o.months = 3;
  o.discount_rate = 0.02;
  o.gross_margin = 0.25;
  o.periods_per_month = 4;
  std::vector<cltv::models::monthly_cash_flow> flows(3);
  auto v = cltv::models::customer_lifetime_value(cdnow_bg, customer, 40.0, o, flows);
  REQUIRE(v);
  auto purchases = cltv::models::expected_purchases_by_period(cdnow_bg, customer, 3, 4);
  REQUIRE(purchases);
  double expected = 0;
  for (int i = 0; i < 3; ++i) {
    const double margin = (*purchases)[static_cast<std::size_t>(i)] * 40.0 * 0.25;
    CHECK_THAT(flows[static_cast<std::size_t>(i)].expected_margin, WithinRel(margin, 1e-12));
    expected += margin / std::pow(1.02, i + 1);
  }
  CHECK_THAT(v->clv, WithinRel(expected, 1e-12));
  CHECK(v->expected_spend == 40.0);
}

TEST_CASE("CLV rises with the horizon and falls with the discount rate", "[clv][property]") {
  const std::vector<rfm_tuple> customers{
      {0, 0, 38.86}, {1, 1.71, 38.86}, {7, 29.43, 38.86}, {30, 38, 38.86}, {300, 9000, 10000}};
  for (const rfm_tuple& c : customers) {
    double previous = -1;
    for (int months : {1, 2, 6, 12, 60}) {
      clv_options o;
      o.months = months;
      o.discount_rate = 0.01;
      o.periods_per_month = 4.348;
      auto v = cltv::models::customer_lifetime_value(cdnow_bg, c, 30.0, o);
      REQUIRE(v);
      CHECK(std::isfinite(v->clv));
      CHECK(v->clv > previous);
      CHECK(v->probability_alive >= 0);
      CHECK(v->probability_alive <= 1);
      previous = v->clv;
    }
    previous = 1e300;
    for (double d : {0.0, 0.005, 0.01, 0.05, 0.5}) {
      clv_options o;
      o.months = 24;
      o.discount_rate = d;
      o.periods_per_month = 4.348;
      auto v = cltv::models::customer_lifetime_value(cdnow_bg, c, 30.0, o);
      REQUIRE(v);
      CHECK(v->clv < previous);
      previous = v->clv;
    }
  }
}

TEST_CASE("CLV options and inputs are checked", "[clv]") {
  const rfm_tuple customer{1, 2, 10};
  clv_options o;
  o.months = 0;
  auto v = cltv::models::customer_lifetime_value(cdnow_bg, cdnow_gg, customer, 10, o);
  REQUIRE_FALSE(v);
  CHECK(v.error().field == "horizon");
  o.months = 12;
  o.discount_rate = -0.01;
  CHECK(cltv::models::check_clv_options(o).error().field == "discount_rate");
  o.discount_rate = 0;
  o.gross_margin = 1.5;
  CHECK(cltv::models::check_clv_options(o).error().field == "gross_margin");
  o.gross_margin = 1;
  o.periods_per_month = 0;
  CHECK(cltv::models::check_clv_options(o).error().field == "periods_per_month");
  o.periods_per_month = 30;
  CHECK(cltv::models::customer_lifetime_value(cdnow_bg, customer, -1.0, o).error().field ==
        "expected_spend");
  // Gamma-Gamma with q <= 1 has no finite mean spend.
  auto bad = cltv::models::customer_lifetime_value(cdnow_bg, {6, 0.9, 1}, customer, 10, o);
  REQUIRE_FALSE(bad);
  CHECK_THAT(bad.error().message, Contains("q"));
  // A bad row is named as the BG/NBD checks name it.
  auto row = cltv::models::customer_lifetime_value(cdnow_bg, cdnow_gg, {1, 20, 10}, 10, o);
  REQUIRE_FALSE(row);
  CHECK(row.error().field == "recency");
  std::vector<cltv::models::monthly_cash_flow> wrong(3);
  CHECK(cltv::models::customer_lifetime_value(cdnow_bg, cdnow_gg, customer, 10, o, wrong)
            .error()
            .field == "cash_flows");
}

TEST_CASE("CLV settings: horizon, time unit and the month in summary units", "[clv]") {
  CHECK(*cltv::models::clv_horizon_months(12) == 12);
  CHECK(*cltv::models::clv_horizon_months(1200) == 1200);
  for (const double bad : {0.0, 1.5, 1201.0}) {
    auto h = cltv::models::clv_horizon_months(bad);
    REQUIRE_FALSE(h);
    CHECK(h.error().field == "horizon");
  }
  CHECK(cltv::models::clv_horizon_months(1.5).error().message ==
        "horizon must be a whole number of months from 1 to 1200, got 1.5");

  // 365.25 / 12 = 30.4375 days a month, 7 days a week: 30.4375 / 7 = 4.3482… weeks.
  CHECK_THAT(*cltv::models::periods_per_month(cltv::models::days_per_month, 7),
             WithinRel(30.4375 / 7, 1e-15));
  CHECK(*cltv::models::periods_per_month(30, 1) == 30);  // lifetimes' daily convention
  auto zero = cltv::models::periods_per_month(0, 1);
  REQUIRE_FALSE(zero);
  CHECK(zero.error().message == "days_per_month must be positive, got 0");
}

TEST_CASE("CLV of a purchase_model is that of its own model", "[clv]") {
  const rfm_tuple customer{2, 30.43, 38.86};
  const clv_options o = lifetimes_readme();
  for (const cltv::models::purchase_model& model :
       {cltv::models::purchase_model{cdnow_bg},
        cltv::models::purchase_model{
            cltv::models::pareto_nbd_params{0.5534, 10.5802, 0.6061, 11.6562}}}) {
    auto v = cltv::models::customer_lifetime_value(model, customer, 24.65, o);
    REQUIRE(v);
    auto own =
        model.kind() == cltv::models::model_kind::bgnbd
            ? cltv::models::customer_lifetime_value(cdnow_bg, customer, 24.65, o)
            : cltv::models::customer_lifetime_value(
                  std::get<cltv::models::pareto_nbd_params>(model.params()), customer, 24.65, o);
    REQUIRE(own);
    CHECK(v->clv == own->clv);
    CHECK(v->probability_alive == own->probability_alive);
  }
}

TEST_CASE("CLV: the spend a customer is valued at", "[clv]") {
  // p = 2, q = 3, γ = 10: population mean pγ / (q − 1) = 20 / 2 = 10; a
  // customer with x = 2 purchases averaging 20: p(γ + x m̄) / (px + q − 1) =
  // 2 · (10 + 40) / (4 + 3 − 1) = 100 / 6.
  const gamma_gamma_params gg{2, 3, 10};
  CHECK_THAT(*cltv::models::clv_expected_spend(gg, 2, 20, 10), WithinRel(100.0 / 6, 1e-15));
  CHECK(*cltv::models::clv_expected_spend(gg, 0, 0, 10) == 10);    // no repeat purchases
  CHECK(*cltv::models::clv_expected_spend(gg, 2, -5, 10) == 10);   // a refund: left out of the fit
  CHECK_FALSE(cltv::models::clv_expected_spend(gg, 1.5, 20, 10));  // not a whole frequency
}

TEST_CASE("spend per purchase without Gamma-Gamma", "[clv]") {
  using cltv::models::summary_expected_spend;
  SECTION("a fixed amount is positive and finite") {
    CHECK(cltv::models::check_spend_per_purchase(25).value() == 25);
    for (const double bad : {0.0, -1.0, std::nan("")}) {
      auto checked = cltv::models::check_spend_per_purchase(bad);
      REQUIRE_FALSE(checked);
      CHECK(checked.error().field == "spend_per_purchase");
    }
  }
  SECTION("the summary's mean counts each repeat customer once") {
    // (30 + 10) / 2 = 20: x = 0 and m̄ ≤ 0 are left out.
    const std::vector<double> x{2, 1, 0, 3};
    const std::vector<double> m{30, 10, 0, -5};
    CHECK(cltv::models::summary_mean_spend(x, m).value() == 20);
    const std::vector<double> none{0, 0};
    auto empty = cltv::models::summary_mean_spend(none, none);
    REQUIRE_FALSE(empty);
    CHECK(empty.error().field == "monetary_value");
    const std::vector<double> shorter{1};
    CHECK_FALSE(cltv::models::summary_mean_spend(x, shorter));
  }
  SECTION("a customer's own mean, else the summary's") {
    CHECK(summary_expected_spend(2, 30, 20) == 30);  // no shrinkage
    CHECK(summary_expected_spend(0, 0, 20) == 20);   // no repeat purchases
    CHECK(summary_expected_spend(3, -5, 20) == 20);  // a refund: left out
  }
}

TEST_CASE("purchase_spend: the one rule clv values purchases by", "[clv]") {
  using cltv::models::purchase_spend;
  SECTION("Gamma-Gamma: its population mean and E[M | x, m̄]") {
    // p = 2, q = 3, γ = 10 as above: mean 10; x = 2, m̄ = 20 → 100 / 6.
    auto spend = purchase_spend::from_gamma_gamma(gamma_gamma_params{2, 3, 10});
    REQUIRE(spend);
    CHECK(spend->kind() == purchase_spend::source::gamma_gamma);
    CHECK(spend->mean() == 10);
    CHECK_THAT(*spend->of_customer(2, 20), WithinRel(100.0 / 6, 1e-15));
    CHECK(*spend->of_customer(0, 0) == 10);
    // q ≤ 1: the population mean is infinite, so there is nothing to value at.
    CHECK_FALSE(purchase_spend::from_gamma_gamma(gamma_gamma_params{2, 1, 10}));
  }
  SECTION("fixed: the amount, whatever the customer") {
    auto spend = purchase_spend::fixed(25);
    REQUIRE(spend);
    CHECK(spend->mean() == 25);
    CHECK(*spend->of_customer(3, 99) == 25);
    CHECK_FALSE(purchase_spend::fixed(0));
  }
  SECTION("from the summary: own mean, else the mean of those") {
    // Repeat customers (x > 0, m̄ > 0): 30 and 10 → mean 20.
    const std::vector<rfm_tuple> rows{{2, 5, 10, 1}, {1, 3, 10, 1}, {0, 0, 10, 1}};
    const std::vector<double> m{30, 10, 0};
    auto spend = purchase_spend::from_summary(rows, m);
    REQUIRE(spend);
    CHECK(spend->mean() == 20);
    CHECK(*spend->of_customer(2, 30) == 30);
    CHECK(*spend->of_customer(0, 0) == 20);
    const std::vector<double> zeros{0, 0, 0};
    CHECK_FALSE(purchase_spend::from_summary(rows, zeros));
  }
}
