#pragma once
// An open-addressing hash set of 64-bit keys: the distinct (customer, period)
// pairs of a transaction log. One flat array, linear probing, no per-key
// allocation: 8 bytes per slot at most 70 % full.

#include <cstdint>
#include <vector>

#include "huge_pages.hpp"

namespace cltv::detail {

class u64_set {
 public:
  /// The one value that cannot be stored (marks empty slots).
  static constexpr std::uint64_t empty_key = ~std::uint64_t{0};

  /// Inserts `key` (≠ empty_key); true when it was not there yet.
  bool insert(std::uint64_t key) {
    if ((size_ + 1) * 10 > slots_.size() * 7) grow();
    return insert_new_slot(key);
  }

  [[nodiscard]] std::size_t size() const noexcept { return size_; }

  /// Starts loading the slot where `key` would go.
  void prefetch(std::uint64_t key) const noexcept {
    if (!slots_.empty()) __builtin_prefetch(&slots_[static_cast<std::size_t>(mix(key)) & mask_]);
  }

  /// Calls f(key) for every key, in no particular order.
  template <class F>
  void for_each(F&& f) const {
    for (const std::uint64_t key : slots_)
      if (key != empty_key) f(key);
  }

 private:
  static std::uint64_t mix(std::uint64_t k) noexcept {  // murmur3's finaliser
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
  }

  bool insert_new_slot(std::uint64_t key) {
    std::size_t i = static_cast<std::size_t>(mix(key)) & mask_;
    while (true) {
      const std::uint64_t here = slots_[i];
      if (here == key) return false;
      if (here == empty_key) {
        slots_[i] = key;
        ++size_;
        return true;
      }
      i = (i + 1) & mask_;
    }
  }

  void grow() {
    std::vector<std::uint64_t, huge_page_allocator<std::uint64_t>> old(
        slots_.empty() ? 1024 : slots_.size() * 2, empty_key);
    old.swap(slots_);
    mask_ = slots_.size() - 1;
    size_ = 0;
    for (const std::uint64_t key : old)
      if (key != empty_key) insert_new_slot(key);
  }

  std::vector<std::uint64_t, huge_page_allocator<std::uint64_t>> slots_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

}  // namespace cltv::detail
