// Tests of the charts of a customer base and a fitted model (src/plot):
// tracking, frequency and holdout, each from a view built by hand.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "cltv/date.hpp"
#include "plot/charts.hpp"
#include "plot/text_box.hpp"

using namespace cltv::plot;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::size_t count_of(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

// Every label within the 760 px wide chart.
bool inside(const rendered_chart& chart) {
  for (const text_box& b : chart.labels)
    if (b.left < 0 || b.right > 760) return false;
  return true;
}

/// No label overlaps another and every one is inside the chart.
void check_laid_out(const rendered_chart& chart) {
  CHECK_FALSE(any_overlap(chart.labels));
  CHECK(inside(chart));
}

bool ends_svg(const std::string& svg) {
  return svg.size() >= 7 && svg.substr(svg.size() - 7) == "</svg>\n";
}

// Four weeks from Monday 1997-01-06, the first two calibration. Repeat
// purchases per week, actual 1, 3, 2, 4 (cumulative 1, 4, 6, 10) and expected
// 0.5, 2.5, 3, 3 (cumulative 0.5, 3, 6, 9).
tracking_view small_tracking() {
  tracking_view v;
  v.model_name = "BG/NBD";
  v.unit = cltv::period_unit::week;
  const cltv::day_number first = cltv::days_from_civil(1997, 1, 6);
  for (int k = 0; k < 4; ++k) v.starts.push_back(first + 7 * k);
  v.periods = {{1, 0.5, 1, 0.5}, {3, 2.5, 4, 3}, {2, 3, 6, 6}, {4, 3, 10, 9}};
  v.calibration_periods = 2;
  v.calibration_end = cltv::days_from_civil(1997, 1, 19);
  v.observation_end = cltv::days_from_civil(1997, 2, 2);
  return v;
}

// Buckets 0 … 6 and 7+; 24 customers actual and expected.
frequency_view small_frequency() {
  frequency_view v;
  v.model_name = "BG/NBD";
  const double actual[] = {10, 5, 3, 2, 1, 1, 0, 2};
  const double expected[] = {9.5, 5.5, 3.2, 2, 1.3, 0.9, 0.6, 1};
  for (int k = 0; k < 8; ++k) v.buckets.push_back({k, k == 7, actual[k], expected[k]});
  return v;
}

// Groups x = 0 … 6 and 7+; nobody made 6 repeat purchases.
holdout_view small_holdout() {
  holdout_view v;
  v.model_name = "BG/NBD";
  v.calibration_end = cltv::days_from_civil(1997, 9, 30);
  v.observation_end = cltv::days_from_civil(1998, 6, 30);
  v.groups = {{0, false, 100, 0.2, 0.25}, {1, false, 40, 0.9, 0.8}, {2, false, 20, 1.5, 1.4},
              {3, false, 10, 2.1, 2.2},   {4, false, 5, 2.8, 2.9},  {5, false, 2, 3.5, 3.3},
              {6, false, 0, 0, 0},        {7, true, 3, 5, 4.6}};
  return v;
}

}  // namespace

TEST_CASE("tracking chart: actual vs expected repeat purchases per period", "[plot]") {
  const tracking_view v = small_tracking();

  SECTION("CSV rows are the view's periods, split into calibration and holdout") {
    CHECK(tracking_chart(v, chart_format::csv) ==
          "period,period_start,sample,actual,expected,actual_cumulative,expected_cumulative\n"
          "1,1997-01-06,calibration,1,0.5,1,0.5\n"
          "2,1997-01-13,calibration,3,2.5,4,3\n"
          "3,1997-01-20,holdout,2,3,6,6\n"
          "4,1997-01-27,holdout,4,3,10,9\n");
  }
  SECTION("JSON: one line with the totals and the points") {
    const std::string json = tracking_chart(v, chart_format::json);
    CHECK(json.rfind("{\"chart\":\"tracking\",", 0) == 0);
    CHECK(json.back() == '\n');
    CHECK(json.find('\n') == json.size() - 1);
    CHECK(contains(json, "\"calibration_end\":\"1997-01-19\""));
    CHECK(contains(json, "\"actual_total\":10,\"expected_total\":9"));
    // Holdout: 10 − 4 = 6 actual, 9 − 3 = 6 expected.
    CHECK(contains(json, "\"holdout_actual\":6,\"holdout_expected\":6"));
    CHECK(contains(json, "\"points\":[{\"period\":1,\"period_start\":\"1997-01-06\""));
  }
  SECTION("SVG: both series labelled, the split marked, the gaps in the subtitle") {
    const rendered_chart chart = render_tracking(v);
    CHECK(chart.svg == tracking_chart(v, chart_format::svg));
    CHECK(ends_svg(chart.svg));
    CHECK(contains(chart.svg, "Tracking: cumulative repeat purchases, actual vs BG/NBD"));
    CHECK(contains(chart.svg, ">Actual 10</text>"));
    CHECK(contains(chart.svg, ">BG/NBD 9</text>"));
    CHECK(contains(chart.svg, ">Calibration end 1997-01-19</text>"));
    // (10 − 9) / 9 = 11.1 %; the holdout's 6 vs 6 is no gap.
    CHECK(contains(chart.svg, "10 actual vs 9 expected (+11.1%)"));
    CHECK(contains(chart.svg, "holdout: 6 actual vs 6 expected (0%)"));
    check_laid_out(chart);
    CHECK(chart.svg == render_tracking(v).svg);  // the same bytes every time
  }
  SECTION("incremental: the purchases within each period, not the running total") {
    tracking_view incremental = v;
    incremental.incremental = true;
    const rendered_chart chart = render_tracking(incremental);
    CHECK(chart.svg != render_tracking(v).svg);
    CHECK(contains(chart.svg, "Tracking: repeat purchases per week, actual vs BG/NBD"));
    CHECK(contains(chart.svg, ">Actual 4</text>"));  // the last week's 4, not 10
    CHECK(contains(chart.svg, ">BG/NBD 3</text>"));
    check_laid_out(chart);
    CHECK(contains(tracking_chart(incremental, chart_format::json), "\"metric\":\"incremental\""));
    // The CSV holds both either way.
    CHECK(tracking_chart(incremental, chart_format::csv) == tracking_chart(v, chart_format::csv));
  }
  SECTION("Vega-Lite: both series and the split as layers, data inline") {
    const std::string spec = tracking_chart(v, chart_format::vega_lite);
    CHECK(contains(spec, "\"$schema\":\"https://vega.github.io/schema/vega-lite/v5.json\""));
    CHECK(contains(spec, "\"series\":\"expected (BG/NBD)\""));
    CHECK(contains(spec, "\"type\":\"rule\""));
    CHECK(spec.back() == '\n');
  }
  SECTION("no holdout: no split line") {
    tracking_view all_calibration = v;
    all_calibration.calibration_periods = 4;
    const rendered_chart chart = render_tracking(all_calibration);
    CHECK_FALSE(contains(chart.svg, "Calibration end"));
    CHECK(contains(chart.svg, "no holdout"));
    CHECK(contains(tracking_chart(all_calibration, chart_format::json), "\"holdout_actual\":null"));
  }
  SECTION("a split near the end: its label clears the edge label of a curve at the top") {
    // 20 weeks of 75 actual and 72 expected: 20 × 75 = 1,500, the top tick,
    // so "Actual 1,500" sits at the plot's top edge; the split after week 18.
    tracking_view late;
    late.model_name = "BG/NBD";
    const cltv::day_number first = cltv::days_from_civil(1997, 1, 6);
    for (int k = 0; k < 20; ++k) {
      late.starts.push_back(first + 7 * k);
      late.periods.push_back({75, 72, 75.0 * (k + 1), 72.0 * (k + 1)});
    }
    late.calibration_periods = 18;
    late.calibration_end = first + 7 * 18 - 1;
    late.observation_end = first + 7 * 20 - 1;
    const rendered_chart chart = render_tracking(late);
    CHECK(contains(chart.svg, ">Actual 1,500</text>"));
    CHECK(contains(chart.svg, ">Calibration end 1997-05-11</text>"));
    check_laid_out(chart);
  }
  SECTION("no periods: an empty frame, not a crash") {
    tracking_view none;
    none.model_name = "BG/NBD";
    CHECK(ends_svg(render_tracking(none).svg));
    CHECK(tracking_chart(none, chart_format::csv) ==
          "period,period_start,sample,actual,expected,actual_cumulative,expected_cumulative\n");
  }
}

TEST_CASE("tracking chart: 5,000 periods stay small", "[plot]") {
  tracking_view v;
  v.model_name = "Pareto/NBD";
  v.unit = cltv::period_unit::day;
  const cltv::day_number first = cltv::days_from_civil(2010, 1, 1);
  double actual = 0, expected = 0;
  for (int k = 0; k < 5000; ++k) {
    v.starts.push_back(first + k);
    const double a = 20 + k % 7, e = 21.5;
    actual += a;
    expected += e;
    v.periods.push_back({a, e, actual, expected});
  }
  v.calibration_periods = 2500;
  v.calibration_end = first + 2499;
  v.observation_end = first + 4999;
  for (const bool incremental : {false, true}) {
    v.incremental = incremental;
    const rendered_chart chart = render_tracking(v);
    CHECK(chart.svg.size() < 200'000);
    CHECK(ends_svg(chart.svg));
    check_laid_out(chart);
  }
}

TEST_CASE("frequency chart: customers by repeat purchases, actual vs expected", "[plot]") {
  const frequency_view v = small_frequency();

  SECTION("CSV rows are the buckets; the last one is open") {
    CHECK(frequency_chart(v, chart_format::csv) ==
          "repeat_purchases,or_more,actual,expected\n"
          "0,false,10,9.5\n"
          "1,false,5,5.5\n"
          "2,false,3,3.2\n"
          "3,false,2,2\n"
          "4,false,1,1.3\n"
          "5,false,1,0.9\n"
          "6,false,0,0.6\n"
          "7,true,2,1\n");
  }
  SECTION("JSON: one line") {
    const std::string json = frequency_chart(v, chart_format::json);
    // 10 + 5 + 3 + 2 + 1 + 1 + 0 + 2 = 24 customers, and 24 expected.
    CHECK(json.rfind("{\"chart\":\"frequency\",\"model\":\"BG/NBD\",\"customers\":24,", 0) == 0);
    CHECK(contains(json, "{\"repeat_purchases\":7,\"or_more\":true,\"actual\":2,\"expected\":1}"));
    CHECK(json.find('\n') == json.size() - 1);
  }
  SECTION("SVG: the legend, every category with 7+ last, no overlaps") {
    const rendered_chart chart = render_frequency(v);
    CHECK(ends_svg(chart.svg));
    CHECK(contains(chart.svg, "Frequency of repeat transactions: actual vs BG/NBD"));
    CHECK(contains(chart.svg, ">Actual</text>"));
    CHECK(contains(chart.svg, ">Expected (BG/NBD)</text>"));
    for (const char* label : {">0</text>", ">3</text>", ">6</text>", ">7+</text>"})
      CHECK(contains(chart.svg, label));
    // The largest gap: 0 repeat purchases, 10 vs 9.5 (|0.5|, ties go to the first).
    CHECK(contains(chart.svg, "24 customers in the calibration period"));
    check_laid_out(chart);
  }
  SECTION("Vega-Lite: grouped bars") {
    const std::string spec = frequency_chart(v, chart_format::vega_lite);
    CHECK(contains(spec, "\"xOffset\""));
    CHECK(contains(spec, "\"repeat_purchases\":\"7+\""));
  }
  SECTION("many buckets: labels thinned, the open one kept, bars in one path per series") {
    frequency_view many;
    many.model_name = "BG/NBD";
    for (int k = 0; k <= 100; ++k) many.buckets.push_back({k, k == 100, 100.0 - k, 99.0 - k});
    const rendered_chart chart = render_frequency(many);
    CHECK(contains(chart.svg, ">100+</text>"));
    CHECK(count_of(chart.svg, "<rect") == 2);  // the legend's; the bars are paths
    check_laid_out(chart);
  }
}

TEST_CASE("holdout chart: mean holdout purchases by calibration frequency", "[plot]") {
  const holdout_view v = small_holdout();

  SECTION("CSV: a group without customers has no means") {
    CHECK(holdout_chart(v, chart_format::csv) ==
          "frequency,or_more,customers,actual_mean,predicted_mean\n"
          "0,false,100,0.2,0.25\n"
          "1,false,40,0.9,0.8\n"
          "2,false,20,1.5,1.4\n"
          "3,false,10,2.1,2.2\n"
          "4,false,5,2.8,2.9\n"
          "5,false,2,3.5,3.3\n"
          "6,false,0,,\n"
          "7,true,3,5,4.6\n");
  }
  SECTION("JSON: the window, the overall means, nulls for the empty group") {
    const std::string json = holdout_chart(v, chart_format::json);
    CHECK(json.rfind("{\"chart\":\"holdout\",", 0) == 0);
    CHECK(contains(json, "\"calibration_end\":\"1997-09-30\",\"observation_end\":\"1998-06-30\""));
    // 100 + 40 + 20 + 10 + 5 + 2 + 3 = 180 customers.
    CHECK(contains(json, "\"customers\":180,"));
    CHECK(contains(json,
                   "{\"frequency\":6,\"or_more\":false,\"customers\":0,"
                   "\"actual_mean\":null,\"predicted_mean\":null}"));
    CHECK(json.find('\n') == json.size() - 1);
  }
  SECTION("SVG: the holdout window, 7+, no marker for the empty group") {
    const rendered_chart chart = render_holdout(v);
    CHECK(ends_svg(chart.svg));
    CHECK(contains(chart.svg, "Holdout purchases by calibration frequency: actual vs BG/NBD"));
    CHECK(contains(chart.svg, "Holdout 1997-10-01 – 1998-06-30"));
    CHECK(contains(chart.svg, ">7+</text>"));
    // Mean actual: (20 + 36 + 30 + 21 + 14 + 7 + 15) / 180 = 143 / 180 = 0.794.
    CHECK(contains(chart.svg, "mean 0.794 actual"));
    CHECK(contains(chart.svg, ">Actual 5</text>"));
    CHECK(contains(chart.svg, ">BG/NBD 4.6</text>"));
    // 7 groups with customers: 7 circles, 7 diamonds.
    CHECK(count_of(chart.svg, "<circle") == 7);
    CHECK_FALSE(contains(chart.svg, "6 repeat purchases in calibration"));
    CHECK(contains(chart.svg, "6: no customers"));  // in the description
    check_laid_out(chart);
  }
  SECTION("Vega-Lite: the empty group is left out of the data") {
    const std::string spec = holdout_chart(v, chart_format::vega_lite);
    CHECK_FALSE(contains(spec, "\"frequency\":\"6\",\"series\""));
    CHECK(contains(spec, "\"frequency\":\"7+\""));
  }
  SECTION("no customers at all") {
    holdout_view none = v;
    for (cltv::models::frequency_group& g : none.groups) g.customers = 0;
    CHECK(ends_svg(render_holdout(none).svg));
    CHECK(contains(holdout_chart(none, chart_format::json), "\"actual_mean\":null"));
  }
}
