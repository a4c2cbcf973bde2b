#pragma once
// How many threads a command uses: --threads N as typed, or the cores this
// process may run on.

#include <string>

#include "cltv/error.hpp"

namespace cltv::cli {

/// The most --threads accepts.
inline constexpr int max_threads = 256;

/// The cores this process may run on (its CPU affinity: `taskset -c 1 cltv`
/// has one), at least 1 and at most max_threads.
[[nodiscard]] int available_cores() noexcept;

/// --threads as typed: a whole number from 1 to max_threads, or, when empty,
/// available_cores().
[[nodiscard]] result<int> parse_thread_count(const std::string& text);

}  // namespace cltv::cli
