// Tests of the report pages (src/report): ids made unique, text escaped, the
// sensitivity axes around a scenario, and what each page says.

#include <catch2/catch.hpp>

#include <string>

#include "cltv/value_distribution.hpp"
#include "report/html_page.hpp"
#include "report/reports.hpp"

using namespace cltv::report;

namespace {

std::size_t count_of(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("every id of a chart is prefixed, with each reference to it", "[report]") {
  const std::string svg =
      R"x(<svg aria-labelledby="chart-title chart-desc"><title id="chart-title">T</title>)x"
      R"x(<pattern id="hatch"/><rect fill="url(#hatch)"/><use href="#hatch"/></svg>)x";
  CHECK(
      prefixed_ids(svg, "f2-") ==
      R"x(<svg aria-labelledby="f2-chart-title f2-chart-desc"><title id="f2-chart-title">T</title>)x"
      R"x(<pattern id="f2-hatch"/><rect fill="url(#f2-hatch)"/><use href="#f2-hatch"/></svg>)x");
  CHECK(prefixed_ids("<svg/>", "x-") == "<svg/>");
}

TEST_CASE("a page escapes its text and numbers its figures", "[report]") {
  html_page page("A & B", "<lead>");
  page.section("S");
  page.figure(R"(<svg id="a"><title id="t">x</title></svg>)", "first");
  page.figure(R"(<svg id="a"><title id="t">y</title></svg>)", "second");
  page.table({{"Name", "Value"}, {{"<x>", "1"}}, {false, true}, "cap"});
  const std::string html = page.finish();
  CHECK(html.starts_with("<!DOCTYPE html>"));
  CHECK(html.find("<h1>A &amp; B</h1>") != std::string::npos);
  CHECK(html.find("&lt;lead&gt;") != std::string::npos);
  CHECK(html.find("Figure 1. first") != std::string::npos);
  CHECK(html.find("Figure 2. second") != std::string::npos);
  CHECK(html.find(R"(id="f1-a")") != std::string::npos);
  CHECK(html.find(R"(id="f2-a")") != std::string::npos);
  CHECK(count_of(html, R"(id="a")") == 0);
  CHECK(html.find(R"(<td class="num">1</td>)") != std::string::npos);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("prefers-color-scheme:dark") != std::string::npos);
  CHECK(html.find("@media print") != std::string::npos);
  CHECK(html.ends_with("</html>\n"));
}

TEST_CASE("sensitivity axes: value and lifetime inputs at 50 % to 150 %", "[report]") {
  cltv::scenario_input in;
  in.arpu = 50;
  in.churn = 0.04;
  const auto axes = sensitivity_axes(in);
  REQUIRE(axes.size() == 2);
  CHECK(axes[0].field.name == "churn");
  CHECK(axes[0].values == std::vector<double>{0.02, 0.03, 0.04, 0.05, 0.06});
  CHECK(axes[1].field.name == "arpu");
  CHECK(axes[1].values == std::vector<double>{25, 37.5, 50, 62.5, 75});
  SECTION("a churn near 100 % stays below it") {
    in.churn = 0.8;
    const auto high = sensitivity_axes(in);
    REQUIRE(high[0].values.size() == 4);  // 1.0 and 1.2 both become 0.99
    CHECK(high[0].values[1] == Approx(0.6));
    CHECK(high[0].values[3] == 0.99);
  }
  SECTION("a lifetime from an sBG curve is not varied") {
    in.churn.reset();
    in.sbg_alpha = 0.7;
    in.sbg_beta = 3.8;
    const auto one = sensitivity_axes(in);
    REQUIRE(one.size() == 1);
    CHECK(one[0].field.name == "arpu");
  }
}

TEST_CASE("the scenario page: verdict, figures, charts and inputs", "[report]") {
  scenario_page_input in;
  in.input.arpu = 50;
  in.input.churn = 0.04;
  in.input.cac = 300;
  in.source = "flags";
  auto page = scenario_page(in);
  REQUIRE(page);
  // LTV 50 / 0.04 = 1250; 1250 / 300 = 4.17 ≥ 3.
  CHECK(page->find("LTV:CAC is 4.17×: it meets the 3× target.") != std::string::npos);
  CHECK(page->find("1,250") != std::string::npos);
  CHECK(count_of(*page, "<svg ") == 3);  // payback, sensitivity, survival
  CHECK(page->find("<td>churn</td><td class=\"num\">4%</td>") != std::string::npos);
  SECTION("below the target") {
    in.input.cac = 500;  // 1250 / 500 = 2.5
    auto below = scenario_page(in);
    REQUIRE(below);
    CHECK(below->find("LTV:CAC is 2.5×: it is below the 3× target.") != std::string::npos);
    CHECK(below->find("class=\"verdict bad\"") != std::string::npos);
  }
  SECTION("a fixed lifetime has no survival curve, and says why") {
    in.input.churn.reset();
    in.input.lifetime = 24;
    auto fixed = scenario_page(in);
    REQUIRE(fixed);
    CHECK(count_of(*fixed, "<svg ") == 2);
    CHECK(fixed->find("No survival curve") != std::string::npos);
  }
  SECTION("a bad scenario is an error") {
    in.input.churn = 2;
    CHECK_FALSE(scenario_page(in));
  }
}

TEST_CASE("the customer page: figures, models, charts and what it leaves out", "[report]") {
  customer_page_input in;
  in.source = "s.csv";
  in.time_unit = "weeks";
  in.customers = 4;
  in.one_time_buyers = 1;
  in.models.push_back({"BG/NBD",
                       {{"r", 0.24, 0.0126}, {"alpha", 4.41, std::nullopt}},
                       -9582.43,
                       "fitted to 4 customers"});
  in.clv = *cltv::distribute_values(std::vector<double>{10, 20, 30, 40});
  in.expected_active = 2.5;
  in.top.push_back({"c1", 3, 30, 39, 0.9, 2.5, 40});
  in.missing.push_back("Left out: tracking.");
  auto page = customer_page(in);
  REQUIRE(page);
  CHECK(page->find("25%") != std::string::npos);  // one-time buyers: 1 of 4
  CHECK(page->find("0.0126") != std::string::npos);
  CHECK(page->find("<td class=\"num\">—</td>") != std::string::npos);  // no standard error
  CHECK(page->find("Left out: tracking.") != std::string::npos);
  CHECK(count_of(*page, "<svg ") == 2);  // deciles and Lorenz: no fit charts given
  CHECK(page->find("<td>c1</td>") != std::string::npos);
  customer_page_input none = in;
  none.clv = {};
  CHECK_FALSE(customer_page(none));
}
