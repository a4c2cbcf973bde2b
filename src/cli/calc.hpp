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

#include "writers.hpp"

namespace cltv::cli {

/// The scenario inputs that have a flag (--arpu … --period; see calc.cpp).
inline constexpr std::size_t scenario_flag_count = 20;

/// Flag values as typed; parsed by run_calc so that errors name the field.
struct calc_options {
  command cmd = command::calc;
  std::array<std::string, scenario_flag_count> scenario_flags;
  std::array<CLI::Option*, scenario_flag_count> scenario_options{};
  std::string input;
  std::string sbg_model;  ///< a `cltv fit sbg` file: its alpha and beta as --sbg-alpha/--sbg-beta
  std::string format;     // empty: table for one scenario, ndjson for a batch
  bool json = false;
  bool explain = false;
  bool reconcile = false;  ///< calc only: the same inputs under other conventions
  std::string color = "auto";
  std::vector<std::string> segments;  // --segment, as typed (see segments.hpp)
  std::string what_if;                // --what-if annual_share=RATE
};

/// The scenario flags of calc, shared by every command that takes a scenario
/// (calc, check, solve, grid): declared on `sub` in the group "Scenario".
/// Declares -i/--input FILE, -f/--format table|json|ndjson|csv and --json (short
/// for --format json; excludes --format), with these help texts: the input and
/// output options calc, check, solve and grid share.
void add_scenario_io_options(CLI::App& sub, std::string& input, std::string& format, bool& json,
                             const char* input_help, const char* format_help);

void add_scenario_flags(CLI::App& sub, std::array<std::string, scenario_flag_count>& values,
                        std::array<CLI::Option*, scenario_flag_count>& options);

/// The scenario flags given, parsed (errors name the field and the value).
result<scenario_input> parse_scenario_flags(
    const std::array<std::string, scenario_flag_count>& values,
    const std::array<CLI::Option*, scenario_flag_count>& options);

/// A scenario input by its JSON name ("churn", "gross_margin"; not "period").
struct scenario_field {
  std::string_view name;
  std::optional<double> scenario_input::*member = nullptr;
  number_style style = number_style::plain;
};
[[nodiscard]] std::optional<scenario_field> find_scenario_field(std::string_view name);
/// The JSON names of the numeric scenario inputs, comma separated.
[[nodiscard]] std::string scenario_field_names();

/// Colour for --color auto|always|never (auto: a tty and NO_COLOR unset).
[[nodiscard]] bool use_color(const std::string& mode);

/// Declares the subcommand `calc` or `check` on `app`.
CLI::App* setup_calc(CLI::App& app, calc_options& options);

/// Runs it; returns the exit code (0 ok/pass, 1 check failed, 2 error).
int run_calc(const calc_options& options);

}  // namespace cltv::cli
