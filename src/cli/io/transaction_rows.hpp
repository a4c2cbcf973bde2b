#pragma once
// The fast way through a transaction log's rows: the customer id, the date
// and the amount of a row are found and read in one pass over its bytes,
// instead of the general reader (table_reader) splitting every field, the
// row checks (check_customer_id, table_input::date, parse_decimal_amount)
// taking each apart again and the results going through `result`. It reads
// the common rows only: unquoted, a printable-ASCII id, a YYYY-MM-DD date,
// a plain decimal amount. Any other row, good or bad, is left to the general
// reader with its line number, which reads it and words its error.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "io/block_scan.hpp"
#include "io/log_input.hpp"
#include "io/table_reader.hpp"

namespace cltv::cli {

class transaction_rows {
 public:
  /// The layout of `in`'s rows as read for `cols`, or nullopt when they are
  /// not read this way: NDJSON, blank-separated fields, a --date-format, a
  /// column not in the input, or two columns at one position.
  [[nodiscard]] static std::optional<transaction_rows> of(const table_input& in,
                                                          const transaction_columns& cols);

  /// Where a scan stopped (block_stop).
  using stop = block_stop;

  /// Reads the rows of `block` (whole rows, table_reader::next_block) from
  /// its start, skipping empty lines as the general reader does, and appends
  /// each to `out` as detail::parse_rows would: the same id, hash, day,
  /// amount and line. Stops before the first row it does not read
  /// (scan_block_rows).
  [[nodiscard]] stop scan(row_block& block, detail::parsed_rows& out) const;

 private:
  enum class role : std::uint8_t { skip, id, date, amount };

  transaction_rows(char delimiter, bool allow_refunds)
      : delimiter_(delimiter), allow_refunds_(allow_refunds) {}

  // The row at `p` (not an empty line) appended to `out`: its line break, or
  // nullptr when the row is not read here (`out` unchanged).
  const char* read_row(const char* p, const char* end, std::uint64_t line,
                       detail::parsed_rows& out) const;
  // The field at `p` in role `r`, its end searched for, read into `id` or
  // `t`: the byte after it (a delimiter or the line break), or nullptr when
  // the field is not read here.
  const char* read_field(role r, const char* p, const char* end, std::string_view& id,
                         transaction& t) const;

  char delimiter_;
  bool allow_refunds_;
  std::vector<role> roles_;  // by field position, up to the last one read
};

}  // namespace cltv::cli
