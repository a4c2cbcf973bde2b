#pragma once
// CSV scenarios: a header row naming the JSON keys of a scenario, then one
// scenario per row. Each row becomes the JSON record the scenario parser
// reads, so that a CSV cell and a JSON value are read, checked and refused in
// the same words: a cell is the JSON string of its text ("4%", "0.04",
// "year"), an empty cell leaves the field out, and an "id" that reads as a
// JSON number is echoed as one.
//
// The header is checked once: an unknown, unnamed or repeated column, or a
// "segments" column (a list of segments does not fit in a cell), stops the
// input. A row whose field count differs from the header's is an error
// record of its own.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "cltv/error.hpp"
#include "io/table_reader.hpp"

namespace cltv::cli {

struct record;

/// Why scenarios are not read from a CSV "segments" column (error and --help).
inline constexpr const char* csv_segments_refusal =
    "segments are not supported in CSV scenarios (a list of segments does not fit in a cell): "
    "give them in JSON or with --segment";

class scenario_csv_reader {
 public:
  /// Opens `path` ("-": stdin); fails naming the path when it cannot.
  [[nodiscard]] static result<scenario_csv_reader> open(const std::string& path);
  /// Reads `text` instead of a file (tests, fuzzing); its name is "text".
  [[nodiscard]] static scenario_csv_reader from_string(std::string text);

  /// The next row as a JSON record (the header is read first), or nullopt at
  /// the end or after a fatal error (then fatal() says which).
  std::optional<record> next();

  [[nodiscard]] const std::optional<error>& fatal() const noexcept { return fatal_; }
  [[nodiscard]] const std::string& name() const noexcept { return name_; }

 private:
  scenario_csv_reader(table_reader rows, std::string name);
  bool read_header();
  void set_fatal(std::string message);

  table_reader rows_;
  std::string name_;
  std::vector<std::string> columns_;  // the header's names, as JSON string literals
  std::size_t id_column_;             // columns_.size() when there is none
  std::string json_;                  // the current record, then json_padding bytes
  std::size_t index_ = 0;
  bool started_ = false;
  bool done_ = false;
  std::optional<error> fatal_;
};

}  // namespace cltv::cli
