// `cltv report customers`: the analyst's page of a customer base and its
// fitted models.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "plot/axis.hpp"
#include "report/reports.hpp"

namespace cltv::report {

namespace {

using plot::readable_number;
using plot::value_style;

std::string amount(double v) {
  return readable_number(v, value_style::amount);
}

std::string count(double v) {
  return plot::tick_label(std::round(v), value_style::count, 1);
}

std::string share(double v) {
  return readable_number(v, value_style::percent);
}

table_data models_table(const std::vector<model_summary>& models) {
  table_data t{{"Model", "Parameter", "Estimate", "Std. error", "Log-likelihood", "Source"},
               {},
               {false, false, true, true, true, false},
               "Fitted models (standard errors from the observed information)"};
  for (const model_summary& m : models) {
    for (std::size_t i = 0; i < m.parameters.size(); ++i) {
      const model_summary::parameter& p = m.parameters[i];
      t.rows.push_back({i == 0 ? m.label : std::string(), p.name, fmt::format("{:.4g}", p.value),
                        p.standard_error ? fmt::format("{:.3g}", *p.standard_error) : "—",
                        i == 0 && m.log_likelihood ? fmt::format("{:.2f}", *m.log_likelihood) : "",
                        i == 0 ? m.note : std::string()});
    }
  }
  return t;
}

table_data top_table(const std::vector<top_customer>& top, std::string_view unit) {
  table_data t{{"Customer", "Frequency", fmt::format("Recency ({})", unit),
                fmt::format("T ({})", unit), "P(alive)", "Expected purchases", "CLV"},
               {},
               {false, true, true, true, true, true, true},
               "The most valuable customers"};
  for (const top_customer& c : top)
    t.rows.push_back({c.id, count(c.frequency), amount(c.recency), amount(c.T), share(c.p_alive),
                      amount(c.expected_purchases), amount(c.clv)});
  return t;
}

}  // namespace

result<std::string> customer_page(const customer_page_input& in) {
  if (in.clv.deciles.empty()) return error{"customers", "the report needs customers to value"};
  const value_decile& top = in.clv.deciles.front();
  html_page page(
      "Customer base and lifetime value",
      fmt::format("{} customers from {}{}; times in {}. CLV over {} months.", count(in.customers),
                  in.source, in.period_text.empty() ? "" : ", " + in.period_text, in.time_unit,
                  in.horizon_months));

  std::vector<key_figure> figures;
  figures.push_back({"Customers", count(in.customers), "in the summary"});
  if (in.transactions) figures.push_back({"Transactions", count(*in.transactions), "in the log"});
  figures.push_back({"One-time buyers", share(in.one_time_buyers / in.customers),
                     count(in.one_time_buyers) + " without a repeat purchase"});
  if (in.mean_spend)
    figures.push_back({"Mean spend", amount(*in.mean_spend), "per repeat purchase"});
  figures.push_back(
      {"Total CLV", amount(in.clv.total), fmt::format("{} months", in.horizon_months)});
  figures.push_back({"Mean CLV", amount(in.clv.total / in.clv.customers), "per customer"});
  figures.push_back({"Expected active", count(in.expected_active), "Σ P(alive)"});
  figures.push_back({"Expected purchases", count(in.expected_purchases),
                     fmt::format("next {} months", in.horizon_months)});
  page.key_figures(figures);
  page.paragraph(fmt::format("The top 10 % of customers hold {} of the CLV (Gini {}). {}",
                             share(top.share), fmt::format("{:.2f}", in.clv.gini),
                             in.valuation_text));
  for (const std::string& m : in.missing) page.note(m);

  page.section("Models");
  page.table(models_table(in.models));

  if (in.tracking || in.frequency || in.holdout) page.section("How well the model fits");
  if (in.tracking) {
    page.figure(plot::render_tracking(*in.tracking).svg,
                "Cumulative repeat purchases of the whole base, actual and expected, across "
                "calibration and holdout (cltv plot tracking).");
    plot::tracking_view incremental = *in.tracking;
    incremental.incremental = true;
    page.figure(plot::render_tracking(incremental).svg,
                "Repeat purchases per period, actual and expected (cltv plot tracking --metric "
                "incremental).");
  }
  if (in.frequency)
    page.figure(plot::render_frequency(*in.frequency).svg,
                "Customers by number of repeat purchases, actual and expected (cltv plot "
                "frequency).");
  if (in.holdout)
    page.figure(plot::render_holdout(*in.holdout).svg,
                "Mean holdout purchases by calibration frequency, actual and predicted (cltv plot "
                "holdout).");

  page.section("Customer lifetime value");
  const plot::value_view deciles{"CLV", in.valuation_text, in.clv, plot::value_metric::deciles};
  page.figure(plot::render_value(deciles).svg,
              "Each tenth of the customers' share of the CLV, the most valuable first (cltv plot "
              "clv).");
  plot::value_view lorenz = deciles;
  lorenz.metric = plot::value_metric::lorenz;
  page.figure(plot::render_value(lorenz).svg,
              "The Lorenz curve of the CLV (cltv plot clv --metric lorenz).");

  if (in.cohorts) {
    page.section("Cohorts");
    page.figure(plot::render_cohorts(*in.cohorts).svg,
                "The share of each acquisition cohort purchasing, by periods since acquisition "
                "(cltv plot cohorts).");
  }

  page.section("Top customers");
  page.table(top_table(in.top, in.time_unit));
  return page.finish();
}

}  // namespace cltv::report
