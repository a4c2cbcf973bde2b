#pragma once
// The bootstrap's flags as `clv` (and any command that refits to give
// intervals) declares them: --bootstrap N, --seed S, --confidence LEVEL,
// --threads N.

#include <CLI/CLI.hpp>

#include <optional>
#include <string>

#include "cltv/error.hpp"
#include "cltv/models/bootstrap.hpp"

namespace cltv::cli {

struct bootstrap_flags {
  std::string replicates;  // empty: no bootstrap
  std::string seed;        // default 1
  std::string confidence;  // default 90%
  std::string threads;     // default: the available cores
};

/// Declares --bootstrap, --seed, --confidence and --threads.
void add_bootstrap_options(CLI::App& app, bootstrap_flags& flags);

/// The settings the flags give; nullopt without --bootstrap (then the other
/// three are refused rather than ignored). Errors name the flag and value.
[[nodiscard]] result<std::optional<models::bootstrap_settings>> parse_bootstrap_flags(
    const bootstrap_flags& flags);

/// What the intervals are, for a note on stderr and the table:
/// "90% bootstrap percentile intervals (200 replicates, seed 1): the
/// uncertainty of the expectation from the parameter estimates, not the
/// spread of a customer's future purchases".
[[nodiscard]] std::string bootstrap_description(const models::bootstrap_settings& s);

}  // namespace cltv::cli
