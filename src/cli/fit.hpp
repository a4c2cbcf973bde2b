#pragma once
// `cltv fit bgnbd|gamma-gamma|sbg INPUT`: fit a CLV model, write it as JSON.

#include <CLI/CLI.hpp>

#include <string>

#include "log_input.hpp"

namespace cltv::cli {

struct fit_options {
  std::string model;
  table_input_options table;
};

CLI::App* setup_fit(CLI::App& app, fit_options& options);
int run_fit(const fit_options& options);

}  // namespace cltv::cli
