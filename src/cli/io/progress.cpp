#include "io/progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "io/text.hpp"

namespace cltv::cli {
namespace {

std::atomic<bool> progress_off{false};
std::mutex line_mutex;    // one writer of the line at a time
bool line_shown = false;  // under line_mutex

// CLTV_PROGRESS_DELAY seconds, else 2.
std::chrono::milliseconds first_delay() {
  if (const char* text = std::getenv("CLTV_PROGRESS_DELAY")) {
    char* end = nullptr;
    const double seconds = std::strtod(text, &end);
    if (end != text && seconds >= 0 && seconds < 3600)
      return std::chrono::milliseconds(static_cast<long>(seconds * 1000));
  }
  return std::chrono::seconds(2);
}

void erase_locked() {
  if (!line_shown) return;
  std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
  line_shown = false;
}

}  // namespace

void disable_progress() noexcept {
  progress_off.store(true);
}

void erase_progress_line() {
  const std::lock_guard lock(line_mutex);
  erase_locked();
}

progress::progress(std::string label, std::uint64_t total)
    : label_(std::move(label)), total_(total), start_(std::chrono::steady_clock::now()) {
  if (progress_off.load() || ::isatty(STDERR_FILENO) == 0) return;
  const std::chrono::milliseconds delay = first_delay();
  if (delay.count() == 0) show();  // at once, before the work can end (the tests)
  ticker_ = std::thread([this, delay] {
    std::unique_lock lock(mutex_);
    if (wake_.wait_for(lock, delay, [this] { return stopping_; })) return;
    do show();
    while (!wake_.wait_for(lock, std::chrono::milliseconds(500), [this] { return stopping_; }));
  });
}

progress::~progress() {
  if (!ticker_.joinable()) return;
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  ticker_.join();
  erase_progress_line();
}

void progress::show() {
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start_)
          .count();
  std::string line = "\rcltv: " + label_;
  if (total_ > 0) {
    const auto done = done_.load(std::memory_order_relaxed);
    line += fmt::format(" {} of {} ({:.0f}%)", grouped(static_cast<double>(done), 0),
                        grouped(static_cast<double>(total_), 0),
                        100.0 * static_cast<double>(done) / static_cast<double>(total_));
  }
  line += fmt::format(" ... {} s (--quiet hides this)\033[K", seconds);
  const std::lock_guard lock(line_mutex);
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
  line_shown = true;
}

}  // namespace cltv::cli
