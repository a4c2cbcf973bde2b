#pragma once
// A progress line on stderr for work that can take more than a couple of
// seconds (a fit on a large summary, valuing a large base): shown only when
// stderr is a terminal and --quiet is not given, first after two seconds
// (CLTV_PROGRESS_DELAY seconds, for the tests), then refreshed twice a
// second, and erased when the work ends or an error or note is printed.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace cltv::cli {

/// Turns every progress line off (--quiet).
void disable_progress() noexcept;

/// Erases a progress line being shown, so that a message starts a clean line
/// (messages.cpp calls it before every error and note).
void erase_progress_line();

/// One piece of work with its progress line, from construction to
/// destruction. With a total, the line counts what is done ("valuing
/// customers 120,000 of 300,000"); without, it shows the time taken.
class progress {
 public:
  explicit progress(std::string label, std::uint64_t total = 0);
  ~progress();
  progress(const progress&) = delete;
  progress& operator=(const progress&) = delete;

  /// `n` more items done (cheap: one relaxed atomic add).
  void advance(std::uint64_t n = 1) noexcept { done_.fetch_add(n, std::memory_order_relaxed); }

 private:
  void show();

  std::string label_;
  std::uint64_t total_;
  std::atomic<std::uint64_t> done_{0};
  std::chrono::steady_clock::time_point start_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread ticker_;
};

}  // namespace cltv::cli
