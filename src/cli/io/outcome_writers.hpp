#pragma once
// The writers of a stream of calc/check outcomes, one per output format: each
// record goes to the plain formatting (writers.hpp) or, for a scenario with
// segments, to segment_writers.hpp.

#include <memory>

#include "io/output.hpp"
#include "io/writers.hpp"

namespace cltv::cli {

class result_writer {
 public:
  virtual ~result_writer() = default;
  virtual void write(const outcome& o) = 0;
  virtual void finish() {}
};

[[nodiscard]] std::unique_ptr<result_writer> make_writer(const writer_options& options,
                                                         output& out);

}  // namespace cltv::cli
