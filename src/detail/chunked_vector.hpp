#pragma once
// A growable array of per-customer state in 2 MiB blocks (one huge page
// each): growing never copies or re-zeroes what is already there, and random
// access stays TLB-friendly. Elements never move, so references stay valid.

#include <cstddef>
#include <memory>
#include <vector>

#include "huge_pages.hpp"

namespace cltv::detail {

template <class T>
class chunked_vector {
 public:
  static constexpr std::size_t per_block = huge_page_allocator<T>::huge_page / sizeof(T) > 0
                                               ? huge_page_allocator<T>::huge_page / sizeof(T)
                                               : 1;

  chunked_vector() = default;
  chunked_vector(const chunked_vector&) = delete;
  chunked_vector& operator=(const chunked_vector&) = delete;
  chunked_vector(chunked_vector&&) noexcept = default;
  chunked_vector& operator=(chunked_vector&&) noexcept = default;
  ~chunked_vector() {
    huge_page_allocator<T> alloc;
    for (T* block : blocks_) {
      std::destroy_n(block, per_block);
      alloc.deallocate(block, per_block);
    }
  }

  [[nodiscard]] std::size_t size() const noexcept { return size_; }

  /// Grows to at least `n` elements, value-initialising the new ones.
  void grow_to(std::size_t n) {
    huge_page_allocator<T> alloc;
    while (blocks_.size() * per_block < n) {
      T* block = alloc.allocate(per_block);
      std::uninitialized_value_construct_n(block, per_block);
      blocks_.push_back(block);
    }
    if (n > size_) size_ = n;
  }

  T& operator[](std::size_t i) noexcept { return blocks_[i / per_block][i % per_block]; }
  const T& operator[](std::size_t i) const noexcept {
    return blocks_[i / per_block][i % per_block];
  }

 private:
  std::vector<T*> blocks_;
  std::size_t size_ = 0;
};

}  // namespace cltv::detail
