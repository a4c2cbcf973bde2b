#pragma once
// `cltv solve FIELD`: goal-seek one scenario input so that LTV:CAC = target.

#include <CLI/CLI.hpp>

#include <array>
#include <string>
#include <vector>

#include "io/scenario_options.hpp"

namespace cltv::cli {

struct solve_options {
  std::string field;      // positional FIELD
  std::string for_field;  // --for FIELD (the same, as an option)
  std::array<std::string, scenario_flag_count> scenario_flags;
  std::array<CLI::Option*, scenario_flag_count> scenario_options{};
  std::string input;
  std::string input_format;  // json, ndjson, csv; empty: by the file's extension
  std::string format;        // empty: table for one scenario, ndjson for a batch
  std::string threads;       // --threads as typed (empty: the available cores)
  bool json = false;
  std::string color = "auto";
  std::vector<std::string> segments;  // --segment: refused (segments_unsupported)
  std::vector<std::string> annual;    // --what-if, --annual-*: refused (annual_plan_unsupported)
  std::string sbg_model;  ///< a `cltv fit sbg` file: its alpha and beta as --sbg-alpha/--sbg-beta
};

CLI::App* setup_solve(CLI::App& app, solve_options& options);

/// 0 every scenario solved, 1 a target is unreachable, 2 bad input or usage.
int run_solve(const solve_options& options);

}  // namespace cltv::cli
