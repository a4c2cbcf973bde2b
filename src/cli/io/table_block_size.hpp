#pragma once
// A test hook of the table reader, apart from table_reader.hpp so that only
// tests and the fuzz harness include it: readers created on this thread while
// a table_block_size lives start with blocks of `bytes` (instead of 1 MiB), so
// that rows straddle blocks at every offset.

#include <cstddef>

namespace cltv::cli {

namespace detail {
/// Defined in table_reader.cpp; 0 restores the default.
void set_table_block_size(std::size_t bytes) noexcept;
}  // namespace detail

class table_block_size {
 public:
  explicit table_block_size(std::size_t bytes) noexcept { detail::set_table_block_size(bytes); }
  table_block_size(const table_block_size&) = delete;
  table_block_size& operator=(const table_block_size&) = delete;
  ~table_block_size() { detail::set_table_block_size(0); }
};

}  // namespace cltv::cli
