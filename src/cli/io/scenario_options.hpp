#pragma once
// The scenario flags (--arpu … --period) and the input/output options that
// every command taking a scenario shares: calc, check, solve and grid.

#include <CLI/CLI.hpp>

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "cltv/error.hpp"
#include "cltv/number.hpp"
#include "cltv/scenario.hpp"

namespace cltv::cli {

/// The scenario inputs that have a flag (--arpu … --period; see calc.cpp).
inline constexpr std::size_t scenario_flag_count = 20;

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

}  // namespace cltv::cli
