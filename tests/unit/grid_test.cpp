// Tests of cltv/grid.hpp: a grid's axes ("churn=2%..10%:5"), their checks,
// the metric names, and the cells.
#include "cltv/grid.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using Catch::Matchers::Contains;
using Catch::Matchers::WithinRel;
using cltv::check_grid_axes;
using cltv::grid_axis;
using cltv::grid_metric;
using cltv::scenario_input;

namespace {

// The base of most grids here: arpu 50 and cac 300, the lifetime left to an axis.
scenario_input arpu_50_cac_300() {
  scenario_input in;
  in.arpu = 50;
  in.cac = 300;
  return in;
}

grid_axis parsed(const std::string& text) {
  auto v = cltv::parse_grid_axis(text);
  if (!v) FAIL("parse_grid_axis(\"" << text << "\") failed: " << v.error().message);
  return *v;
}

std::string refused(const std::string& text) {
  auto v = cltv::parse_grid_axis(text);
  if (v)
    FAIL("parse_grid_axis(\"" << text << "\") succeeded with " << v->values.size() << " values");
  REQUIRE(v.error().field == "vary");
  return v.error().message;
}

}  // namespace

TEST_CASE("axis ranges: COUNT evenly spaced points including both ends", "[grid]") {
  SECTION("churn=2%..10%:5 → 2, 4, 6, 8, 10 % (step (10 − 2) / 4 = 2 points)") {
    auto v = parsed("churn=2%..10%:5");
    REQUIRE(v.field.name == "churn");
    REQUIRE(v.values.size() == 5);
    const std::vector<double> want{0.02, 0.04, 0.06, 0.08, 0.10};
    for (std::size_t i = 0; i < want.size(); ++i)
      REQUIRE_THAT(v.values[i], WithinRel(want[i], 1e-15));
    REQUIRE(v.values.back() == 0.10);  // the end exactly as given
  }
  SECTION("arpu=20..60:5 → 20, 30, 40, 50, 60") {
    auto v = parsed("arpu=20..60:5");
    REQUIRE(v.values == std::vector<double>{20, 30, 40, 50, 60});
  }
  SECTION("two points are just the ends") {
    REQUIRE(parsed("cac=100..300:2").values == std::vector<double>{100, 300});
  }
  SECTION("dashes for underscores, and rates as fractions") {
    auto v = parsed("gross-margin=0.5..0.9:3");
    REQUIRE(v.field.name == "gross_margin");
    REQUIRE_THAT(v.values[1], WithinRel(0.7, 1e-15));  // 0.5 + (0.9 − 0.5) / 2
  }
}

TEST_CASE("axis lists", "[grid]") {
  REQUIRE(parsed("churn=2%,4%,8%").values == std::vector<double>{0.02, 0.04, 0.08});
  REQUIRE(parsed("cac=300").values == std::vector<double>{300});
  // out-of-range values parse: resolve() rejects them cell by cell
  REQUIRE(parsed("churn=150%").values == std::vector<double>{1.5});
  // Whole ends without a count: every integer (cltv/value_list.hpp).
  REQUIRE(parsed("contract_length=12..15").values == std::vector<double>{12, 13, 14, 15});
}

TEST_CASE("axis errors say what is wrong", "[grid]") {
  REQUIRE_THAT(refused("churn"), Contains("expected FIELD=FROM..TO:COUNT"));
  REQUIRE_THAT(refused("churn="), Contains("empty range"));
  REQUIRE_THAT(refused("churn=5%..5%:3"), Contains("empty range: both ends are 0.05"));
  REQUIRE_THAT(refused("churn=10%..2%:5"), Contains("reversed range: 0.1 is above 0.02"));
  REQUIRE_THAT(refused("churn=2%..10%:1"), Contains("count >= 2"));
  REQUIRE_THAT(refused("churn=2%..10%:0"), Contains("count >= 2"));
  REQUIRE_THAT(refused("churn=2%..10%"), Contains("without a count needs whole-number ends"));
  REQUIRE_THAT(refused("churn=2%..10%:x"), Contains("whole number"));
  REQUIRE_THAT(refused("churn=2%..10%:-3"), Contains("whole number"));
  REQUIRE_THAT(refused("churn=2%..10%:5000"), Contains("at most 1000"));
  REQUIRE_THAT(refused("churn=..10%:5"), Contains("empty range end"));
  REQUIRE_THAT(refused("churn=2%,,4%"), Contains("empty value"));
  REQUIRE_THAT(refused("churn=2%,"), Contains("empty value"));
  REQUIRE_THAT(refused("churn=abc"), Contains("churn"));
  REQUIRE_THAT(refused("arpu=5%"), Contains("arpu"));  // % only for rates
  REQUIRE_THAT(refused("ltv=1,2"), Contains("unknown field \"ltv\""));
  REQUIRE_THAT(refused("period=month,year"), Contains("unknown field \"period\""));
}

TEST_CASE("axis errors quote the spec as grid's --vary takes it", "[grid]") {
  REQUIRE(refused("churn=2%..10%") ==
          "--vary \"churn=2%..10%\": a range without a count needs whole-number ends (every "
          "integer from FROM to TO); give a count of points, e.g. 2%..10%:5");
  REQUIRE(refused("churn=2%,four") ==
          "--vary \"churn=2%,four\": churn must be a number or a percentage (e.g. 5%), got "
          "\"four\"");
}

TEST_CASE("parse_grid_axes: every spec, then the checks", "[grid]") {
  auto axes = cltv::parse_grid_axes({"churn=2%,4%", "arpu=20..60:5"});
  REQUIRE(axes);
  REQUIRE(axes->size() == 2);
  REQUIRE((*axes)[1].values == std::vector<double>{20, 30, 40, 50, 60});  // step 40 / 4 = 10
  REQUIRE_THAT(cltv::parse_grid_axes({"churn=2%", "ltv=1"}).error().message,
               Contains("unknown field \"ltv\""));
  REQUIRE(cltv::parse_grid_axes({"churn=2%", "churn=4%"}).error().message ==
          "--vary churn is given twice");
}

TEST_CASE("check_grid_axes: one or two inputs, each once", "[grid]") {
  const auto churn = parsed("churn=2%,4%");
  const auto arpu = parsed("arpu=20,40");
  REQUIRE_FALSE(check_grid_axes({churn}).has_value());
  REQUIRE_FALSE(check_grid_axes({churn, arpu}).has_value());
  REQUIRE_THAT(check_grid_axes({})->message, Contains("needs one or two --vary"));
  REQUIRE_THAT(check_grid_axes({churn, arpu, parsed("cac=1,2")})->message,
               Contains("at most two --vary"));
  REQUIRE_THAT(check_grid_axes({churn, churn})->message, Contains("--vary churn is given twice"));
  // lifetime, contract_length and churn are one field each: only the sources
  // of more than one field that `a` or `b` belongs to are listed
  REQUIRE(check_grid_axes({churn, parsed("lifetime=12,24")})->message ==
          "--vary churn and --vary lifetime set the same input, the lifetime (lifetime, "
          "contract_length, churn)");
  REQUIRE(check_grid_axes({churn, parsed("lifetime=12,24")})->field == "vary");
  REQUIRE_THAT(check_grid_axes({arpu, parsed("value=1,2")})->message, Contains("value per period"));
  REQUIRE_THAT(
      check_grid_axes({parsed("arpu=1..1000:1000"), parsed("churn=1%..100%:101")})->message,
      Contains("1000 × 101 = 101000 cells is more than 100000"));
  REQUIRE_FALSE(
      check_grid_axes({parsed("arpu=1..1000:1000"), parsed("churn=1%..100%:100")}).has_value());
  // aov and purchase_frequency are one source but two numbers: both may vary
  REQUIRE_FALSE(
      check_grid_axes({parsed("aov=50,60"), parsed("purchase_frequency=1,2")}).has_value());
  SECTION("sources of two fields are alternatives too (cltv::are_alternatives)") {
    REQUIRE_THAT(check_grid_axes({churn, parsed("customers_start=100,200")})->message,
                 Contains("--vary churn and --vary customers_start set the same input, the "
                          "lifetime (lifetime, contract_length, churn, customers_start with "
                          "customers_lost)"));
    REQUIRE_THAT(check_grid_axes({arpu, parsed("aov=50,60")})->message,
                 Contains("the value per period (arpu, value, aov with purchase_frequency)"));
    REQUIRE_THAT(check_grid_axes({parsed("customers_lost=1,2"), parsed("sbg-beta=1,2")})->message,
                 Contains("(lifetime, contract_length, churn, customers_start with "
                          "customers_lost, sbg_alpha with sbg_beta)"));
    // the two fields of one source, and confidence with any source, may vary
    REQUIRE_FALSE(
        check_grid_axes({parsed("customers_start=100,200"), parsed("customers_lost=1,2")}));
    REQUIRE_FALSE(check_grid_axes({parsed("sbg_alpha=1,2"), parsed("sbg_beta=1,2")}));
    REQUIRE_FALSE(check_grid_axes({churn, parsed("confidence=90%,95%")}));
  }
}

TEST_CASE("grid metrics by name", "[grid]") {
  REQUIRE(*cltv::parse_grid_metric("ltv") == grid_metric::ltv);
  REQUIRE(*cltv::parse_grid_metric("ltv_cac_ratio") == grid_metric::ltv_cac_ratio);
  REQUIRE(*cltv::parse_grid_metric("net_value") == grid_metric::net_value);
  REQUIRE(*cltv::parse_grid_metric("cac_payback") == grid_metric::cac_payback);
  REQUIRE_FALSE(cltv::parse_grid_metric("roi").has_value());
  REQUIRE(cltv::parse_grid_metric("roi").error().message ==
          "unknown metric \"roi\" (metrics: ltv, ltv_cac_ratio, net_value, cac_payback)");
  REQUIRE(cltv::to_string(grid_metric::net_value) == "net_value");
}

TEST_CASE("a cell is the scenario with the axes' values put in", "[grid]") {
  const std::vector<grid_axis> churn{parsed("churn=4%")};
  SECTION("arpu 50, gross margin 80 %, cac 300 at churn 4 %: LTV 40 / 0.04 = 1000, 3.33 ≥ 3") {
    scenario_input base = arpu_50_cac_300();
    base.gross_margin = 0.8;
    const auto cell = cltv::evaluate_grid_cell(base, churn, 0, 0, grid_metric::ltv_cac_ratio);
    REQUIRE_FALSE(cell.failure);
    REQUIRE_THAT(*cell.value, WithinRel(1000.0 / 300.0, 1e-15));
    REQUIRE(cell.meets_target == true);
  }
  SECTION("the other metrics of arpu 50, cac 300, churn 4 % (LTV 1250)") {
    const scenario_input base = arpu_50_cac_300();
    auto value = [&](grid_metric m) {
      return *cltv::evaluate_grid_cell(base, churn, 0, 0, m).value;
    };
    REQUIRE_THAT(value(grid_metric::ltv), WithinRel(1250.0, 1e-15));       // 50 / 0.04
    REQUIRE_THAT(value(grid_metric::net_value), WithinRel(950.0, 1e-15));  // 1250 − 300
    REQUIRE_THAT(value(grid_metric::cac_payback), WithinRel(6.0, 1e-15));  // 300 / 50
  }
  SECTION("a margin ≤ 0 never pays the CAC back: arpu 50, cost to serve 60") {
    scenario_input base = arpu_50_cac_300();
    base.cost_to_serve = 60;
    const auto cell = cltv::evaluate_grid_cell(base, churn, 0, 0, grid_metric::cac_payback);
    REQUIRE(cell.payback_never);
    REQUIRE_FALSE(cell.value);
    REQUIRE(cell.meets_target == false);  // LTV −10 / 0.04 = −250
  }
  SECTION("no CAC: no ratio and no verdict") {
    scenario_input base;
    base.arpu = 50;
    const auto cell = cltv::evaluate_grid_cell(base, churn, 0, 0, grid_metric::ltv_cac_ratio);
    REQUIRE_FALSE(cell.value);
    REQUIRE_FALSE(cell.meets_target);
  }
  SECTION("a value the scenario refuses is the cell's failure") {
    const auto cell = cltv::evaluate_grid_cell(arpu_50_cac_300(), {parsed("churn=150%")}, 0, 0,
                                               grid_metric::ltv_cac_ratio);
    REQUIRE(cell.failure);
    REQUIRE(cell.failure->field == "churn");
    REQUIRE_FALSE(cell.value);
  }
}

TEST_CASE("evaluate_grid: rows by the first axis, columns by the second", "[grid]") {
  SECTION("churn 2 %, 4 % by arpu 20, 40 at cac 300") {
    auto g = cltv::evaluate_grid(arpu_50_cac_300(), {parsed("churn=2%,4%"), parsed("arpu=20,40")},
                                 grid_metric::ltv_cac_ratio);
    REQUIRE(g);
    REQUIRE(g->rows() == 2);
    REQUIRE(g->columns() == 2);
    REQUIRE(g->cells.size() == 4);
    REQUIRE_THAT(*g->at(0, 0).value, WithinRel(1000.0 / 300, 1e-15));  // 20 / 0.02 = 1000
    REQUIRE_THAT(*g->at(0, 1).value, WithinRel(2000.0 / 300, 1e-15));  // 40 / 0.02 = 2000
    REQUIRE_THAT(*g->at(1, 0).value, WithinRel(500.0 / 300, 1e-15));   // 20 / 0.04 = 500
    REQUIRE_THAT(*g->at(1, 1).value, WithinRel(1000.0 / 300, 1e-15));  // 40 / 0.04 = 1000
    REQUIRE(g->at(1, 0).meets_target == false);                        // 1.67 < 3
    REQUIRE(g->at(0, 1).meets_target == true);                         // 6.67 ≥ 3
    REQUIRE(g->failures() == 0);
    REQUIRE(g->fixed_target() == 3.0);  // the default target
    // Only 20 / 0.04 / 300 = 1.67× is below 3×.
    REQUIRE(g->failing_cells() == std::vector<bool>{false, false, true, false});
  }
  SECTION("failing cells: either marked rule, none without one") {
    scenario_input base = arpu_50_cac_300();
    base.max_payback = 5;  // 300 / 50 = 6 months: every cell fails the payback rule
    auto g = cltv::evaluate_grid(base, {parsed("churn=2%,4%")}, grid_metric::ltv_cac_ratio);
    REQUIRE(g);
    REQUIRE(g->failing_cells() == std::vector<bool>{true, true});  // 8.33× meets 3×, payback not
    scenario_input no_cac = arpu_50_cac_300();
    no_cac.cac.reset();
    auto ltv = cltv::evaluate_grid(no_cac, {parsed("churn=2%,40%")}, grid_metric::ltv);
    REQUIRE(ltv);
    REQUIRE(ltv->failing_cells() == std::vector<bool>{false, false});  // no rule applies
  }
  SECTION("one axis makes one column; failed cells are counted") {
    auto g =
        cltv::evaluate_grid(arpu_50_cac_300(), {parsed("churn=2%,150%,200%")}, grid_metric::ltv);
    REQUIRE(g);
    REQUIRE(g->columns() == 1);
    REQUIRE_THAT(*g->at(0, 0).value, WithinRel(2500.0, 1e-15));  // 50 / 0.02
    REQUIRE(g->failures() == 2);
  }
  SECTION("the target in force: the base's, or none when an axis varies it") {
    scenario_input base = arpu_50_cac_300();
    base.churn = 0.04;
    base.target = 4;
    REQUIRE(cltv::evaluate_grid(base, {parsed("cac=100,200")}, grid_metric::ltv)->fixed_target() ==
            4.0);
    REQUIRE_FALSE(cltv::evaluate_grid(base, {parsed("target=2,3")}, grid_metric::ltv)
                      ->fixed_target()
                      .has_value());
  }
  SECTION("a metric of CAC needs a CAC, given or varied") {
    scenario_input base;
    base.arpu = 50;
    auto refused = cltv::evaluate_grid(base, {parsed("churn=2%,4%")}, grid_metric::ltv_cac_ratio);
    REQUIRE_FALSE(refused);
    REQUIRE(refused.error().message == "metric ltv_cac_ratio needs cac (give --cac or vary it)");
    REQUIRE(cltv::evaluate_grid(base, {parsed("churn=2%,4%")}, grid_metric::ltv));
    REQUIRE(cltv::evaluate_grid(base, {parsed("churn=2%,4%"), parsed("cac=100,200")},
                                grid_metric::net_value));
  }
  SECTION("the base's own inputs are checked up front, the varied ones per cell") {
    scenario_input base = arpu_50_cac_300();
    base.churn = 0.04;
    base.max_payback = -3;
    auto refused = cltv::evaluate_grid(base, {parsed("churn=2%,4%")}, grid_metric::ltv);
    REQUIRE_FALSE(refused);
    REQUIRE(refused.error().message == "max_payback must be > 0, got -3");
    // Varied, the same value is one cell's error, the others computed.
    base.max_payback.reset();
    auto g = cltv::evaluate_grid(base, {parsed("max_payback=-3,12")}, grid_metric::ltv);
    REQUIRE(g);
    REQUIRE(g->failures() == 1);
    base.arpu = -1;  // varying arpu replaces the bad base value
    REQUIRE(cltv::evaluate_grid(base, {parsed("arpu=40,50")}, grid_metric::ltv));
  }
  SECTION("a payback limit needs a CAC, given or varied") {
    scenario_input base;
    base.arpu = 50;
    base.churn = 0.04;
    base.max_payback = 12;
    auto refused = cltv::evaluate_grid(base, {parsed("churn=2%,4%")}, grid_metric::ltv);
    REQUIRE_FALSE(refused);
    REQUIRE(refused.error().field == "max_payback");
    REQUIRE(cltv::evaluate_grid(base, {parsed("cac=100,200")}, grid_metric::ltv));
  }
  SECTION("the axes are checked") {
    auto refused = cltv::evaluate_grid(arpu_50_cac_300(), {}, grid_metric::ltv);
    REQUIRE_FALSE(refused);
    REQUIRE(refused.error().message ==
            "grid needs one or two --vary (e.g. --vary churn=2%..10%:5)");
  }
}
