#pragma once
// Streaming reader of delimited text (CSV, TSV, whitespace-separated): one
// pass, large blocks, memory bounded by the longest row, never by the file.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cltv/error.hpp"

namespace cltv::cli {

/// A run of whole rows cut from a reader's input (table_reader::next_block),
/// to be parsed by a reader of its own (table_reader::over_block), on
/// another thread. The buffer is handed back and forth, not reallocated.
struct row_block {
  std::vector<char> bytes;       ///< the text, then readable padding
  std::size_t size = 0;          ///< bytes of text
  std::uint64_t first_line = 1;  ///< the line the text starts on
  /// The input failed right after the text (a read error, damaged gzip):
  /// a row the text leaves unfinished is this error, as with one reader.
  std::optional<error> broken;
};

struct table_options {
  /// The field separator; '\0' means whitespace: runs of spaces and tabs
  /// separate fields and leading/trailing blanks are ignored (no quoting).
  char delimiter = ',';
};

/// Reads rows of RFC 4180 text: fields may be quoted ("a, b" and "say ""hi"""),
/// quoted fields may hold delimiters and line breaks; lines end in LF or CRLF;
/// a UTF-8 BOM at the start is skipped; the last line may lack a newline;
/// empty lines (nothing but a line break, or only blanks in whitespace mode)
/// are skipped. gzip input (magic 1f 8b) is decompressed transparently.
///
///   auto reader = table_reader::open("log.csv", {});
///   if (!reader) { report(reader.error()); }
///   while (reader->next()) use(reader->fields(), reader->line());
///   if (reader->failure()) report(*reader->failure());
class table_reader {
 public:
  /// `path` "-" is stdin. Fails when the file cannot be opened (the message
  /// names the path and the reason).
  [[nodiscard]] static result<table_reader> open(const std::string& path, table_options options);

  /// Reads the input from `text` instead of a file (tests, fuzzing).
  [[nodiscard]] static table_reader from_string(std::string text, table_options options);
  /// The same over a text shared with its owner, not copied.
  [[nodiscard]] static table_reader from_shared(std::shared_ptr<const std::string> text,
                                                table_options options);

  table_reader(table_reader&&) noexcept;
  table_reader& operator=(table_reader&&) noexcept;
  ~table_reader();

  /// Advances to the next row. False at the end of the input or on an error
  /// (then failure() says which).
  [[nodiscard]] bool next();

  /// The fields of the current row, unquoted; valid until the next call of next().
  [[nodiscard]] std::span<const std::string_view> fields() const noexcept;

  /// The 1-based line number where the current row starts.
  [[nodiscard]] std::uint64_t line() const noexcept;

  /// Bytes consumed so far (of the decompressed text).
  [[nodiscard]] std::uint64_t bytes() const noexcept;

  /// Moves the rest of the input, from the current row on, into `out` as
  /// whole rows: about a block of text (1 MiB; more when one row is
  /// longer), cut after a line break outside quotes: a quoted field may hold
  /// line breaks. The first call skips a BOM when no row was read yet. False,
  /// with `out` empty, at the end of the input. next() is not called after.
  [[nodiscard]] bool next_block(row_block& out);

  /// Reads the rows of `block` (next_block) as this reader would have: same
  /// line numbers, errors and delimiter; `block` is handed back by
  /// take_block().
  [[nodiscard]] static table_reader over_block(row_block&& block, table_options options);
  /// The block's buffer, for the next next_block().
  [[nodiscard]] row_block take_block() &&;

  /// Why reading stopped early: a read error, a quote left open at the end of
  /// the input ("line 7: unterminated quoted field"), a damaged gzip stream.
  [[nodiscard]] const std::optional<error>& failure() const noexcept;

 private:
  struct state;
  explicit table_reader(std::unique_ptr<state> s);
  std::unique_ptr<state> s_;
};

}  // namespace cltv::cli
