#pragma once
// `cltv predict --model M SUMMARY`: per-customer predictions of fitted models.
// `cltv clv SUMMARY`: fit BG/NBD and Gamma-Gamma, then each customer's CLV.

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "io/log_input.hpp"
#include "io/summary_input.hpp"

namespace cltv::cli {

struct predict_options {
  std::vector<std::string> models;
  table_input_options table;
  summary_columns columns;
  std::string horizon;  // in the summary's time unit
  std::string format = "csv";
};

CLI::App* setup_predict(CLI::App& app, predict_options& options);
int run_predict(const predict_options& options);

struct clv_command_options {
  std::vector<std::string> models;  // optional: fitted models instead of fitting
  std::string purchase_model;       // bgnbd (default) or mbgnbd, when fitting
  table_input_options table;
  summary_columns columns;
  std::string horizon = "12";  // months
  std::string discount_rate = "0";
  std::string gross_margin = "1";
  std::string time_unit = "days";  // of the summary: days, weeks or a number of days
  std::string days_per_month;      // default 365.25 / 12
  bool drop_nonpositive = false;
  bool cash_flows = false;
  std::string format = "table";
};

CLI::App* setup_clv(CLI::App& app, clv_command_options& options);
int run_clv(const clv_command_options& options);

}  // namespace cltv::cli
