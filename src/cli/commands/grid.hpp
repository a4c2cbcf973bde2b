#pragma once
// `cltv grid`: one metric over a grid of one or two varied inputs.

#include <CLI/CLI.hpp>

#include <array>
#include <string>
#include <vector>

#include "io/scenario_options.hpp"

namespace cltv::cli {

struct grid_options {
  std::vector<std::string> vary;
  std::string metric = "ltv_cac_ratio";
  std::array<std::string, scenario_flag_count> scenario_flags;
  std::array<CLI::Option*, scenario_flag_count> scenario_options{};
  std::string input;
  std::string input_format;  // json, ndjson, csv; empty: by the file's extension
  std::string format = "table";
  bool json = false;
  std::vector<std::string> segments;  // --segment: refused (segments_unsupported)
  std::vector<std::string> annual;    // --what-if, --annual-*: refused (annual_plan_unsupported)
  std::string sbg_model;  ///< a `cltv fit sbg` file: its alpha and beta as --sbg-alpha/--sbg-beta
};

CLI::App* setup_grid(CLI::App& app, grid_options& options);

/// 0 the grid is printed (cells below the target are marked, not an error),
/// 2 bad input or usage, or a cell could not be computed (an error cell).
int run_grid(const grid_options& options);

}  // namespace cltv::cli
