#include "io/whole_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "io/output.hpp"

namespace cltv::cli {

namespace {

error cannot_write(const std::string& path, int errnum) {
  return error{"output", "cannot write \"" + path + "\": " + std::strerror(errnum)};
}

// Every byte of `contents` to `fd`, retrying short writes; 0 or an errno.
int write_all(int fd, std::string_view contents) {
  while (!contents.empty()) {
    const ssize_t n = ::write(fd, contents.data(), contents.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    contents.remove_prefix(static_cast<std::size_t>(n));
  }
  return 0;
}

}  // namespace

std::optional<error> write_whole_file(const std::string& path, std::string_view contents) {
  if (path == "-") {
    output out(STDOUT_FILENO);
    out.write(contents);
    out.finish();
    if (out.failure()) return error{"output", *out.failure()};
    return std::nullopt;
  }
  const std::size_t slash = path.rfind('/');
  const std::string directory =
      slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
  const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  if (name.empty()) return error{"output", "cannot write \"" + path + "\": it names a directory"};
  std::string temporary = directory + "." + name + ".XXXXXX";
  std::vector<char> buffer(temporary.begin(), temporary.end());
  buffer.push_back('\0');
  const int fd = ::mkstemp(buffer.data());
  if (fd < 0) return cannot_write(path, errno);
  temporary.assign(buffer.data());
  int failure = write_all(fd, contents);
  // A new file gets the usual mode (mkstemp makes it 0600).
  const mode_t mask = ::umask(0);
  ::umask(mask);
  if (failure == 0 && ::fchmod(fd, 0666 & ~mask) != 0) failure = errno;
  if (failure == 0 && ::fsync(fd) != 0) failure = errno;
  if (::close(fd) != 0 && failure == 0) failure = errno;
  if (failure == 0 && std::rename(temporary.c_str(), path.c_str()) != 0) failure = errno;
  if (failure != 0) {
    ::unlink(temporary.c_str());
    return cannot_write(path, failure);
  }
  return std::nullopt;
}

}  // namespace cltv::cli
