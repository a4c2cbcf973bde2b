#pragma once
// The charts of a customer base and its fitted models, `cltv plot tracking |
// frequency | holdout | matrix | cohorts | clv`: each a subcommand of plot
// with its own inputs (a log, a summary, model files), read as the command
// that computes the same numbers reads them (backtest, predict, metrics, clv).

#include <CLI/CLI.hpp>

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "commands/clv.hpp"
#include "io/log_input.hpp"
#include "io/summary_input.hpp"
#include "plot/charts.hpp"

namespace cltv::cli {

/// A summary (or a log summarized on the spot) and the purchase model to
/// judge it by: a --model file, or one fitted to it.
struct fitted_summary_options {
  summary_source input;
  std::vector<std::string> models;
  std::string purchase_model;  // to fit: bgnbd (default), mbgnbd, pareto-nbd
};

/// A log split at a calibration end, as `cltv backtest` reads it; the
/// purchase model is fitted to the calibration period (or a --model file).
struct split_log_options {
  log_summary_options log;
  std::vector<std::string> models;
  std::string purchase_model;
};

struct plot_data_options {
  std::string kind;  // the subcommand parsed; empty: none
  std::string format = "svg";
  std::string output = "-";
  std::string metric;  // what a kind with several views draws
  fitted_summary_options frequency;
  std::string open_from = "7";  // frequency: the open last bucket
  fitted_summary_options matrix;
  std::string matrix_horizon = "1";  // matrix: of the expected purchases, in time units
  split_log_options split;           // tracking
  fitted_summary_options holdout;    // a calibration summary, or --log split at its end
  transaction_log_options cohort_log;
  std::string cohort_period = "month";
  std::string cohort_observation_end;
  clv_valuation_options clv;
};

/// What a log split at a calibration end shows of the purchase model fitted
/// to the calibration period (`cltv backtest`'s numbers): the tracking of
/// the whole base per --freq period, and the holdout by calibration frequency.
struct split_log_charts {
  plot::tracking_view tracking;
  plot::holdout_view holdout;
  std::size_t customers = 0;  ///< in the calibration period
  double time_unit_days = 1;
};

/// Reads the log once (summarize's read path, with the activity per period),
/// fits (or takes the --model file), tracks and backtests. `command` names
/// the command for the error of a missing calibration end.
[[nodiscard]] result<split_log_charts> chart_split_log(const split_log_options& in,
                                                       std::string_view command);

/// The kinds, in the order help lists them.
inline constexpr std::array<std::string_view, 6> data_plot_kinds{"tracking", "frequency", "holdout",
                                                                 "matrix",   "cohorts",   "clv"};

/// Declares each kind as a subcommand of `plot`, its options bound to `o`.
void add_data_plots(CLI::App& plot, plot_data_options& o);

/// 0 the chart is written; 2 bad input or usage (nothing is written).
int run_data_plot(const plot_data_options& o);

}  // namespace cltv::cli
