#pragma once
// `cltv predict --model M SUMMARY`: per-customer predictions of fitted models.

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "io/covariate_input.hpp"
#include "io/interval_flags.hpp"
#include "io/log_input.hpp"
#include "io/summary_input.hpp"

namespace cltv::cli {

struct predict_options {
  std::vector<std::string> models;
  summary_source input;  // a SUMMARY or --log FILE
  std::string horizon;   // in the summary's time unit: a value list
  std::string pmf;       // purchase counts n for P(n purchases): a value list
  bool new_customer = false;
  std::string continuous_discount;  // δ per time unit, for DERT
  std::string discount_rate;        // per month, for DERT instead of δ
  std::string days_per_month;       // default 365.25 / 12
  std::string months;        // a horizon in months for discounted_purchases (cltv clv's valuation)
  interval_flags intervals;  // --delta-method, --confidence
  covariate_options covariates;  // --covariates FILE: a model fitted with covariates
  std::string format = "csv";
};

CLI::App* setup_predict(CLI::App& app, predict_options& options);
int run_predict(const predict_options& options);

}  // namespace cltv::cli
