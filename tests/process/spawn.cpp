#include "spawn.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <stdexcept>

extern char** environ;

namespace cltv_test {
namespace {

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string(what) + ": " + std::strerror(errno));
}

}  // namespace

std::string scratch_path(std::string_view name) {
  const std::string dir = CLTV_SCRATCH_DIR;
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) check(false, "mkdir scratch dir");
  return dir + "/" + std::string(name);
}

void write_file(const std::string& path, std::string_view content) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  check(f != nullptr, "fopen");
  const std::size_t n = std::fwrite(content.data(), 1, content.size(), f);
  const bool closed = std::fclose(f) == 0;
  check(n == content.size() && closed, "write scratch file");
}

run_result run_cltv(const run_options& options) {
  const auto start = std::chrono::steady_clock::now();
  int out_pipe[2] = {-1, -1};
  int err_pipe[2] = {-1, -1};
  const bool capture_out = options.stdout_path.empty();
  if (capture_out) check(::pipe2(out_pipe, O_CLOEXEC) == 0, "pipe2");
  check(::pipe2(err_pipe, O_CLOEXEC) == 0, "pipe2");

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, options.stdin_path.c_str(), O_RDONLY, 0);
  if (capture_out)
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  else
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, options.stdout_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);

  std::vector<std::string> argv_storage = options.wrapper;
  argv_storage.emplace_back(CLTV_BINARY);
  argv_storage.insert(argv_storage.end(), options.args.begin(), options.args.end());
  const std::string program = argv_storage.front();
  std::vector<char*> argv;
  for (auto& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);

  pid_t pid = 0;
  const int spawned = ::posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  errno = spawned;
  check(spawned == 0, ("posix_spawn " + program).c_str());
  if (capture_out) ::close(out_pipe[1]);
  ::close(err_pipe[1]);

  run_result r;
  int out_fd = capture_out ? out_pipe[0] : -1;
  int err_fd = err_pipe[0];
  char buf[1 << 16];
  while (out_fd >= 0 || err_fd >= 0) {
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (elapsed > options.timeout_seconds) {
      r.timed_out = true;
      ::kill(pid, SIGKILL);
      break;
    }
    pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
    if (::poll(fds, 2, 100) < 0) {
      if (errno == EINTR) continue;
      check(false, "poll");
    }
    for (int i = 0; i < 2; ++i) {
      int& fd = i == 0 ? out_fd : err_fd;
      if (fd < 0 || fds[i].revents == 0) continue;
      std::size_t want = sizeof buf;
      if (i == 0 && options.close_after_bytes > 0)
        want = std::min(want, options.close_after_bytes - r.out.size());
      const ssize_t n = ::read(fd, buf, want);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        ::close(fd);
        fd = -1;
        continue;
      }
      std::string& to = i == 0 ? r.out : r.err;
      to.append(buf, static_cast<std::size_t>(n));
      if (i == 0) {
        bool enough = options.close_after_bytes > 0 && r.out.size() >= options.close_after_bytes;
        if (options.close_after_line) {
          const std::size_t nl = r.out.find('\n');
          if (nl != std::string::npos) {
            r.out.resize(nl + 1);
            enough = true;
          }
        }
        if (enough) {  // the reader goes away, like head
          ::close(fd);
          fd = -1;
        }
      }
    }
  }
  if (out_fd >= 0) ::close(out_fd);
  if (err_fd >= 0) ::close(err_fd);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) check(errno == EINTR, "waitpid");
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

}  // namespace cltv_test
