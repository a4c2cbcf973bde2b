#pragma once
// `cltv fit bgnbd|gamma-gamma|sbg INPUT`: fit a CLV model, write it as JSON;
// `cltv fit --compare bgnbd,pareto-nbd SUMMARY`: fit several and compare them.

#include <CLI/CLI.hpp>

#include <string>

#include "io/covariate_input.hpp"
#include "io/database_input.hpp"
#include "io/log_input.hpp"

namespace cltv::cli {

struct fit_options {
  std::string model;
  table_input_options table;
  // bgnbd and gamma-gamma: an RFM summary. Empty: the default name, or its
  // usual alias (frequency/x, recency/t_x, monetary_value/zbar).
  std::string frequency_col;
  std::string recency_col;
  std::string T_col;
  std::string monetary_col;
  std::string count_col;  // optional: customers per row
  // Of a summary that does not state it: days, weeks, months, years or N days.
  std::string time_unit;
  bool drop_nonpositive = false;
  std::string penalty;  // lifetimes' penalizer_coef (models::fit_penalty); empty: none
  // sbg: the column of active counts (default: the second).
  std::string column;
  bool from_metrics = false;  // sbg: INPUT is `cltv metrics --by cohort --format json`
  std::string format = "json";
  const CLI::Option* format_option = nullptr;  // given or not: --compare defaults to a table
  std::string compare;                         // a list of purchase models; empty: fit `model`
  /// --from URI --table NAME: the summary made in PostgreSQL (tuples, or
  /// gamma-gamma's spend tuples) from the log there, as `log` says.
  database_log database;
  log_summary_options log;
  /// --covariates FILE and the columns it gives each process (bgnbd, mbgnbd,
  /// pareto-nbd).
  covariate_options covariates;
};

CLI::App* setup_fit(CLI::App& app, fit_options& options);
int run_fit(const fit_options& options);

}  // namespace cltv::cli
