#pragma once
// `cltv metrics`: a transaction log → the historical inputs of the LTV
// formulas per month or year, the cohort retention table, or a scenario.

#include <CLI/CLI.hpp>

#include <string>

#include "io/log_input.hpp"

namespace cltv::cli {

struct metrics_options {
  transaction_log_options log;
  std::string period = "month";
  std::string observation_end;
  std::string inactive_after = "3";
  std::string cac;
  std::string target;
  std::string by = "period";
  std::string format = "table";
  bool emit_scenario = false;
};

CLI::App* setup_metrics(CLI::App& app, metrics_options& options);
int run_metrics(const metrics_options& options);

}  // namespace cltv::cli
