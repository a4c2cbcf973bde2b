#pragma once
// `cltv backtest LOG --calibration-end DATE`: fit BG/NBD on the calibration
// period, predict the holdout, report the errors (exit 1 over --max-error).

#include <CLI/CLI.hpp>

#include <string>

#include "io/log_input.hpp"

namespace cltv::cli {

struct backtest_options {
  transaction_log_options log;
  std::string calibration_end;
  std::string calibration_periods;
  std::string observation_end;
  std::string freq = "D";
  std::string time_unit;        // empty: the --freq period
  std::string max_error;        // empty: no check
  std::string model = "bgnbd";  // or mbgnbd
  bool tracking = false;        // per-period actual vs expected instead of the report
  std::string format = "table";
};

CLI::App* setup_backtest(CLI::App& app, backtest_options& options);
int run_backtest(const backtest_options& options);

}  // namespace cltv::cli
