#pragma once
// `cltv metrics`: a transaction log → the historical inputs of the LTV
// formulas per month or year, the cohort retention table, or a scenario.

#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>

#include "cltv/metrics.hpp"
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

/// A log measured as `cltv metrics` reads it: the report, and what the
/// messages need.
struct measured_log {
  metrics_report report;
  std::string name;  ///< "log.csv" / "stdin"
  std::uint64_t skipped_rows = 0;
  std::string skipped_note;  ///< for stderr; empty when none
};

/// Reads the whole log into a metrics report (one pass).
[[nodiscard]] result<measured_log> measure_log(const transaction_log_options& log,
                                               const cltv::metrics_options& options);

CLI::App* setup_metrics(CLI::App& app, metrics_options& options);
int run_metrics(const metrics_options& options);

}  // namespace cltv::cli
