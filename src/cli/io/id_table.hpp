#pragma once
// Customer ids (any text) → dense indices 0, 1, 2, … in order of first
// appearance. A flat array of 16-byte slots, linear probing: ids of up to 8
// bytes (numbers, short codes) also live in the slot itself, so a lookup
// touches one cache line; longer ids are compared in the arena, which holds
// every id in index order for output. Nothing is allocated per id.

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "../../detail/huge_pages.hpp"

namespace cltv::cli {

class id_table {
 public:
  /// The hash of an id, computed once per row (see prefetch and intern).
  [[nodiscard]] static std::uint64_t hash(std::string_view s) noexcept {
    std::uint64_t h = 0x9e3779b97f4a7c15ULL ^ (s.size() * 0xff51afd7ed558ccdULL);
    std::size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) h = mix(h ^ load(s.data() + i, 8));
    if (i < s.size()) h = mix(h ^ load(s.data() + i, s.size() - i));
    h ^= h >> 32;
    h *= 0x94d049bb133111ebULL;
    return h ^ (h >> 29);
  }

  /// Starts loading the slot where `h` would be found (hides the cache miss
  /// while other rows are parsed).
  void prefetch(std::uint64_t h) const noexcept {
    if (!slots_.empty()) __builtin_prefetch(&slots_[static_cast<std::size_t>(h) & mask_]);
  }

  /// Ids longer than this are rejected by the callers (as bad rows).
  static constexpr std::size_t max_length = 0xffff;

  /// The index of `id` (whose hash is `h`), adding it when new.
  /// Precondition: id.size() <= max_length.
  std::uint32_t intern(std::string_view id, std::uint64_t h) {
    if ((count() + 1) * 10 > slots_.size() * 7) grow();
    const auto tag = static_cast<std::uint16_t>(h >> 48);
    const bool inline_id = id.size() <= 8;
    const std::uint64_t inline_bytes = inline_id ? load(id.data(), id.size()) : 0;
    std::size_t i = static_cast<std::size_t>(h) & mask_;
    while (true) {
      slot& s = slots_[i];
      if (s.index_plus_one == 0) {
        const auto index = static_cast<std::uint32_t>(count());
        const std::uint64_t payload = inline_id ? inline_bytes : arena_.size();
        starts_.push_back(arena_.size());
        arena_.append(id);
        s = slot{payload, index + 1, static_cast<std::uint16_t>(id.size()), tag};
        return index;
      }
      if (s.tag == tag && matches(s, id, inline_id, inline_bytes)) return s.index_plus_one - 1;
      i = (i + 1) & mask_;
    }
  }

  std::uint32_t intern(std::string_view id) { return intern(id, hash(id)); }

  [[nodiscard]] std::size_t count() const noexcept { return starts_.size(); }

  /// The id with index `index` (< count()); valid until the next intern().
  /// Ids are stored in index order, so a pass over all of them is sequential.
  [[nodiscard]] std::string_view id_at(std::uint32_t index) const noexcept {
    const std::size_t begin = starts_[index];
    const std::size_t end = index + 1 < starts_.size() ? starts_[index + 1] : arena_.size();
    return std::string_view(arena_).substr(begin, end - begin);
  }

 private:
  struct slot {
    std::uint64_t payload = 0;         // the id's bytes (≤ 8 bytes) or its arena offset
    std::uint32_t index_plus_one = 0;  // 0: empty
    std::uint16_t length = 0;
    std::uint16_t tag = 0;  // the hash's top bits, to skip most comparisons
  };

  static std::uint64_t mix(std::uint64_t h) noexcept {
    h *= 0xbf58476d1ce4e5b9ULL;
    return h ^ (h >> 31);
  }

  static std::uint64_t load(const char* p, std::size_t n) noexcept {
    std::uint64_t w = 0;
    std::memcpy(&w, p, n);
    return w;
  }

  [[nodiscard]] std::string_view text_of(const slot& s) const noexcept {
    const std::size_t n = s.length;
    if (n <= 8) return {reinterpret_cast<const char*>(&s.payload), n};
    return std::string_view(arena_).substr(static_cast<std::size_t>(s.payload), n);
  }

  [[nodiscard]] bool matches(const slot& s, std::string_view id, bool inline_id,
                             std::uint64_t inline_bytes) const noexcept {
    if (inline_id) return s.length == id.size() && s.payload == inline_bytes;
    return s.length == id.size() &&
           std::memcmp(arena_.data() + s.payload, id.data(), id.size()) == 0;
  }

  void grow() {
    std::vector<slot, detail::huge_page_allocator<slot>> bigger(slots_.empty() ? 1024
                                                                               : slots_.size() * 2);
    const std::size_t mask = bigger.size() - 1;
    for (const slot& s : slots_) {
      if (s.index_plus_one == 0) continue;
      std::size_t i = static_cast<std::size_t>(hash(text_of(s))) & mask;
      while (bigger[i].index_plus_one != 0) i = (i + 1) & mask;
      bigger[i] = s;
    }
    slots_.swap(bigger);
    mask_ = mask;
  }

  std::vector<slot, detail::huge_page_allocator<slot>> slots_;
  std::size_t mask_ = 0;
  std::string arena_;
  std::vector<std::size_t> starts_;  // index → offset of its id in arena_
};

}  // namespace cltv::cli
