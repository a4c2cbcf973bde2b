#pragma once
// Buffered writing to a file descriptor, with every write error checked.
// A closed pipe (`cltv … | head -1`) is not an error: output just stops.

#include <optional>
#include <string>
#include <string_view>

namespace cltv::cli {

class output {
 public:
  explicit output(int fd) : fd_(fd) { buffer_.reserve(flush_threshold * 2); }
  /// Output kept in memory: nothing is written, buffer() holds the text (a
  /// worker thread's share of a batch, written out in order by another output).
  output() = default;
  output(const output&) = delete;
  output& operator=(const output&) = delete;

  /// Text is appended here; call maybe_flush() after each record.
  std::string& buffer() noexcept { return buffer_; }
  void write(std::string_view text) {
    if (text.size() >= flush_threshold && fd_ >= 0) {
      write_through(text);
      return;
    }
    buffer_ += text;
  }
  void maybe_flush() {
    if (buffer_.size() >= flush_threshold) flush();
  }
  /// Writes out what is buffered. After a failure or a closed pipe, output is
  /// discarded.
  void flush();
  /// Flushes and closes the descriptor, so that errors reported only at close
  /// are seen too.
  void finish();

  /// The reader went away (EPIPE): stop producing output, exit quietly.
  [[nodiscard]] bool pipe_closed() const noexcept { return pipe_closed_; }
  /// A write failed for another reason (disk full, …): one-line message.
  [[nodiscard]] const std::optional<std::string>& failure() const noexcept { return failure_; }
  [[nodiscard]] bool stopped() const noexcept { return pipe_closed_ || failure_.has_value(); }

 private:
  static constexpr std::size_t flush_threshold = std::size_t{1} << 16;
  void fail(int errnum);
  // Flushes, then writes `text` without copying it into the buffer.
  void write_through(std::string_view text);
  void write_all(std::string_view text);

  int fd_ = -1;
  std::string buffer_;
  bool pipe_closed_ = false;
  bool finished_ = false;
  std::optional<std::string> failure_;
};

}  // namespace cltv::cli
