#pragma once
// The walk over a block's rows shared by the one-pass readers of common rows
// (whole_number_rows, transaction_rows): empty lines skipped as the general
// reader (table_reader) skips them, line numbers counted, and the first row
// a reader does not take left, with its offset and line, to the general one.

#include <cstddef>
#include <cstdint>

#include "io/table_reader.hpp"

namespace cltv::cli {

/// Where a scan stopped: the offset of the first row it did not read (the
/// block's size when it read them all) and that row's line.
struct block_stop {
  std::size_t offset = 0;
  std::uint64_t line = 0;
};

/// Calls `read_row(p, end, line)` for each row of `block` (whole rows,
/// table_reader::next_block) from its start, p the row's first byte (not an
/// empty line), until it returns nullptr; otherwise it returns the row's
/// line break, which every row has: a line break is put after the text
/// during the scan (in the padding; put back after), ending a last row
/// without one as the end of the input does. A block whose input broke
/// after it is not read (offset 0): its last row may be cut short; nor is
/// a block without padding.
template <class ReadRow>
[[nodiscard]] block_stop scan_block_rows(row_block& block, ReadRow&& read_row) {
  block_stop at{0, block.first_line};
  if (block.broken || block.bytes.size() <= block.size) return at;
  char* const base = block.bytes.data();
  const char* const end = base + block.size;
  const char saved = *end;
  base[block.size] = '\n';
  const char* p = base;
  std::uint64_t line = block.first_line;
  while (p < end) {
    if (*p == '\n' || (*p == '\r' && p + 1 < end && p[1] == '\n')) {  // an empty line
      p += *p == '\n' ? 1 : 2;
      ++line;
      continue;
    }
    const char* const after = read_row(p, end, line);
    if (after == nullptr) break;
    p = after == end ? end : after + 1;
    ++line;
  }
  base[block.size] = saved;
  at.offset = static_cast<std::size_t>(p - base);
  at.line = line;
  return at;
}

}  // namespace cltv::cli
