#pragma once
// Splits a JSON input (file or stdin) into scenario records without parsing
// them, streaming where the shape allows:
//
// - NDJSON (the first record fits on its first line): one record per line,
//   read in one pass with memory bounded by the longest line;
// - an array `[{…}, {…}]`: one record per element (read whole);
// - pretty-printed values `{\n…\n}{\n…\n}`: one record per top-level value
//   (read whole).
//
// Every record carries the line it starts on. Blank lines, CRLF line ends, a
// UTF-8 BOM and a missing final newline are accepted.
//
// A CSV input (scenario_format::csv) gives one record per row, each made
// into a JSON record (see scenario_csv.hpp).

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cltv/error.hpp"
#include "io/byte_source.hpp"

namespace cltv::cli {

enum class input_shape { lines, values, array };

struct record {
  std::string_view text;         ///< the record's JSON, with json_padding readable bytes after it
  std::size_t line = 0;          ///< 1-based line the record starts on
  std::size_t index = 0;         ///< 0-based position in the input
  std::optional<error> failure;  ///< a CSV row refused before its JSON is parsed
};

/// How an input of scenarios is written.
enum class scenario_format {
  json,  ///< NDJSON, a JSON array or JSON values one after another
  csv,   ///< a header of JSON keys, one scenario per row
};

/// The format of the scenarios in `path`: `input_format` ("json", "ndjson",
/// "csv") when given, else csv for a name ending in ".csv" (any case), else json.
[[nodiscard]] scenario_format scenario_format_of(const std::string& path,
                                                 const std::string& input_format);

struct parsed_scenario;
class scenario_parser;
class scenario_csv_reader;

/// Parses `rec` into `out` (scenario_parser::parse), or fails with the error
/// a CSV row was refused with.
bool parse_record(scenario_parser& parser, const record& rec, parsed_scenario& out, error& err);

class record_reader {
 public:
  /// Opens `path` ("-" for stdin) as `format`. Fails with a one-line message
  /// naming the file when it cannot be opened (byte_source::open).
  static result<record_reader> open(const std::string& path,
                                    scenario_format format = scenario_format::json);

  record_reader(record_reader&&) noexcept;
  record_reader& operator=(record_reader&&) noexcept;
  ~record_reader();

  /// The next record, or nullopt at the end of input or after a fatal error
  /// (a read error, or an array whose structure is broken); then fatal() says
  /// which. The returned text stays valid until the next call.
  std::optional<record> next();

  [[nodiscard]] const std::optional<error>& fatal() const noexcept;
  /// Known after the first call to next() (CSV: lines).
  [[nodiscard]] input_shape shape() const noexcept { return shape_; }
  [[nodiscard]] const std::string& name() const noexcept;

 private:
  explicit record_reader(byte_source source);
  explicit record_reader(scenario_csv_reader csv);

  bool fill();      // reads more input; false at end of input or on error
  bool read_all();  // reads the rest of the input into the buffer
  void detect_shape();
  std::optional<record> next_line();
  std::optional<record> next_value();
  std::optional<record> next_element();
  void skip_space();                  // past whitespace, counting lines
  record take_value(bool& complete);  // the JSON value at the window's begin, to its end
  void close_array();                 // past the closing ']': nothing may follow
  void set_fatal(std::string message);

  text_window text_;  // json_padding spare bytes after the text
  bool started_ = false;
  bool done_ = false;
  input_shape shape_ = input_shape::lines;
  std::size_t index_ = 0;
  std::optional<error> fatal_;
  std::unique_ptr<scenario_csv_reader> csv_;  // set for CSV input, which text_ does not read
};

}  // namespace cltv::cli
