#include "io/interval_flags.hpp"

#include <fmt/format.h>

#include <cmath>

#include "cltv/number.hpp"
#include "io/messages.hpp"
#include "io/progress.hpp"
#include "io/text.hpp"
#include "io/threads.hpp"

namespace cltv::cli {
namespace {

// A whole number flag in [low, high], the error naming the flag.
result<double> whole_flag(std::string_view flag, std::string_view field, const std::string& text,
                          double low, double high) {
  auto n = parse_number(field, text, number_style::plain);
  if (!n) return std::move(n).error();
  if (!(*n >= low && *n <= high && *n == std::floor(*n)))
    return error{std::string(field), fmt::format("{} must be a whole number from {} to {}, got {}",
                                                 flag, fmt::format("{:.0f}", low),
                                                 fmt::format("{:.0f}", high), format_shortest(*n))};
  return *n;
}

}  // namespace

void add_interval_options(CLI::App& app, interval_flags& flags, interval_methods offered) {
  if (offered.bootstrap) {
    app.add_option("--bootstrap", flags.replicates,
                   "Add percentile intervals from N refits on customers resampled with "
                   "replacement (CLVTools' boots; e.g. 200)")
        ->option_text("N");
    app.add_option("--seed", flags.seed, "Seed of the bootstrap's resampling (default 1)")
        ->option_text("S");
    app.add_option("--threads", flags.threads,
                   "Threads for the bootstrap and for parsing a --log (default: the available "
                   "cores; the result does not depend on it)")
        ->option_text("N");
  }
  if (offered.delta_method)
    app.add_flag("--delta-method", flags.delta_method,
                 "Add delta-method intervals from the model files' covariance (no refits; a "
                 "normal approximation)");
  app.add_option("--confidence", flags.confidence,
                 "Level of the intervals, 0.9 or 90% (default 90%)")
      ->option_text("LEVEL");
}

result<interval_request> parse_interval_flags(const interval_flags& flags, interval_methods offered,
                                              bool reads_log) {
  interval_request request;
  request.delta_method = flags.delta_method;
  if (!flags.confidence.empty()) {
    auto level = parse_number("confidence", flags.confidence, number_style::rate);
    if (!level) return std::move(level).error();
    if (!(*level > 0 && *level < 1))
      return error{"confidence", fmt::format("--confidence must be a level in (0, 1) such as 90%, "
                                             "got {}",
                                             printable(flags.confidence))};
    request.confidence = *level;
  }
  if (flags.replicates.empty()) {
    if (!flags.seed.empty() || (!flags.threads.empty() && !reads_log))
      return error{"bootstrap",
                   fmt::format("{} applies to the bootstrap: add --bootstrap N (e.g. 200 "
                               "replicates)",
                               !flags.seed.empty() ? "--seed" : "--threads")};
    if (!flags.threads.empty()) {  // the log's
      auto threads = parse_thread_count(flags.threads);
      if (!threads) return std::move(threads).error();
    }
    if (!flags.confidence.empty() && !flags.delta_method)
      return error{"confidence",
                   fmt::format("--confidence is the level of intervals: add --bootstrap N{}",
                               offered.delta_method ? " or --delta-method" : "")};
    return request;
  }
  if (flags.delta_method)
    return error{"delta_method",
                 "--bootstrap and --delta-method are two ways to the same intervals; give one"};
  models::bootstrap_settings s;
  s.confidence = request.confidence;
  auto n = whole_flag("--bootstrap", "bootstrap", flags.replicates, 2, 100000);
  if (!n) return std::move(n).error();
  s.replicates = static_cast<int>(*n);
  if (!flags.seed.empty()) {
    // Seeds up to 2^53, where doubles still hold every whole number.
    auto seed = whole_flag("--seed", "seed", flags.seed, 0, 9007199254740992.0);
    if (!seed) return std::move(seed).error();
    s.seed = static_cast<std::uint64_t>(*seed);
  }
  auto threads = parse_thread_count(flags.threads);
  if (!threads) return std::move(threads).error();
  s.threads = *threads;
  auto checked = models::check_bootstrap_settings(s);
  if (!checked) return std::move(checked).error();
  request.bootstrap = *checked;
  return request;
}

std::string bootstrap_description(const models::bootstrap_settings& s) {
  return fmt::format("{} bootstrap percentile intervals ({} replicates, seed {}): {}",
                     percent(s.confidence), s.replicates, s.seed, interval_meaning);
}

void append_interval_member(std::string& out, std::string_view name,
                            const models::interval_bounds& bounds) {
  out += fmt::format(",\"{}\":[", name);
  append_number(out, bounds.lower);
  out += ',';
  append_number(out, bounds.upper);
  out += ']';
}

result<std::vector<models::bootstrap_replicate>> refit_replicates(
    std::span<const models::rfm_tuple> customers, std::span<const double> monetary_value,
    const models::bootstrap_models& refit, const models::bootstrap_settings& settings) {
  const progress shown(fmt::format("bootstrap: refitting {} replicates on {} thread{}",
                                   settings.replicates, settings.threads,
                                   settings.threads == 1 ? "" : "s"));
  return models::refit_bootstrap_replicates(customers, monetary_value, refit, settings);
}

void print_bootstrap_notes(const models::bootstrap_settings& settings, int used,
                           const std::string& first_failure) {
  print_note(bootstrap_description(settings));
  if (used < settings.replicates)
    print_note(
        fmt::format("{} of {} bootstrap replicates could not be fitted and are left out "
                    "({})",
                    settings.replicates - used, settings.replicates, first_failure));
}

std::string delta_method_description(double confidence) {
  return fmt::format(
      "{} delta-method intervals (normal on the log scale, logit for P(alive), from the model "
      "files' covariance): {}",
      percent(confidence), interval_meaning);
}

}  // namespace cltv::cli
