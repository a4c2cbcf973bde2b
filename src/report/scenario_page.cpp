// `cltv report scenario`: the page a founder takes into a budget meeting.

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "cltv/calculation.hpp"
#include "cltv/grid.hpp"
#include "cltv/payback_curve.hpp"
#include "cltv/scenario_fields.hpp"
#include "cltv/survival_curve.hpp"
#include "plot/axis.hpp"
#include "report/reports.hpp"

namespace cltv::report {

namespace {

using plot::readable_number;
using plot::value_style;

std::string amount(double v) {
  return readable_number(v, value_style::amount);
}

// The scenario's given inputs as a table, in the order of the JSON keys.
table_data inputs_table(const scenario_input& input) {
  table_data t{{"Input", "Value"}, {}, {false, true}, "The scenario"};
  for (const scenario_field& f : scenario_fields) {
    if (!is_given(input, f)) continue;
    std::string value;
    if (!f.member)
      value = std::string(to_string(*input.period));
    else if (f.kind == field_kind::rate)
      value = readable_number(*(input.*f.member), value_style::percent);
    else
      value = amount(*(input.*f.member));
    t.rows.push_back({std::string(f.name), value});
  }
  return t;
}

std::string lead_of(const scenario_page_input& in, const scenario& s, const ltv_result& r) {
  std::string text = fmt::format("Per {}: margin {} per customer", to_string(s.period),
                                 amount(r.margin_per_period));
  if (r.lifetime) text += fmt::format(", lifetime {}", plot::periods_text(*r.lifetime, s.period));
  if (s.cac) text += fmt::format(", CAC {}", amount(*s.cac));
  return text + fmt::format(". Scenario from {}.", in.source);
}

}  // namespace

std::vector<grid_axis> sensitivity_axes(const scenario_input& input) {
  static constexpr std::array<double, 5> factors{0.5, 0.75, 1, 1.25, 1.5};
  std::vector<grid_axis> axes;
  const auto add = [&](std::initializer_list<std::string_view> names) {
    for (const std::string_view name : names) {
      const scenario_field* f = find_scenario_field(name);
      if (!f || !f->member || !(input.*f->member)) continue;
      const double given = *(input.*f->member);
      grid_axis axis{*f, {}};
      for (const double k : factors) {
        double v = given * k;
        if (name == "churn") v = std::min(v, 0.99);
        if (axis.values.empty() || v != axis.values.back()) axis.values.push_back(v);
      }
      if (given > 0 && axis.values.size() > 1) axes.push_back(std::move(axis));
      return;
    }
  };
  add({"churn", "lifetime", "contract_length"});
  add({"arpu", "value", "aov"});
  return axes;
}

result<std::string> scenario_page(const scenario_page_input& in) {
  auto calculated = calculate_scenario(in.input, {});
  if (!calculated) return std::move(calculated).error();
  const scenario& s = calculated->input;
  const ltv_result& r = calculated->result;
  auto payback = make_payback_curve(s, std::nullopt);
  if (!payback) return std::move(payback).error();

  html_page page("Unit economics: LTV against CAC", lead_of(in, s, r));
  if (r.ltv_cac_ratio && r.meets_target)
    page.verdict(fmt::format("LTV:CAC is {}×: it {} the {}× target.", amount(*r.ltv_cac_ratio),
                             *r.meets_target ? "meets" : "is below", amount(r.target)),
                 *r.meets_target);
  else
    page.note("No CAC given: the LTV stands alone (give --cac for LTV:CAC and the paybacks).");

  using tone = key_figure::tone;
  std::vector<key_figure> figures;
  figures.push_back({"LTV", amount(r.ltv), "per acquired customer"});
  if (s.cac) figures.push_back({"CAC", amount(*s.cac), "per acquired customer"});
  if (r.ltv_cac_ratio)
    figures.push_back({"LTV:CAC", amount(*r.ltv_cac_ratio) + "×",
                       fmt::format("target {}×", amount(r.target)),
                       r.meets_target.value_or(false) ? tone::good : tone::bad});
  if (r.net_value)
    figures.push_back({"Net value", amount(*r.net_value), "LTV − CAC",
                       *r.net_value >= 0 ? tone::good : tone::bad});
  if (payback->expected_payback)
    figures.push_back({"Expected payback", plot::periods_text(*payback->expected_payback, s.period),
                       "churn and discount counted"});
  else if (s.cac)
    figures.push_back({"Expected payback", "never", "the LTV stays below the CAC", tone::bad});
  if (r.cac_payback)
    figures.push_back({"Simple payback", plot::periods_text(*r.cac_payback, s.period),
                       "CAC / margin per period"});
  if (r.max_cac)
    figures.push_back({"Max CAC", amount(*r.max_cac), fmt::format("at {}×", amount(r.target))});
  if (r.lifetime)
    figures.push_back({"Lifetime", plot::periods_text(*r.lifetime, s.period), "expected"});
  page.key_figures(figures);

  page.section("Payback");
  page.figure(plot::render_payback(*payback).svg,
              "The cumulative expected margin per acquired customer (cltv plot payback).");

  page.section("Sensitivity");
  std::vector<grid_axis> axes = sensitivity_axes(in.input);
  const grid_metric metric = s.cac ? grid_metric::ltv_cac_ratio : grid_metric::ltv;
  if (axes.empty()) {
    page.note("The scenario's value and lifetime come from inputs a grid does not vary here.");
  } else {
    auto g = evaluate_grid(in.input, axes, metric);
    if (!g) return std::move(g).error();
    page.figure(plot::render_grid(*g).svg,
                fmt::format("{} with {} at 50 % to 150 % of the scenario's (cltv plot grid).",
                            metric == grid_metric::ltv ? "LTV" : "LTV:CAC",
                            axes.size() == 2
                                ? fmt::format("{} and {}", axes[0].field.name, axes[1].field.name)
                                : std::string(axes[0].field.name)));
  }

  page.section("Retention");
  auto survival = make_survival_curve(in.input, in.sbg_counts, std::nullopt);
  if (survival)
    page.figure(plot::render_survival(*survival).svg,
                "The share of a cohort still paying, and the retention rate by tenure (cltv plot "
                "survival).");
  else
    page.note("No survival curve: " + survival.error().message + ".");

  page.section("Inputs");
  page.table(inputs_table(in.input));
  return page.finish();
}

}  // namespace cltv::report
