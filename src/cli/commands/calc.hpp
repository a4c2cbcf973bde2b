#pragma once
// `cltv calc` and `cltv check`: the same inputs, different verdicts.

#include <CLI/CLI.hpp>

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cltv/number.hpp"
#include "cltv/scenario.hpp"

#include "io/scenario_options.hpp"
#include "io/writers.hpp"

namespace cltv::cli {

/// Flag values as typed; parsed by run_calc so that errors name the field.
struct calc_options {
  command cmd = command::calc;
  std::array<std::string, scenario_flag_count> scenario_flags;
  std::array<CLI::Option*, scenario_flag_count> scenario_options{};
  std::string input;
  std::string input_format;  // json, ndjson, csv; empty: by the file's extension
  std::string sbg_model;  ///< a `cltv fit sbg` file: its alpha and beta as --sbg-alpha/--sbg-beta
  std::string format;     // empty: table for one scenario, ndjson for a batch
  std::string threads;    // --threads as typed (empty: the available cores)
  bool json = false;
  bool explain = false;
  bool reconcile = false;  ///< calc only: the same inputs under other conventions
  std::string color = "auto";
  std::vector<std::string> segments;       // --segment, as typed (see segments.hpp)
  std::string what_if;                     // --what-if annual_share=RATE
  std::string annual_price, annual_churn;  // the annual plan, as typed
  CLI::Option* annual_price_option = nullptr;
  CLI::Option* annual_churn_option = nullptr;
};

/// Declares the subcommand `calc` or, when options.cmd is check, `check` on `app`.
CLI::App* setup_calc(CLI::App& app, calc_options& options);
/// Declares `check`: the inputs of calc, with a verdict.
CLI::App* setup_check(CLI::App& app, calc_options& options);

/// Runs it; returns the exit code (0 ok/pass, 1 check failed, 2 error).
int run_calc(const calc_options& options);

}  // namespace cltv::cli
