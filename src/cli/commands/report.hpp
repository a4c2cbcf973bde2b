#pragma once
// `cltv report scenario | customers`: one self-contained HTML page — the
// budget-meeting page of a scenario, or the analyst's page of a customer base
// and its models.

#include <CLI/CLI.hpp>

#include <array>
#include <string>

#include "commands/clv.hpp"
#include "io/scenario_options.hpp"

namespace cltv::cli {

struct report_options {
  std::string kind;  // the subcommand parsed: scenario or customers
  std::string output = "-";
  // scenario
  std::array<std::string, scenario_flag_count> scenario_flags;
  std::array<CLI::Option*, scenario_flag_count> scenario_options{};
  std::string input;
  std::string input_format;
  std::string sbg_model;
  // customers
  clv_valuation_options valuation;
  std::string top = "10";
};

CLI::App* setup_report(CLI::App& app, report_options& options);

/// 0 the page is written; 2 bad input, usage or a failed fit (nothing written).
int run_report(const report_options& options);

}  // namespace cltv::cli
