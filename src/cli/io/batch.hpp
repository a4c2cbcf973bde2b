#pragma once
// Running a command over the records of a JSON or CSV input, the way calc,
// check and solve share: one record is a single scenario, two or more (or an
// array, or with --format ndjson|csv) a batch with one output record per
// input record.

#include <cstddef>
#include <memory>
#include <string>

#include "cltv/error.hpp"
#include "io/output.hpp"
#include "io/record_reader.hpp"

namespace cltv::cli {

/// How one record went, as far as the loop over records needs to know.
struct record_status {
  int exit_code = 0;               ///< 0 ok, 1 the answer is no (check, solve), 2 an error
  const error* failure = nullptr;  ///< the record's error, when it has one
  std::size_t line = 0;            ///< the input line the error points at
  /// A note for the end of the run (the label of a record whose period the
  /// flags reinterpret); empty: none. Handed back through remark(), in input order.
  std::string remark;
};

/// A command that evaluates records one at a time and writes each outcome.
class record_command {
 public:
  virtual ~record_command() = default;
  /// Parses and evaluates one record; its outcome is kept until the next call.
  virtual record_status evaluate(const record& rec, bool from_array) = 0;
  /// Opens the writer on `out`: `batch` when the input holds more than one
  /// record, or an array.
  virtual void start(output& out, bool batch) = 0;
  /// Writes the outcome of the record evaluated last.
  virtual void write() = 0;
  /// Ends the output (closes a JSON array).
  virtual void finish() = 0;
  /// Takes a record's remark (record_status::remark), in input order.
  virtual void remark(std::string text) = 0;
  /// An independent copy for a worker thread of a parallel batch, or nullptr
  /// when the output cannot be cut between records (a table, a JSON array).
  /// Its start() output (a CSV header) is dropped; its records' outcomes are
  /// written in input order.
  [[nodiscard]] virtual std::unique_ptr<record_command> fork() const = 0;
};

/// How run_records reads and what it owes.
struct record_run {
  scenario_format input = scenario_format::json;
  /// check, solve: past a closed pipe the records are still read, so that the
  /// exit code answers for all of them.
  bool every_verdict = false;
  /// An explicit --format ndjson or csv: a stream of records even when the
  /// input holds one, so that a bad record is an error record there too.
  bool always_batch = false;
  /// Threads that evaluate and format a batch (--threads); 1: the calling one.
  int threads = 1;
};

/// Runs `command` over the records of `path` ("-": stdin) and returns the
/// exit code. A single record's error is fatal: printed with the file and
/// line, exit 2, no output. In a batch every record is written (an error as an
/// error record); then one line on stderr names a broken input, or counts the
/// invalid records. A closed pipe ends the output (see record_run). With
/// how.threads > 1 and a command that forks, the records after the first are
/// read in chunks that worker threads evaluate and format; the output, the
/// remarks and the messages are those of one thread.
[[nodiscard]] int run_records(const std::string& path, record_command& command,
                              const record_run& how);

/// Flushes and closes `out`: `code`, or 2 after printing a write error.
[[nodiscard]] int finish_output(output& out, int code);

}  // namespace cltv::cli
