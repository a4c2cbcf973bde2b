#include "io/threads.hpp"

#include <fmt/format.h>
#include <sched.h>

#include <algorithm>
#include <cmath>
#include <thread>

#include "cltv/number.hpp"

namespace cltv::cli {

int available_cores() noexcept {
  cpu_set_t set;
  CPU_ZERO(&set);
  int cores = 0;
  if (sched_getaffinity(0, sizeof set, &set) == 0) cores = CPU_COUNT(&set);
  if (cores <= 0) cores = static_cast<int>(std::thread::hardware_concurrency());
  return std::clamp(cores, 1, max_threads);
}

result<int> parse_thread_count(const std::string& text) {
  if (text.empty()) return available_cores();
  auto n = parse_number("threads", text, number_style::plain);
  if (!n) return std::move(n).error();
  if (!(*n >= 1 && *n <= max_threads && *n == std::floor(*n)))
    return error{"threads", fmt::format("--threads must be a whole number from 1 to {}, got {}",
                                        max_threads, format_shortest(*n))};
  return static_cast<int>(*n);
}

}  // namespace cltv::cli
