#pragma once
// The flags that ask for intervals of predictions, as `clv` and `predict`
// declare them: --bootstrap N (with --seed and --threads), --delta-method,
// and --confidence for either.

#include <CLI/CLI.hpp>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cltv/error.hpp"
#include "cltv/models/bootstrap.hpp"

namespace cltv::cli {

struct interval_flags {
  std::string replicates;     // --bootstrap N; empty: no bootstrap
  std::string seed;           // default 1
  std::string confidence;     // default 90%
  std::string threads;        // default: the available cores
  bool delta_method = false;  // --delta-method
};

/// Which of the interval methods a command offers.
struct interval_methods {
  bool bootstrap = true;
  bool delta_method = false;
};

/// Declares --bootstrap, --seed and --threads (when offered), --delta-method
/// (when offered) and --confidence.
void add_interval_options(CLI::App& app, interval_flags& flags, interval_methods offered);

/// The intervals asked for: none, the bootstrap or the delta method, at one level.
struct interval_request {
  std::optional<models::bootstrap_settings> bootstrap;
  bool delta_method = false;
  double confidence = 0.9;
  [[nodiscard]] bool any() const noexcept { return bootstrap.has_value() || delta_method; }
};

/// The request the flags make (declared as `offered` says). Refuses --seed or
/// --threads without --bootstrap (unless `reads_log`: it also sets the
/// threads that parse a --log), --confidence without a method, and both
/// methods at once; errors name the flag and the value.
[[nodiscard]] result<interval_request> parse_interval_flags(const interval_flags& flags,
                                                            interval_methods offered,
                                                            bool reads_log = false);

/// What the bootstrap intervals are, for a note on stderr:
/// "90% bootstrap percentile intervals (200 replicates, seed 1): the
/// uncertainty of the expectation from the parameter estimates, not the
/// spread of a customer's future purchases".
[[nodiscard]] std::string bootstrap_description(const models::bootstrap_settings& s);

/// refit_bootstrap_replicates with a progress line on stderr.
[[nodiscard]] result<std::vector<models::bootstrap_replicate>> refit_replicates(
    std::span<const models::rfm_tuple> customers, std::span<const double> monetary_value,
    const models::bootstrap_models& refit, const models::bootstrap_settings& settings);

/// The notes on stderr after a bootstrap: what the intervals are
/// (bootstrap_description) and, when some replicates could not be fitted,
/// how many and the first one's reason.
void print_bootstrap_notes(const models::bootstrap_settings& settings, int used,
                           const std::string& first_failure);

/// What every interval of a prediction describes, as the notes and JSON say it.
inline constexpr std::string_view interval_meaning =
    "the uncertainty of the expectation from the parameter estimates, not the spread of a "
    "customer's future purchases";

/// Appends `,"name":[lower,upper]` to a JSON object being written.
void append_interval_member(std::string& out, std::string_view name,
                            const models::interval_bounds& bounds);

/// The same for delta-method intervals at `confidence`.
[[nodiscard]] std::string delta_method_description(double confidence);

}  // namespace cltv::cli
