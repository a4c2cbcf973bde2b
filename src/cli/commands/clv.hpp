#pragma once
// `cltv clv SUMMARY`: fit BG/NBD and Gamma-Gamma (or take fitted models),
// then each customer's CLV.

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "io/log_input.hpp"
#include "io/summary_input.hpp"

namespace cltv::cli {

struct clv_command_options {
  std::vector<std::string> models;  // optional: fitted models instead of fitting
  std::string purchase_model;       // bgnbd (default) or mbgnbd, when fitting
  summary_source input;             // a SUMMARY or --log FILE; --time-unit is input.log.time_unit
  std::string horizon = "12";       // months
  std::string discount_rate = "0";
  std::string gross_margin = "1";
  std::string days_per_month;  // default 365.25 / 12
  bool drop_nonpositive = false;
  std::string spend_per_purchase;   // instead of Gamma-Gamma: one amount for every purchase
  bool spend_from_summary = false;  // instead of Gamma-Gamma: each customer's own mean spend
  bool cash_flows = false;
  std::string format = "table";
};

CLI::App* setup_clv(CLI::App& app, clv_command_options& options);
int run_clv(const clv_command_options& options);

}  // namespace cltv::cli
