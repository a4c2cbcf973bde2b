#pragma once
// The scenario flags (--arpu … --period) and the input/output options that
// every command taking a scenario shares: calc, check, solve and grid.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cltv/error.hpp"
#include "cltv/number.hpp"
#include "cltv/scenario.hpp"
#include "cltv/scenario_fields.hpp"

// Declared, not included: CLI11's header gives every file that includes it
// static objects to construct at start-up, so only the files that declare
// options include it.
namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace cltv::cli {

/// The scenario inputs, each with a flag (--arpu … --sbg-beta): index i of
/// the arrays below is the flag at flag_position i (cltv/scenario_fields.hpp).
inline constexpr std::size_t scenario_flag_count = scenario_fields.size();

/// The scenario flags of calc, shared by every command that takes a scenario
/// (calc, check, solve, grid): declared on `sub` in the group "Scenario".
/// Declares -i/--input FILE, --input-format json|ndjson|csv (needs --input),
/// -f/--format table|json|ndjson|csv and --json (short for --format json;
/// excludes --format), with these help texts: the input and output options
/// calc, check, solve and grid share.
void add_scenario_io_options(CLI::App& sub, std::string& input, std::string& input_format,
                             std::string& format, bool& json, const char* input_help,
                             const char* format_help);

/// --threads N in the group "Input and output": the threads that evaluate and
/// format a batch of --input records (calc, check, solve).
void add_batch_threads_option(CLI::App& sub, std::string& threads);

void add_scenario_flags(CLI::App& sub, std::array<std::string, scenario_flag_count>& values,
                        std::array<CLI::Option*, scenario_flag_count>& options);

/// --sbg-model FILE in the group "Scenario": the lifetime from a `cltv fit sbg`
/// file, as its alpha and beta (calc, check, solve and grid).
void add_sbg_model_option(CLI::App& sub, std::string& path);

/// Sets `flags`' sbg_alpha and sbg_beta from the sBG model file at `path`
/// (nothing when `path` is empty). `input` is the command's --input: the two
/// cannot both be stdin. Errors: --sbg-alpha or --sbg-beta given too, a model
/// file of another kind, an unreadable file.
[[nodiscard]] std::optional<error> apply_sbg_model(const std::string& path,
                                                   const std::string& input, scenario_input& flags);

/// apply_sbg_model, also returning the counts the model was fitted on (the
/// file's "counts"; empty when it records none or `path` is empty).
[[nodiscard]] result<std::vector<std::vector<double>>> apply_sbg_model_with_counts(
    const std::string& path, const std::string& input, scenario_input& flags);

/// The scenario flags given, parsed (--target also as 3x or 3×) (errors name the field and the
/// value).
result<scenario_input> parse_scenario_flags(
    const std::array<std::string, scenario_flag_count>& values,
    const std::array<CLI::Option*, scenario_flag_count>& options);

/// The one warning of a run whose per-period flags (--churn, --arpu,
/// --horizon …) apply to records in another period than the run's (see
/// cltv::overrides_change_period): add() each record it applies to, then
/// print() names them all on one stderr line.
class period_override_warning {
 public:
  explicit period_override_warning(const scenario_input& flags) : flags_(flags) {}
  /// Whether the flags change the meaning of a value in `record`'s period.
  [[nodiscard]] bool applies(const scenario_input& record) const;
  /// Remembers such a record by its label ("basic (line 3)").
  void add(std::string label);
  /// "cltv: --churn is per month in this run, but read per year in 2 records
  /// with period year: line 3, basic (line 5) …"; nothing when none.
  void print() const;

 private:
  const scenario_input& flags_;
  std::size_t count_ = 0;
  std::vector<std::string> labels_;  // the first few
};

/// Colour for --color auto|always|never (auto: a tty and NO_COLOR unset).
[[nodiscard]] bool use_color(const std::string& mode);

}  // namespace cltv::cli
