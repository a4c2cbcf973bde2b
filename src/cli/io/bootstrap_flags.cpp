#include "io/bootstrap_flags.hpp"

#include <fmt/format.h>

#include <cmath>
#include <thread>

#include "cltv/number.hpp"
#include "io/text.hpp"

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

void add_bootstrap_options(CLI::App& app, bootstrap_flags& flags) {
  app.add_option("--bootstrap", flags.replicates,
                 "Add percentile intervals from N refits on customers resampled with replacement "
                 "(CLVTools' boots; e.g. 200)")
      ->option_text("N");
  app.add_option("--seed", flags.seed, "Seed of the bootstrap's resampling (default 1)")
      ->option_text("S");
  app.add_option("--confidence", flags.confidence,
                 "Level of the bootstrap intervals, 0.9 or 90% (default 90%)")
      ->option_text("LEVEL");
  app.add_option("--threads", flags.threads,
                 "Threads for the bootstrap (default: the available cores; the result does not "
                 "depend on it)")
      ->option_text("N");
}

result<std::optional<models::bootstrap_settings>> parse_bootstrap_flags(
    const bootstrap_flags& flags) {
  if (flags.replicates.empty()) {
    const char* stray = !flags.seed.empty()         ? "--seed"
                        : !flags.confidence.empty() ? "--confidence"
                        : !flags.threads.empty()    ? "--threads"
                                                    : nullptr;
    if (stray)
      return error{"bootstrap", fmt::format("{} applies to the bootstrap: add --bootstrap N "
                                            "(e.g. 200 replicates)",
                                            stray)};
    return std::optional<models::bootstrap_settings>();
  }
  models::bootstrap_settings s;
  auto n = whole_flag("--bootstrap", "bootstrap", flags.replicates, 2, 100000);
  if (!n) return std::move(n).error();
  s.replicates = static_cast<int>(*n);
  if (!flags.seed.empty()) {
    // Seeds up to 2^53, where doubles still hold every whole number.
    auto seed = whole_flag("--seed", "seed", flags.seed, 0, 9007199254740992.0);
    if (!seed) return std::move(seed).error();
    s.seed = static_cast<std::uint64_t>(*seed);
  }
  if (!flags.confidence.empty()) {
    auto level = parse_number("confidence", flags.confidence, number_style::rate);
    if (!level) return std::move(level).error();
    if (!(*level > 0 && *level < 1))
      return error{"confidence", fmt::format("--confidence must be a level in (0, 1) such as 90%, "
                                             "got {}",
                                             printable(flags.confidence))};
    s.confidence = *level;
  }
  if (!flags.threads.empty()) {
    auto t = whole_flag("--threads", "threads", flags.threads, 1, 256);
    if (!t) return std::move(t).error();
    s.threads = static_cast<int>(*t);
  } else {
    s.threads = static_cast<int>(std::max(1U, std::min(256U, std::thread::hardware_concurrency())));
  }
  auto checked = models::check_bootstrap_settings(s);
  if (!checked) return std::move(checked).error();
  return std::optional<models::bootstrap_settings>(*checked);
}

std::string bootstrap_description(const models::bootstrap_settings& s) {
  return fmt::format(
      "{} bootstrap percentile intervals ({} replicates, seed {}): the uncertainty of the "
      "expectation from the parameter estimates, not the spread of a customer's future purchases",
      percent(s.confidence), s.replicates, s.seed);
}

}  // namespace cltv::cli
