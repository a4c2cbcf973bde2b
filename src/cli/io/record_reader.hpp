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

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cltv/error.hpp"
#include "io/byte_source.hpp"

namespace cltv::cli {

enum class input_shape { lines, values, array };

struct record {
  std::string_view text;  ///< the record's JSON, with json_padding readable bytes after it
  std::size_t line = 0;   ///< 1-based line the record starts on
  std::size_t index = 0;  ///< 0-based position in the input
};

class record_reader {
 public:
  /// Opens `path` ("-" for stdin). Fails with a one-line message naming the
  /// file when it cannot be opened (byte_source::open).
  static result<record_reader> open(const std::string& path);

  /// The next record, or nullopt at the end of input or after a fatal error
  /// (a read error, or an array whose structure is broken); then fatal() says
  /// which. The returned text stays valid until the next call.
  std::optional<record> next();

  [[nodiscard]] const std::optional<error>& fatal() const noexcept { return fatal_; }
  /// Known after the first call to next().
  [[nodiscard]] input_shape shape() const noexcept { return shape_; }
  [[nodiscard]] const std::string& name() const noexcept { return text_.source.name(); }

 private:
  explicit record_reader(byte_source source);

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
};

}  // namespace cltv::cli
