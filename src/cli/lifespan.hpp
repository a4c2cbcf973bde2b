#pragma once
// `cltv lifespan` (placeholder, being written).

#include <CLI/CLI.hpp>

#include "log_input.hpp"

namespace cltv::cli {

struct lifespan_options {
  table_input_options table;
};

CLI::App* setup_lifespan(CLI::App& app, lifespan_options& options);
int run_lifespan(const lifespan_options& options);

}  // namespace cltv::cli
