// Tests of the charts of a customer base (src/plot): the matrix of a purchase
// model, the acquisition cohorts and the spread of value — the plotted
// numbers are the inputs, impossible cells are left out, labels never
// overlap and the big inputs stay small.

#include <catch2/catch.hpp>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "cltv/date.hpp"
#include "cltv/metrics.hpp"
#include "cltv/models/history_matrix.hpp"
#include "cltv/models/purchase_model.hpp"
#include "cltv/value_distribution.hpp"
#include "plot/charts.hpp"
#include "plot/colour_scale.hpp"
#include "plot/text_box.hpp"

using namespace cltv::plot;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

// The CSV's lines after the header, each split at its commas (no field here
// is quoted).
std::vector<std::vector<std::string>> csv_rows(const std::string& csv, std::string* header) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(csv);
  std::string line;
  std::getline(in, line);
  if (header) *header = line;
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::size_t start = 0;
    for (std::size_t comma; (comma = line.find(',', start)) != std::string::npos; start = comma + 1)
      fields.push_back(line.substr(start, comma - start));
    fields.push_back(line.substr(start));
    rows.push_back(std::move(fields));
  }
  return rows;
}

bool ends_svg(const std::string& svg) {
  return svg.size() > 7 && svg.substr(svg.size() - 7) == "</svg>\n";
}

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// FHL (2005)'s BG/NBD fit to CDNOW, in weeks.
const cltv::models::purchase_model cdnow{cltv::models::bgnbd_params{0.243, 4.414, 0.793, 2.426}};

matrix_view matrix_of(double max_frequency, double T, double horizon, int cells,
                      matrix_metric metric) {
  auto m = cltv::models::make_history_matrix(cdnow, max_frequency, T, horizon, cells);
  REQUIRE(m);
  return {"BG/NBD", "weeks", *m, metric};
}

cltv::cohort_row cohort(int month, std::uint64_t customers, std::vector<std::uint64_t> active,
                        std::vector<double> revenue) {
  cltv::cohort_row c;
  c.start = cltv::days_from_civil(2024, month, 1);
  c.customers = customers;
  c.active = std::move(active);
  c.revenue = std::move(revenue);
  return c;
}

// Three monthly cohorts, 2024-01 … 2024-03, as a log ending in March shows them.
std::vector<cltv::cohort_row> three_cohorts() {
  return {cohort(1, 10, {10, 4, 2}, {100, 50, 30}), cohort(2, 20, {20, 5}, {200, 40}),
          cohort(3, 5, {5}, {60})};
}

// 120 monthly cohorts from 2015-01, each seen until 2024-12.
std::vector<cltv::cohort_row> many_cohorts() {
  std::vector<cltv::cohort_row> out;
  for (int i = 0; i < 120; ++i) {
    cltv::cohort_row c;
    c.start = cltv::days_from_civil(2015 + i / 12, i % 12 + 1, 1);
    c.customers = 1000 + static_cast<std::uint64_t>(i) * 7;
    for (int k = 0; k < 120 - i; ++k) {
      c.active.push_back(k == 0 ? c.customers : c.customers / static_cast<std::uint64_t>(k + 3));
      c.revenue.push_back(50.0 * static_cast<double>(c.active.back()));
    }
    out.push_back(std::move(c));
  }
  return out;
}

value_view value_of(std::vector<double> values, value_metric metric) {
  auto d = cltv::distribute_values(values);
  REQUIRE(d);
  return {"CLV", "12 months, BG/NBD × Gamma-Gamma", *d, metric};
}

}  // namespace

TEST_CASE("the shared colour scale", "[plot]") {
  CHECK(colour_at(0) == "#440154");  // viridis' ends
  CHECK(colour_at(1) == "#FDE725");
  CHECK(colour_at(-1) == colour_at(0));  // clamped
  CHECK(is_dark(0.2));
  CHECK_FALSE(is_dark(0.9));
  SECTION("the legend leaves out a tick label that would overlap the one below") {
    svg_writer svg(200, 200, "t", "d");
    text_boxes labels;
    colour_legend legend;
    legend.x = 10;
    legend.top = 20;
    legend.height = 100;
    legend.ticks = {{0, "0%"}, {0.05, "5%"}, {0.5, "50%"}, {1, "100%"}};
    draw_colour_legend(svg, labels, legend);
    const std::string out = svg.finish();
    CHECK(out.find(">5%<") == std::string::npos);  // 5 px above 0%
    CHECK(out.find(">50%<") != std::string::npos);
    CHECK_FALSE(any_overlap(labels));
  }
}

TEST_CASE("the matrix chart: P(alive) or expected purchases over frequency × recency", "[plot]") {
  // Frequencies 0 … 5, recencies 0 … 10 (T + 1 = 11 cells: a step of 1).
  const matrix_view v = matrix_of(5, 10, 2, 11, matrix_metric::p_alive);
  REQUIRE(v.matrix.frequencies.size() == 6);
  REQUIRE(v.matrix.recencies.size() == 11);

  SECTION("CSV: one row per possible history, the model's P(alive)") {
    std::string header;
    const auto rows = csv_rows(matrix_chart(v, chart_format::csv), &header);
    CHECK(header == "frequency,recency,p_alive");
    // 6 × 11 cells less the 10 of frequency 0 with recency 1 … 10.
    REQUIRE(rows.size() == 56);
    for (const auto& row : rows) {
      const auto f = static_cast<std::size_t>(std::stod(row[0]));
      const auto r = static_cast<std::size_t>(std::stod(row[1]));
      CHECK_FALSE((f == 0 && r > 0));
      CHECK_THAT(std::stod(row[2]), WithinRel(v.matrix.p_alive_at(f, r), 1e-12));
    }
  }
  SECTION("expected purchases, titled with the horizon") {
    const matrix_view e = matrix_of(5, 10, 2, 11, matrix_metric::expected_purchases);
    std::string header;
    const auto rows = csv_rows(matrix_chart(e, chart_format::csv), &header);
    CHECK(header == "frequency,recency,expected_purchases");
    for (const auto& row : rows)
      CHECK_THAT(std::stod(row[2]),
                 WithinRel(e.matrix.expected_at(static_cast<std::size_t>(std::stod(row[0])),
                                                static_cast<std::size_t>(std::stod(row[1]))),
                           1e-12));
    const rendered_chart c = render_matrix(e);
    CHECK(c.svg.find("Expected purchases in the next 2 weeks, by frequency and recency") !=
          std::string::npos);
    CHECK_FALSE(any_overlap(c.labels));
  }
  SECTION("SVG: blank cells are not drawn, labels apart, the model and T named") {
    const rendered_chart c = render_matrix(v);
    CHECK(ends_svg(c.svg));
    CHECK_FALSE(any_overlap(c.labels));
    CHECK(c.svg.find("Probability a customer is alive, by frequency and recency") !=
          std::string::npos);
    CHECK(c.svg.find("BG/NBD · a customer aged T = 10 weeks") != std::string::npos);
    // Frequency 0 is the bottom row (y 5 in cell units): one cell, recency 0.
    CHECK(occurrences(c.svg, R"(y="5" width="1")") == 1);
    CHECK(c.svg.find(R"(<rect x="0" y="5" width="1")") != std::string::npos);
    CHECK(occurrences(c.svg, R"( y="5" )") == 1);
  }
  SECTION("JSON and Vega-Lite carry the same cells") {
    const std::string json = matrix_chart(v, chart_format::json);
    CHECK(json.rfind(R"({"chart":"matrix","metric":"p_alive","model":"BG/NBD")", 0) == 0);
    CHECK(json.back() == '\n');
    CHECK(occurrences(json, R"("frequency":)") == 56);
    const std::string vl = matrix_chart(v, chart_format::vega_lite);
    CHECK(vl.find(R"("mark":{"type":"rect"})") != std::string::npos);
  }
  SECTION("100 × 100 cells stay below 1 MB") {
    const matrix_view big = matrix_of(99, 99, 1, 100, matrix_metric::p_alive);
    REQUIRE(big.matrix.frequencies.size() == 100);
    REQUIRE(big.matrix.recencies.size() == 100);
    const rendered_chart c = render_matrix(big);
    CHECK(c.svg.size() < 1'000'000);
    CHECK(ends_svg(c.svg));
    CHECK_FALSE(any_overlap(c.labels));
    const rendered_chart e =
        render_matrix(matrix_of(99, 99, 1, 100, matrix_metric::expected_purchases));
    CHECK(e.svg.size() < 1'000'000);
    CHECK_FALSE(any_overlap(e.labels));
  }
}

TEST_CASE("the cohorts chart: retention and revenue by periods since acquisition", "[plot]") {
  const cohort_view retention{cltv::period::month, three_cohorts(), cohort_metric::retention};
  const cohort_view revenue{cltv::period::month, three_cohorts(), cohort_metric::revenue};

  SECTION("CSV: each cohort's periods, share = active / customers") {
    std::string header;
    const auto rows = csv_rows(cohorts_chart(retention, chart_format::csv), &header);
    CHECK(header == "cohort,customers,period,active,share");
    REQUIRE(rows.size() == 6);  // 3 + 2 + 1 periods
    CHECK(rows[0] == std::vector<std::string>{"2024-01", "10", "0", "10", "1"});
    CHECK(rows[1][0] == "2024-01");
    CHECK_THAT(std::stod(rows[1][4]), WithinRel(0.4, 1e-12));   // 4 / 10
    CHECK_THAT(std::stod(rows[4][4]), WithinRel(0.25, 1e-12));  // 5 / 20
    CHECK(rows[5][0] == "2024-03");
  }
  SECTION("CSV of revenue: cumulative revenue per customer by hand") {
    std::string header;
    const auto rows = csv_rows(cohorts_chart(revenue, chart_format::csv), &header);
    CHECK(header == "cohort,customers,period,active,share,revenue,cumulative_revenue_per_customer");
    REQUIRE(rows.size() == 6);
    CHECK_THAT(std::stod(rows[0][6]), WithinRel(10.0, 1e-12));  // 100 / 10
    CHECK_THAT(std::stod(rows[2][6]), WithinRel(18.0, 1e-12));  // (100 + 50 + 30) / 10
    CHECK_THAT(std::stod(rows[4][6]), WithinRel(12.0, 1e-12));  // (200 + 40) / 20
    CHECK_THAT(std::stod(rows[5][6]), WithinRel(12.0, 1e-12));  // 60 / 5
  }
  SECTION("SVG: a cell per cohort and period, labels apart") {
    const rendered_chart c = render_cohorts(retention);
    CHECK(ends_svg(c.svg));
    CHECK_FALSE(any_overlap(c.labels));
    CHECK(c.svg.find("aria-label=\"2024-01, month 1: 40% (4 of 10)\"") != std::string::npos);
    CHECK(c.svg.find("aria-label=\"2024-02, month 1: 25% (5 of 20)\"") != std::string::npos);
    CHECK(c.svg.find("2024-03, month 1") == std::string::npos);  // not seen yet
    CHECK(c.svg.find(">40%</text>") != std::string::npos);       // in its cell
    const rendered_chart r = render_cohorts(revenue);
    CHECK(ends_svg(r.svg));
    CHECK_FALSE(any_overlap(r.labels));
    // The customer-weighted mean after 2 months: only 2024-01 has seen it.
    CHECK(r.svg.find("Mean of all cohorts (customer-weighted): 18 after 2 months") !=
          std::string::npos);
    // 2024-03 has only its acquisition month (60 / 5 = 12): a dot, not a line.
    CHECK(r.svg.find(R"(<circle cx="84" cy=)") != std::string::npos);
    CHECK(r.svg.find(R"(aria-label="Cohort 2024-03: 12 per customer after 0 months"/>)") !=
          std::string::npos);
  }
  SECTION("JSON and Vega-Lite") {
    const std::string json = cohorts_chart(revenue, chart_format::json);
    CHECK(json.rfind(R"({"chart":"cohorts","metric":"revenue","period":"month","cohorts":3,)", 0) ==
          0);
    CHECK(json.back() == '\n');
    CHECK(cohorts_chart(retention, chart_format::vega_lite).find(R"("type":"rect")") !=
          std::string::npos);
  }
  SECTION("120 monthly cohorts: merged in pairs, below 1 MB") {
    const cohort_view many{cltv::period::month, many_cohorts(), cohort_metric::retention};
    const rendered_chart c = render_cohorts(many);
    CHECK(c.svg.size() < 1'000'000);
    CHECK(ends_svg(c.svg));
    CHECK_FALSE(any_overlap(c.labels));
    CHECK(c.svg.find("each row merges 2 cohorts") != std::string::npos);
    CHECK(render_cohorts({cltv::period::month, many_cohorts(), cohort_metric::revenue})
              .svg.find("each line merges 2 cohorts") != std::string::npos);
    CHECK(c.svg.find("the first 60 months") != std::string::npos);
    const cohort_view lines{cltv::period::month, many_cohorts(), cohort_metric::revenue};
    const rendered_chart r = render_cohorts(lines);
    CHECK(r.svg.size() < 1'000'000);
    CHECK_FALSE(any_overlap(r.labels));
    // The CSV keeps every cohort and period: Σ (120 − i) = 7260 rows.
    CHECK(occurrences(cohorts_chart(many, chart_format::csv), "\n") == 7261);
  }
  SECTION("no cohorts: a chart that says so") {
    const rendered_chart c = render_cohorts({cltv::period::month, {}, cohort_metric::retention});
    CHECK(ends_svg(c.svg));
    CHECK(ends_svg(render_cohorts({cltv::period::year, {}, cohort_metric::revenue}).svg));
  }
}

TEST_CASE("the value chart: deciles and the Lorenz curve", "[plot]") {
  // Values 1 … 10: Gini = 2 Σ i·i / (10 · 55) − 11/10 = 770/550 − 1.1 = 0.3;
  // the top tenth (10) holds 10/55 = 18.2%, the top fifth (9 + 10) 19/55 = 34.5%.
  const std::vector<double> values{3, 1, 4, 10, 5, 9, 2, 6, 8, 7};
  const value_view deciles = value_of(values, value_metric::deciles);
  const value_view lorenz = value_of(values, value_metric::lorenz);
  REQUIRE_THAT(deciles.distribution.gini, WithinAbs(0.3, 1e-12));

  SECTION("deciles: the share of each, top first, and the Gini stated") {
    std::string header;
    const auto rows = csv_rows(value_chart(deciles, chart_format::csv), &header);
    CHECK(header == "decile,customers,total,share,mean,min,max");
    REQUIRE(rows.size() == 10);
    CHECK(rows[0][0] == "1");
    CHECK(rows[0][2] == "10");
    CHECK_THAT(std::stod(rows[0][3]), WithinRel(10.0 / 55, 1e-12));
    CHECK_THAT(std::stod(rows[9][3]), WithinRel(1.0 / 55, 1e-12));
    const rendered_chart c = render_value(deciles);
    CHECK(ends_svg(c.svg));
    CHECK_FALSE(any_overlap(c.labels));
    CHECK(c.svg.find("Top 10% of customers hold 18.2% of CLV · Gini 0.30") != std::string::npos);
    CHECK(c.svg.find(">18.2%</text>") != std::string::npos);
    CHECK(c.svg.find("12 months, BG/NBD × Gamma-Gamma") != std::string::npos);
  }
  SECTION("Lorenz: the curve's points, the Gini and the top 20% marked") {
    const auto rows = csv_rows(value_chart(lorenz, chart_format::csv), nullptr);
    REQUIRE(rows.size() == lorenz.distribution.lorenz.size());
    CHECK(rows.front() == std::vector<std::string>{"0", "0"});
    CHECK(rows.back() == std::vector<std::string>{"1", "1"});
    const rendered_chart c = render_value(lorenz);
    CHECK(ends_svg(c.svg));
    CHECK_FALSE(any_overlap(c.labels));
    CHECK(c.svg.find("Gini 0.30") != std::string::npos);
    CHECK(c.svg.find("hold 34.5% of CLV") != std::string::npos);
  }
  SECTION("Lorenz of a skewed base: the curve along the bottom, its label above it") {
    // Nine customers with nothing and one with everything: Gini = 2 · 10 · 100
    // / (10 · 100) − 11/10 = 0.9; the lowest 80% hold 0%.
    const value_view skewed = value_of({0, 0, 0, 0, 0, 0, 0, 0, 0, 100}, value_metric::lorenz);
    CHECK_THAT(skewed.distribution.gini, WithinAbs(0.9, 1e-12));
    const rendered_chart c = render_value(skewed);
    CHECK(ends_svg(c.svg));
    CHECK_FALSE(any_overlap(c.labels));
    CHECK(c.svg.find("Gini 0.90") != std::string::npos);
    CHECK(c.svg.find(R"(text-anchor="end" font-size="12" fill="#0072B2">Lorenz curve<)") !=
          std::string::npos);
  }
  SECTION("JSON states the Gini; Vega-Lite draws bars or lines") {
    const std::string json = value_chart(deciles, chart_format::json);
    CHECK(json.rfind(R"({"chart":"value","metric":"deciles","what":"CLV","customers":10,)", 0) ==
          0);
    const std::size_t gini = json.find(R"("gini":)");
    REQUIRE(gini != std::string::npos);
    CHECK_THAT(std::stod(json.substr(gini + 7)), WithinAbs(0.3, 1e-12));
    CHECK(value_chart(deciles, chart_format::vega_lite).find(R"("type":"bar")") !=
          std::string::npos);
    CHECK(value_chart(lorenz, chart_format::vega_lite).find(R"("type":"line")") !=
          std::string::npos);
  }
}
