#pragma once
// `cltv plot KIND`: a chart of a scenario (or, plot_data.hpp, of a customer
// base and its models), as SVG (or its plotted numbers as
// CSV/JSON, or a Vega-Lite spec), to stdout or to a file written whole.

#include <CLI/CLI.hpp>

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "commands/plot_data.hpp"
#include "io/scenario_options.hpp"

namespace cltv::cli {

struct plot_options {
  std::string kind;        // payback | survival | grid | segments; empty: a data kind
  plot_data_options data;  // tracking, frequency, holdout, matrix, cohorts, clv
  std::array<std::string, scenario_flag_count> scenario_flags;
  std::array<CLI::Option*, scenario_flag_count> scenario_options{};
  std::string input;
  std::string input_format;  // json, ndjson, csv; empty: by the file's extension
  std::string sbg_model;     ///< a `cltv fit sbg` file: alpha and beta (and its counts)
  std::optional<int> periods;
  std::vector<std::string> segments;  ///< segments: --segment, as typed (replaces the input's)
  std::vector<std::string> vary;      ///< grid: the axes, as `cltv grid --vary` takes them
  std::string metric;  ///< grid: ltv_cac_ratio (default), ltv, net_value, cac_payback
  std::string format = "svg";
  std::string output = "-";
};

CLI::App* setup_plot(CLI::App& app, plot_options& options);

/// 0 the chart is written; 2 bad input or usage, or the file cannot be written
/// (then no file is left behind).
int run_plot(const plot_options& options);

}  // namespace cltv::cli
