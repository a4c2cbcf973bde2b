#pragma once
// The writer of a stream of calc/check outcomes in one output format: each
// record goes to the plain formatting (writers.hpp) or, for a scenario with
// segments, to segment_writers.hpp.

#include <cstddef>
#include <memory>

#include "io/output.hpp"
#include "io/writers.hpp"

namespace cltv::cli {

class result_writer {
 public:
  /// Starts the stream on `out` (CSV: its header).
  result_writer(const writer_options& options, output& out);
  void write(const outcome& o);
  /// Ends the stream (closes a batch's JSON array).
  void finish();

 private:
  writer_options options_;
  output& out_;
  std::size_t written_ = 0;        // records: a JSON array's separators
  std::size_t plain_written_ = 0;  // plain results: calc's batch table has its header
};

[[nodiscard]] std::unique_ptr<result_writer> make_writer(const writer_options& options,
                                                         output& out);

}  // namespace cltv::cli
