// Tests of the chart renderer (src/plot): numbers and ticks as written,
// escaping, and the layout's promise that no two labels overlap.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "cltv/grid.hpp"
#include "cltv/payback_curve.hpp"
#include "cltv/segments.hpp"
#include "cltv/survival_curve.hpp"
#include "plot/axis.hpp"
#include "plot/charts.hpp"
#include "plot/data_table.hpp"
#include "plot/svg.hpp"
#include "plot/text_box.hpp"

using namespace cltv::plot;

namespace {

cltv::payback_curve payback_of(cltv::scenario_input in) {
  auto s = cltv::resolve(in);
  REQUIRE(s);
  auto c = cltv::make_payback_curve(*s, std::nullopt);
  REQUIRE(c);
  return *c;
}

}  // namespace

TEST_CASE("SVG numbers and escaping", "[plot]") {
  CHECK(svg_number(12.5) == "12.5");
  CHECK(svg_number(100) == "100");
  CHECK(svg_number(1.0 / 3) == "0.33");
  CHECK(svg_number(-0.001) == "0");  // no "-0"
  CHECK(svg_number(2.004) == "2");
  CHECK(xml_escaped("a < b & \"c\"") == "a &lt; b &amp; &quot;c&quot;");
  svg_writer svg(100, 50, "T & C", "<desc>");
  svg.text_element("text", {{"x", "1"}}, "3 > 2");
  const std::string out = svg.finish();
  CHECK(out.find("<title id=\"chart-title\">T &amp; C</title>") != std::string::npos);
  CHECK(out.find("<desc id=\"chart-desc\">&lt;desc&gt;</desc>") != std::string::npos);
  CHECK(out.find(">3 &gt; 2</text>") != std::string::npos);
  CHECK(out.substr(out.size() - 7) == "</svg>\n");
}

TEST_CASE("ticks fall on nice numbers with readable labels", "[plot]") {
  SECTION("linear: 1, 2 or 5 × 10^k covering the range") {
    const ticks t = linear_ticks(0, 1250, 4);
    CHECK(t.step == 500);
    CHECK(t.values == std::vector<double>{0, 500, 1000, 1500});
    const ticks small = linear_ticks(0, 0.87, 5);
    CHECK(small.step == 0.2);
    CHECK(small.high == Approx(1.0));
  }
  SECTION("whole periods never step below 1") {
    CHECK(linear_ticks(0, 3, 10, true).step == 1);
  }
  SECTION("log: powers of ten with 2 and 5 between, only powers past three decades") {
    CHECK(log_ticks(0.02, 1).values == std::vector<double>{0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1});
    CHECK(log_ticks(1e-5, 1).values.size() == 6);  // 1e-5 … 1
    CHECK(spans_decades(0.001, 1));
    CHECK_FALSE(spans_decades(0.1, 1));
  }
  SECTION("labels: thousands separators, percents, the decimals the step needs") {
    CHECK(tick_label(1250, value_style::amount, 250) == "1,250");
    CHECK(tick_label(-1234567, value_style::amount, 1000) == "-1,234,567");
    CHECK(tick_label(0.125, value_style::percent, 0.025) == "12.5%");
    CHECK(tick_label(0.001, value_style::percent, 0) == "0.1%");  // a log axis
    CHECK(tick_label(2.5, value_style::amount, 0.5) == "2.5");
    CHECK(readable_number(6.7268, value_style::amount) == "6.73");
    CHECK(readable_number(1250, value_style::amount) == "1,250");
    CHECK(readable_number(0.04, value_style::percent) == "4%");
    CHECK(readable_number(0.0412, value_style::amount) == "0.0412");
  }
}

TEST_CASE("data tables as CSV and JSON", "[plot]") {
  const data_table t{{"name", "value"}, {{std::string("a,b"), 1.5}, {cell{}, 2.0}}};
  CHECK(to_csv(t) == "name,value\n\"a,b\",1.5\n,2\n");
  CHECK(json_rows(t) == R"([{"name":"a,b","value":1.5},{"name":null,"value":2}])");
  CHECK(json_string("x\"\n") == R"("x\"\n")");
}

TEST_CASE("no two labels of a chart overlap", "[plot]") {
  // Text widths are estimated from DejaVu Sans; the browser test checks the
  // drawn charts. Here: the layout's own boxes, over scenarios whose marks
  // crowd each other (paybacks close together, lines near each other).
  std::vector<cltv::scenario_input> scenarios(6);
  scenarios[0].arpu = 50, scenarios[0].churn = 0.04, scenarios[0].cac = 300;
  scenarios[1].arpu = 10, scenarios[1].churn = 0.10, scenarios[1].cac = 500;  // never paid back
  scenarios[2].arpu = 49, scenarios[2].churn = 0.02, scenarios[2].gross_margin = 0.8,
  scenarios[2].cac = 600, scenarios[2].discount_rate = 0.01;
  scenarios[3].arpu = 100, scenarios[3].churn = 0.3, scenarios[3].cac = 95;  // LTV ≈ CAC × 3.5
  scenarios[4].arpu = 600, scenarios[4].period = cltv::period::year, scenarios[4].churn = 0.2,
  scenarios[4].cac = 900, scenarios[4].discount_rate = 0.08;
  scenarios[5].arpu = 50, scenarios[5].churn = 0.04;  // no CAC
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    INFO("payback scenario " << i);
    const rendered_chart chart = render_payback(payback_of(scenarios[i]));
    CHECK(chart.labels.size() >= 8);
    CHECK_FALSE(any_overlap(chart.labels));
  }
  for (const double churn : {0.04, 0.3}) {
    cltv::scenario_input in;
    in.churn = churn;
    const auto curve = cltv::make_survival_curve(in, {}, std::nullopt);
    REQUIRE(curve);
    INFO("survival, churn " << churn);
    CHECK_FALSE(any_overlap(render_survival(*curve).labels));
  }
  cltv::scenario_input sbg;
  sbg.sbg_alpha = 0.668;
  sbg.sbg_beta = 3.806;
  sbg.period = cltv::period::year;
  const std::vector<std::vector<double>> high_end{{1000, 869, 743, 653, 593, 551, 517, 491}};
  const auto curve = cltv::make_survival_curve(sbg, high_end, std::nullopt);
  REQUIRE(curve);
  CHECK_FALSE(any_overlap(render_survival(*curve).labels));
}

TEST_CASE("grid and segments charts keep their labels apart", "[plot]") {
  cltv::scenario_input base;
  base.cac = 300;
  SECTION("a 5 × 5 grid labels every cell, row and column") {
    auto axes = cltv::parse_grid_axes({"churn=2%..10%:5", "arpu=20..60:5"});
    REQUIRE(axes);
    const auto g = cltv::evaluate_grid(base, *axes, cltv::grid_metric::ltv_cac_ratio);
    REQUIRE(g);
    const rendered_chart chart = render_grid(*g);
    CHECK(chart.labels.size() >= 25 + 5 + 5);
    CHECK_FALSE(any_overlap(chart.labels));
    // Hatched cells: 1.67×, 2.5× … below 3× (churn 4 % and arpu 20: 20 / 0.04 / 300 = 1.67).
    CHECK(chart.svg.find("churn 4%, arpu 20: 1.67× (fails)") != std::string::npos);
    CHECK(chart.svg.find("churn 2%, arpu 20: 3.33×\"") != std::string::npos);
  }
  SECTION("values over decades are coloured on a log scale, and the legend says so") {
    auto axes = cltv::parse_grid_axes({"churn=0.5%..20%:20", "arpu=5..200:20"});
    REQUIRE(axes);
    const auto g = cltv::evaluate_grid(base, *axes, cltv::grid_metric::ltv_cac_ratio);
    REQUIRE(g);  // 5 / 0.2 / 300 = 0.083× to 200 / 0.005 / 300 = 133×: over three decades
    const rendered_chart chart = render_grid(*g);
    CHECK(chart.svg.find(">log scale</text>") != std::string::npos);
    CHECK_FALSE(any_overlap(chart.labels));
    auto narrow = cltv::parse_grid_axes({"churn=2%..10%:5"});
    base.arpu = 50;
    const auto g2 = cltv::evaluate_grid(base, *narrow, cltv::grid_metric::ltv_cac_ratio);
    REQUIRE(g2);  // 8.33× to 1.67×: linear
    CHECK(render_grid(*g2).svg.find(">log scale</text>") == std::string::npos);
  }
  SECTION("a 40 × 61 grid thins its axis labels and leaves the cells unlabelled") {
    auto axes = cltv::parse_grid_axes({"churn=1%..10%:40", "arpu=20..80:61"});
    REQUIRE(axes);
    const auto g = cltv::evaluate_grid(base, *axes, cltv::grid_metric::ltv_cac_ratio);
    REQUIRE(g);
    CHECK_FALSE(any_overlap(render_grid(*g).labels));
  }
  SECTION("segments: names, shares, verdicts and the key") {
    std::vector<cltv::segment_input> segments(3);
    const double arpu[] = {5, 20, 60};
    const double share[] = {0.6, 0.3, 0.1};
    const char* names[] = {"ads", "premium", "enterprise annual plan"};
    for (std::size_t i = 0; i < 3; ++i) {
      segments[i].name = names[i];
      segments[i].fields.arpu = arpu[i];
      segments[i].fields.churn = 0.04;
      segments[i].share = share[i];
    }
    cltv::scenario_input top;
    top.cac = 40;
    const auto r = cltv::evaluate_segments(top, segments);
    REQUIRE(r);
    const rendered_chart chart = render_segments(*r);
    CHECK(chart.labels.size() >= 3 * 4 + 1);
    CHECK_FALSE(any_overlap(chart.labels));
    // ads: 5 / 0.04 = 125 against 3 × 40 = 120: meets, 125 / 40 = 3.125 (written 3.12×).
    CHECK(chart.svg.find("ads: LTV 125, 3.12× ✓") != std::string::npos);
  }
}

TEST_CASE("the same input gives the same bytes", "[plot]") {
  cltv::scenario_input in;
  in.arpu = 50;
  in.churn = 0.04;
  in.cac = 300;
  CHECK(render_payback(payback_of(in)).svg == render_payback(payback_of(in)).svg);
}
