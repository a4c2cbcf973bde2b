#include "io/output.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace cltv::cli {

void output::fail(int errnum) {
  if (errnum == EPIPE) {
    pipe_closed_ = true;
  } else if (!failure_) {
    failure_ = std::string("cannot write output: ") + std::strerror(errnum);
  }
  buffer_.clear();
}

void output::write_all(std::string_view text) {
  const char* p = text.data();
  std::size_t left = text.size();
  while (left > 0 && !stopped()) {
    const ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail(errno);
      return;
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

void output::write_through(std::string_view text) {
  flush();
  if (!stopped()) write_all(text);
}

void output::flush() {
  if (fd_ < 0) return;  // in memory
  if (!stopped()) write_all(buffer_);
  buffer_.clear();
}

void output::finish() {
  if (finished_ || fd_ < 0) return;
  finished_ = true;
  flush();
  if (!stopped() && ::close(fd_) != 0 && errno != EINTR) fail(errno);
}

}  // namespace cltv::cli
