#pragma once
// The input of a harness that reads files: an in-memory file (memfd),
// rewritten for each input and opened by path, so that the reader opens it
// as it opens any file.

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <string>
#include <string_view>

#include "check.hpp"

namespace cltv::fuzz {

/// "/proc/self/fd/N" of this process's one memory file.
inline const std::string& input_path() {
  static const std::string path = [] {
    const int fd = ::memfd_create("cltv-fuzz-input", MFD_CLOEXEC);
    CLTV_FUZZ_CHECK(fd >= 0);
    return "/proc/self/fd/" + std::to_string(fd);
  }();
  return path;
}

/// Makes `bytes` the whole content of the memory file.
inline void write_input(std::string_view bytes) {
  const int fd = std::stoi(input_path().substr(std::string_view("/proc/self/fd/").size()));
  CLTV_FUZZ_CHECK(::ftruncate(fd, 0) == 0);
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n =
        ::pwrite(fd, bytes.data() + done, bytes.size() - done, static_cast<off_t>(done));
    CLTV_FUZZ_CHECK(n > 0);
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace cltv::fuzz
