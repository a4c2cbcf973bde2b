#pragma once
// The pages of `cltv report`: each from numbers the library computes, and the
// charts of cltv::plot, as one self-contained HTML file (html_page.hpp).

#include <optional>
#include <string>
#include <vector>

#include "cltv/error.hpp"
#include "cltv/scenario.hpp"
#include "cltv/value_distribution.hpp"
#include "plot/charts.hpp"
#include "report/html_page.hpp"

namespace cltv::report {

/// The budget-meeting page of one scenario: the verdict, LTV, CAC, LTV:CAC,
/// the paybacks, the payback curve, LTV:CAC (or LTV, without a CAC) over the
/// value and the lifetime inputs ±50 % as a heatmap, and the survival curve.
struct scenario_page_input {
  scenario_input input;
  std::string source;  ///< where the scenario came from: "flags", "saas.json"
  std::vector<std::vector<double>> sbg_counts{};  ///< an sBG fit's counts, for survival
};
[[nodiscard]] result<std::string> scenario_page(const scenario_page_input& in);

/// The inputs around a scenario that the sensitivity heatmap varies: its
/// value source (arpu, value or aov) and lifetime source (churn, lifetime or
/// contract_length) at 50 %, 75 %, 100 %, 125 % and 150 % of the given value
/// (a churn kept below 100 %). Fewer axes when the scenario gives fewer of
/// them (churn from counts or an sBG curve is not varied).
[[nodiscard]] std::vector<grid_axis> sensitivity_axes(const scenario_input& input);

/// One fitted model for the page: its name, parameters with standard errors,
/// and how the fit went.
struct model_summary {
  std::string label;  ///< "BG/NBD"
  struct parameter {
    std::string name;
    double value = 0;
    std::optional<double> standard_error;
  };
  std::vector<parameter> parameters;
  std::optional<double> log_likelihood;
  std::string note{};  ///< "given as bgnbd.json", "fitted to 2,357 customers"
};

/// A customer of the top list.
struct top_customer {
  std::string id;
  double frequency = 0, recency = 0, T = 0;
  double p_alive = 0, expected_purchases = 0, clv = 0;
};

/// The analyst's page of a customer base: what the data hold, the fitted
/// models, how well they fit (tracking, frequency, holdout), the CLV and how
/// it is spread, the expected active customers and the top customers. Each
/// chart is optional: a page from a summary has no tracking or cohorts, and
/// says so (`missing` lists what is left out and why).
struct customer_page_input {
  std::string source;     ///< "log.csv", "summary.csv"
  std::string time_unit;  ///< "weeks"
  // The data.
  double customers = 0;
  std::optional<double> transactions;
  std::string period_text;  ///< "1997-01-01 to 1998-06-30", or empty
  double one_time_buyers = 0;
  std::optional<double> mean_spend;  ///< per repeat purchase
  // The models.
  std::vector<model_summary> models;
  // The charts, each when there is one.
  std::optional<plot::tracking_view> tracking;
  std::optional<plot::frequency_view> frequency;
  std::optional<plot::holdout_view> holdout;
  std::optional<plot::cohort_view> cohorts;
  // The valuation.
  int horizon_months = 12;
  std::string valuation_text;  ///< "12 months, discount 1 % per month, gross margin 30 %"
  value_distribution clv;
  double expected_active = 0;
  double expected_purchases = 0;
  std::vector<top_customer> top;
  std::vector<std::string> missing{};  ///< what the page leaves out, and why
};
[[nodiscard]] result<std::string> customer_page(const customer_page_input& in);

}  // namespace cltv::report
