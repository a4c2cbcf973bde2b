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

void output::flush() {
  if (stopped()) {
    buffer_.clear();
    return;
  }
  const char* p = buffer_.data();
  std::size_t left = buffer_.size();
  while (left > 0) {
    const ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail(errno);
      return;
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  buffer_.clear();
}

void output::finish() {
  if (finished_) return;
  finished_ = true;
  flush();
  if (!stopped() && ::close(fd_) != 0 && errno != EINTR) fail(errno);
}

}  // namespace cltv::cli
