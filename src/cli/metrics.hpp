#pragma once
// `cltv metrics` (placeholder, being written).

#include <CLI/CLI.hpp>

#include "log_input.hpp"

namespace cltv::cli {

struct metrics_options {
  table_input_options table;
};

CLI::App* setup_metrics(CLI::App& app, metrics_options& options);
int run_metrics(const metrics_options& options);

}  // namespace cltv::cli
