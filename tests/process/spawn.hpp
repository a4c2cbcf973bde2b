#pragma once
// Runs the real cltv binary as a child process, for the tests that need a
// process boundary: closed pipes, a full disk, whole NDJSON streams.
//
// The binary's path comes from the build (CLTV_BINARY, $<TARGET_FILE:cltv_app>),
// scratch files go under CLTV_SCRATCH_DIR (in the build tree).

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cltv_test {

struct run_options {
  std::vector<std::string> args;
  std::string stdin_path = "/dev/null";
  /// Non-empty: stdout goes to this file (e.g. /dev/full) instead of a pipe.
  std::string stdout_path;
  /// Like `| head -c N`: read N bytes of stdout, then close the pipe (0: read all).
  std::size_t close_after_bytes = 0;
  /// Like `| head -1`: read up to the first newline, then close the pipe.
  bool close_after_line = false;
  double timeout_seconds = 30;
  /// Non-empty: run cltv through this program and its arguments, e.g.
  /// {"/usr/bin/prlimit", "--as=134217728", "--"} to cap only the child's
  /// memory (a limit set in this process would cap the test itself).
  std::vector<std::string> wrapper;
};

struct run_result {
  int exit_code = -1;  ///< -1 when killed by a signal
  int signal = 0;      ///< the signal that ended the process, if any
  std::string out;     ///< what was read of stdout
  std::string err;
  double seconds = 0;
  bool timed_out = false;
};

/// Options that run `cltv <args…>` with stdout captured whole.
inline run_options command(std::vector<std::string> args) {
  run_options o;
  o.args = std::move(args);
  return o;
}

/// Runs cltv with `options`; never throws for a failing child.
run_result run_cltv(const run_options& options);

/// A path under the scratch directory (created on first use).
std::string scratch_path(std::string_view name);

/// Writes `content` to `path` (binary), replacing it.
void write_file(const std::string& path, std::string_view content);

}  // namespace cltv_test
