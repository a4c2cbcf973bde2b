#pragma once
// Rows of an NDJSON (JSON Lines) transaction log: one JSON object per line,
// read in one pass with memory bounded by the longest line. Only the keys
// asked for are extracted, each as text, so that the same row checks serve
// CSV and NDJSON (a number keeps its raw text: 12.5 and "12.50" both read).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cltv/error.hpp"

namespace cltv::cli {

/// Reads NDJSON: each non-blank line one JSON object. Lines end in LF or
/// CRLF, a UTF-8 BOM at the start is skipped, the last line may lack a line
/// break, blank lines are skipped (and counted for line numbers); gzip input
/// (a file, or stdin) is decompressed transparently.
///
/// For each key asked for, a line's value is:
///   - a string: its text, unescaped ("caf\u00e9" → café);
///   - a number: its JSON text as written (12.50 → "12.50");
///   - null, or the key absent: missing (value() is nullopt);
///   - an object, an array or a boolean: the line is a bad row.
/// Other keys are ignored, whatever their values. A key asked for that
/// appears twice in one object makes the line a bad row (which value was
/// meant is unknowable; JSON parsers disagree). A line that is not a JSON
/// object, or is not valid JSON, is a bad row too: next() still returns it,
/// with row_error() saying why, so that the caller counts or reports it.
///
///   auto rows = ndjson_rows::open("log.ndjson", {"customer_id", "date"});
///   if (!rows) { report(rows.error()); }
///   while (rows->next()) {
///     if (rows->row_error()) { bad(rows->line(), *rows->row_error()); continue; }
///     use(rows->value(0), rows->value(1));
///   }
///   if (rows->failure()) report(*rows->failure());
class ndjson_rows {
 public:
  /// `path` "-" is stdin; `keys` must be distinct. Fails when the file cannot
  /// be opened (the message names the path and the reason).
  [[nodiscard]] static result<ndjson_rows> open(const std::string& path,
                                                std::vector<std::string> keys);

  /// Reads the input from `text` instead of a file, handing it over `block`
  /// bytes at a time (0: all at once) so that tests can make lines straddle
  /// the reads.
  [[nodiscard]] static ndjson_rows from_string(std::string text, std::vector<std::string> keys,
                                               std::size_t block = 0);

  ndjson_rows(ndjson_rows&&) noexcept;
  ndjson_rows& operator=(ndjson_rows&&) noexcept;
  ~ndjson_rows();

  /// Advances to the next non-blank line: a row, or a bad row (row_error()).
  /// False at the end of the input or on a read error (failure()).
  [[nodiscard]] bool next();

  /// Why the current line is not a row (no line number: see line()).
  [[nodiscard]] const std::optional<error>& row_error() const noexcept;

  /// The value of keys[key] in the current row; nullopt when absent or null.
  /// Valid until the next call of next().
  [[nodiscard]] std::optional<std::string_view> value(std::size_t key) const noexcept;

  /// keys[key], as given to open().
  [[nodiscard]] const std::string& key(std::size_t key) const noexcept;

  /// Whether keys[key] is present with the value null (for messages).
  [[nodiscard]] bool is_null(std::size_t key) const noexcept;

  /// The 1-based line number of the current row.
  [[nodiscard]] std::uint64_t line() const noexcept;

  /// Bytes consumed so far (of the decompressed text).
  [[nodiscard]] std::uint64_t bytes() const noexcept;

  /// Why reading stopped early: a read error or damaged gzip data.
  [[nodiscard]] const std::optional<error>& failure() const noexcept;

 private:
  struct state;
  explicit ndjson_rows(std::unique_ptr<state> s);
  std::unique_ptr<state> s_;
};

}  // namespace cltv::cli
