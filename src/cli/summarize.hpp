#pragma once
// `cltv summarize`: a transaction log → the per-customer RFM summary.

#include <CLI/CLI.hpp>

#include <string>

#include "log_input.hpp"

namespace cltv::cli {

struct summarize_options {
  transaction_log_options log;
  bool no_amount = false;
  std::string freq = "D";
  std::string observation_end;
  std::string calibration_end;
  std::string time_unit = "1";
  bool sorted = false;
  std::string format = "csv";
};

CLI::App* setup_summarize(CLI::App& app, summarize_options& options);
int run_summarize(const summarize_options& options);

}  // namespace cltv::cli
