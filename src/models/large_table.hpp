#pragma once
// A table of n entries, all `empty`, for random access: the compressors' hash
// tables. From 4 MB up, its memory is asked to be backed by 2 MB pages
// (Linux: madvise MADV_HUGEPAGE, which transparent huge pages set to
// "madvise", Debian's default, wait for). Filled in 4 KB pages, a table costs
// a page fault per 4 KB and a TLB miss per probe: on a 300 k-customer fit
// (virtual machine) a third of the whole process. Internal to the library
// (not installed).

#include <cstddef>
#include <cstdint>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace cltv::models::detail {

template <class T>
[[nodiscard]] std::vector<T> large_table(std::size_t n, const T& empty) {
  std::vector<T> table;
  table.reserve(n);  // allocated, not yet touched
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  constexpr std::size_t huge_page = std::size_t{2} << 20;
  const std::size_t bytes = n * sizeof(T);
  if (bytes >= 2 * huge_page) {
    // The whole 2 MB pages inside the allocation (a hint: failure changes nothing).
    char* const begin = reinterpret_cast<char*>(table.data());
    const auto at = reinterpret_cast<std::uintptr_t>(begin);
    const std::size_t skip = (huge_page - at % huge_page) % huge_page;
    if (bytes >= skip + huge_page)
      (void)madvise(begin + skip, (bytes - skip) / huge_page * huge_page, MADV_HUGEPAGE);
  }
#endif
  table.assign(n, empty);
  return table;
}

}  // namespace cltv::models::detail
