#pragma once
// Customer ids (any text) → dense indices 0, 1, 2, … in order of first
// appearance. The ids are copied once into one arena; the table is a flat
// array of (index, hash tag) slots, so a lookup touches one cache line in the
// common case and allocates nothing.

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace cltv::cli {

class id_table {
 public:
  /// The index of `id`, adding it when new.
  std::uint32_t intern(std::string_view id) {
    if ((count() + 1) * 10 > slots_.size() * 7) grow();
    const std::uint64_t h = hash(id);
    const auto tag = static_cast<std::uint32_t>(h >> 32);
    std::size_t i = static_cast<std::size_t>(h) & mask_;
    while (true) {
      slot& s = slots_[i];
      if (s.index_plus_one == 0) {
        const auto index = static_cast<std::uint32_t>(count());
        starts_.push_back(arena_.size());
        arena_.append(id);
        s = slot{index + 1, tag};
        return index;
      }
      if (s.tag == tag && id_at(s.index_plus_one - 1) == id) return s.index_plus_one - 1;
      i = (i + 1) & mask_;
    }
  }

  [[nodiscard]] std::size_t count() const noexcept { return starts_.size(); }

  /// The id with index `index` (< count()).
  [[nodiscard]] std::string_view id_at(std::uint32_t index) const noexcept {
    const std::size_t begin = starts_[index];
    const std::size_t end = index + 1 < starts_.size() ? starts_[index + 1] : arena_.size();
    return std::string_view(arena_).substr(begin, end - begin);
  }

 private:
  struct slot {
    std::uint32_t index_plus_one = 0;  // 0: empty
    std::uint32_t tag = 0;             // the hash's high half, to skip most comparisons
  };

  // 8 bytes at a time, multiply-xorshift mixing: fast for short ids.
  static std::uint64_t hash(std::string_view s) noexcept {
    std::uint64_t h = 0x9e3779b97f4a7c15ULL ^ (s.size() * 0xff51afd7ed558ccdULL);
    std::size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
      std::uint64_t w = 0;
      std::memcpy(&w, s.data() + i, 8);
      h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
      h ^= h >> 31;
    }
    if (i < s.size()) {
      std::uint64_t w = 0;
      std::memcpy(&w, s.data() + i, s.size() - i);
      h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
      h ^= h >> 31;
    }
    h *= 0x94d049bb133111ebULL;
    return h ^ (h >> 29);
  }

  void grow() {
    std::vector<slot> bigger(slots_.empty() ? 1024 : slots_.size() * 2);
    const std::size_t mask = bigger.size() - 1;
    for (const slot& s : slots_) {
      if (s.index_plus_one == 0) continue;
      std::size_t i = static_cast<std::size_t>(hash(id_at(s.index_plus_one - 1))) & mask;
      while (bigger[i].index_plus_one != 0) i = (i + 1) & mask;
      bigger[i] = s;
    }
    slots_.swap(bigger);
    mask_ = mask;
  }

  std::vector<slot> slots_;
  std::size_t mask_ = 0;
  std::string arena_;
  std::vector<std::size_t> starts_;
};

}  // namespace cltv::cli
