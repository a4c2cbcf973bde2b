#include "cltv/models/rfm_data.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cfloat>
#include <cmath>
#include <span>
#include <string>
#include <utility>

#include "cltv/number.hpp"
#include "models/large_table.hpp"

namespace cltv::models {

namespace {

std::string row_suffix(std::size_t row_number) {
  return row_number == 0 ? std::string() : " (row " + std::to_string(row_number) + ")";
}

bool tuple_less(const rfm_tuple& l, const rfm_tuple& r) {
  if (l.x != r.x) return l.x < r.x;
  if (l.t_x != r.t_x) return l.t_x < r.t_x;
  return l.T < r.T;
}

bool same_tuple(const rfm_tuple& l, const rfm_tuple& r) {
  return l.x == r.x && l.t_x == r.t_x && l.T == r.T;
}

// MurmurHash3's finaliser: every input bit reaches the low bits the table
// uses (whole-number doubles have all-zero low mantissa bits; packed keys
// have the frequency in the high bits).
std::uint64_t fmix64(std::uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  return h ^ (h >> 33);
}

// Rows are checked (no NaN) and −0 is made +0 before hashing: equal values
// have equal bits.
std::uint64_t tuple_hash(const rfm_tuple& t) {
  const auto bits = [](double v) { return std::bit_cast<std::uint64_t>(v); };
  return fmix64(bits(t.x) ^ fmix64(bits(t.t_x) ^ fmix64(bits(t.T))));
}

// A table size for `entries` at most half full: a power of two, at least 1024.
std::size_t slots_for(std::size_t entries) {
  return std::bit_ceil(std::max<std::size_t>(1024, 2 * entries));
}

}  // namespace

result<double> check_customer_count(double count) {
  if (!(count >= 1 && count == std::floor(count) && count <= 1e9))
    return error{"count",
                 "count must be a whole number from 1 to 1e9, got " + format_shortest(count)};
  return count;
}

constexpr double max_exact = 9007199254740992.0;  // 2^53

result<double> check_frequency(double frequency) {
  if (!(frequency >= 0 && frequency < max_exact && frequency == std::floor(frequency)))
    return error{"frequency",
                 "frequency must be a whole number ≥ 0, got " + format_shortest(frequency)};
  return frequency;
}

namespace {

// check_rfm_tuple's rules in one test, without floor() (a libm call on plain
// x86-64): NaN fails every comparison; x below 2^53 is whole when it
// survives a round trip through an integer.
bool valid_row(const rfm_tuple& row) noexcept {
  return row.x >= 0 && row.x < max_exact &&
         static_cast<double>(static_cast<std::int64_t>(row.x)) == row.x && row.T >= 0 &&
         row.T <= DBL_MAX && row.t_x >= 0 && row.t_x <= row.T && (row.x != 0 || row.t_x == 0) &&
         row.count > 0 && row.count <= DBL_MAX;
}

}  // namespace

result<rfm_tuple> check_rfm_tuple(const rfm_tuple& row, std::size_t row_number) {
  if (valid_row(row)) return row;
  const auto where = [row_number] { return row_suffix(row_number); };  // only on error
  if (auto x = check_frequency(row.x); !x) return error{"frequency", x.error().message + where()};
  if (!std::isfinite(row.T) || !(row.T >= 0))
    return error{"T", "T must be a non-negative number, got " + format_shortest(row.T) + where()};
  if (!std::isfinite(row.t_x) || row.t_x < 0)
    return error{"recency", "recency must be a non-negative number, got " +
                                format_shortest(row.t_x) + where()};
  if (row.t_x > row.T)
    return error{"recency", "recency must not exceed T, got recency " + format_shortest(row.t_x) +
                                " > T " + format_shortest(row.T) + where()};
  if (row.x == 0 && row.t_x != 0)
    return error{"recency", "recency must be 0 when frequency is 0, got recency " +
                                format_shortest(row.t_x) + where()};
  if (!std::isfinite(row.count) || !(row.count > 0))
    return error{"count",
                 "count must be a positive number, got " + format_shortest(row.count) + where()};
  return row;
}

result<std::vector<rfm_tuple>> compress_rfm(std::span<const rfm_tuple> rows) {
  if (rows.empty()) return error{"input", "there are no customers to fit"};
  // A lambda, not the function pointer, so that std::is_sorted inlines it.
  const auto less = [](const rfm_tuple& l, const rfm_tuple& r) { return tuple_less(l, r); };
  if (std::is_sorted(rows.begin(), rows.end(), less)) {
    // Compressed before (a caller fitting again): check, merge neighbours.
    std::vector<rfm_tuple> out;
    out.reserve(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
      auto checked = check_rfm_tuple(rows[i], i + 1);
      if (!checked) return std::move(checked).error();
      rfm_tuple row = rows[i];
      row.x += 0.0;  // −0 → +0
      row.t_x += 0.0;
      row.T += 0.0;
      if (!out.empty() && same_tuple(out.back(), row))
        out.back().count += row.count;
      else
        out.push_back(row);
    }
    return out;
  }
  rfm_compressor merged;
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (auto e = merged.add(rows[i], i + 1)) return std::move(*e);
  return merged.take();
}

bool is_compressed(std::span<const rfm_tuple> rows) {
  if (rows.empty()) return false;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const rfm_tuple& t = rows[i];
    if (!valid_row(t) || std::signbit(t.x) || std::signbit(t.t_x) || std::signbit(t.T))
      return false;
    if (i > 0 && !tuple_less(rows[i - 1], t)) return false;
  }
  return true;
}

double longest_age(std::span<const rfm_tuple> rows) noexcept {
  double longest = 0;
  for (const rfm_tuple& t : rows) longest = std::max(longest, t.T);
  return longest;
}

// ---------------------------------------------------------------------------
// rfm_compressor. Keys mode: batches of keys radix-sorted and merged
// (merge_batch). Tuples mode: open addressing with the entries in the slots
// (one cache miss a row, not two), at most half full; rows are buffered
// `block` at a time, hashed, and their slots prefetched before any is probed,
// so that the misses of a block overlap. An empty slot has count 0 (a checked
// row's count is positive).

std::optional<error> rfm_compressor::add(const rfm_tuple& row, std::size_t row_number) {
  auto checked = check_rfm_tuple(row, row_number);
  if (!checked) return std::move(checked).error();
  if (packed_mode_) {
    // Checked: non-negative, x whole. Whole below 2^bits ⇔ fits the key.
    const auto fits = [](double v, unsigned bits) {
      return v < static_cast<double>(std::uint64_t{1} << bits) &&
             static_cast<double>(static_cast<std::uint64_t>(v)) == v;
    };
    if (fits(row.x, x_bits) && fits(row.t_x, time_bits) && fits(row.T, time_bits)) {
      ++rows_;
      if (row.x == 0 && row.T < static_cast<double>(max_direct_T)) {
        const auto T = static_cast<std::uint64_t>(row.T);
        if (T >= no_repeat_.size()) grow_no_repeat(T);
        no_repeat_[T] += row.count;
        return std::nullopt;
      }
      add_key((static_cast<std::uint64_t>(row.x) << (2 * time_bits)) |
                  (static_cast<std::uint64_t>(row.t_x) << time_bits) |
                  static_cast<std::uint64_t>(row.T),
              row.count);
      return std::nullopt;
    }
    switch_to_tuples();
  }
  rfm_tuple t = row;
  t.x += 0.0;  // −0 → +0, so that equal values hash alike
  t.t_x += 0.0;
  t.T += 0.0;
  pending_tuples_[pending_++] = t;
  if (pending_ == block) flush_tuples();
  ++rows_;
  return std::nullopt;
}

void rfm_compressor::grow_no_repeat(std::uint64_t T) {
  no_repeat_.resize(
      std::min<std::size_t>(max_direct_T, std::max<std::size_t>(T + 1, 2 * no_repeat_.size())),
      0.0);
}

void rfm_compressor::insert_tuple(const rfm_tuple& t, std::size_t slot) noexcept {
  const std::size_t mask = tuples_.size() - 1;
  while (tuples_[slot].count != 0 && !same_tuple(tuples_[slot], t)) slot = (slot + 1) & mask;
  if (tuples_[slot].count == 0) {
    tuples_[slot] = t;
    ++distinct_;
  } else {
    tuples_[slot].count += t.count;
  }
}

void rfm_compressor::merge_batch() {
  if (!batch_.empty()) {
    spare_.resize(batch_.size());
    const std::span<packed_slot> batch = radix_sort(batch_, spare_);
    // Merged with the keys so far into the other buffer; a key's counts are
    // summed in arrival order (the sort is stable), after its earlier sum.
    std::vector<packed_slot>& next = batch.data() == batch_.data() ? spare_ : batch_;
    next.resize(sorted_.size() + batch.size());
    std::size_t out = 0, old = 0;
    for (std::size_t i = 0; i < batch.size();) {
      const std::uint64_t key = batch[i].key;
      while (old < sorted_.size() && sorted_[old].key < key) next[out++] = sorted_[old++];
      double count = 0;
      if (old < sorted_.size() && sorted_[old].key == key) count = sorted_[old++].count;
      for (; i < batch.size() && batch[i].key == key; ++i) count += batch[i].count;
      next[out++] = {key, count};
    }
    while (old < sorted_.size()) next[out++] = sorted_[old++];
    next.resize(out);
    sorted_.swap(next);
    next.clear();
  }
  batch_.clear();
  // A batch as large as the keys so far: each merge's pass over them is paid
  // for by as many new rows, so the whole stays linear in the rows.
  constexpr std::size_t smallest_batch = std::size_t{1} << 15;
  batch_limit_ = std::max(smallest_batch, sorted_.size());
  batch_.reserve(batch_limit_);
}

void rfm_compressor::flush_tuples() {
  if (2 * (distinct_ + pending_) > tuples_.size()) {
    std::vector<rfm_tuple> old =
        detail::large_table(slots_for(distinct_ + pending_), rfm_tuple{0, 0, 0, 0});
    old.swap(tuples_);
    distinct_ = 0;
    const std::size_t mask = tuples_.size() - 1;
    for (const rfm_tuple& t : old)
      if (t.count != 0) insert_tuple(t, tuple_hash(t) & mask);
  }
  const std::size_t mask = tuples_.size() - 1;
  std::array<std::size_t, block> at{};
  for (std::size_t k = 0; k < pending_; ++k) {
    at[k] = tuple_hash(pending_tuples_[k]) & mask;
    __builtin_prefetch(&tuples_[at[k]]);
  }
  for (std::size_t k = 0; k < pending_; ++k) insert_tuple(pending_tuples_[k], at[k]);
  pending_ = 0;
}

namespace {

rfm_tuple unpack(std::uint64_t key, double count, unsigned time_bits) {
  const std::uint64_t time_mask = (std::uint64_t{1} << time_bits) - 1;
  return {static_cast<double>(key >> (2 * time_bits)),
          static_cast<double>((key >> time_bits) & time_mask), static_cast<double>(key & time_mask),
          count};
}

}  // namespace

// Least-significant-digit radix sort by key, 11 bits a pass; digits all keys
// share (most of them: times below 2^11, few frequencies) are skipped. Linear, where std::sort's
// comparisons cost ~5 % of a whole fit; stable. `buffer` is as long as `slots`; returns the one
// that holds the result.
std::span<rfm_compressor::packed_slot> rfm_compressor::radix_sort(std::span<packed_slot> slots,
                                                                  std::span<packed_slot> buffer) {
  constexpr unsigned digit_bits = 11;
  constexpr std::size_t radix = std::size_t{1} << digit_bits;
  constexpr unsigned digits = (64 + digit_bits - 1) / digit_bits;
  // The digits in which keys differ: the only ones sorted on (one pass finds
  // them, where counting every digit of every key cost as much as a pass).
  std::uint64_t any = 0, all = ~std::uint64_t{0};
  for (const packed_slot& s : slots) {
    any |= s.key;
    all &= s.key;
  }
  const std::uint64_t differ = any & ~all;
  std::array<unsigned, digits> sorted_on{};
  unsigned passes = 0;
  for (unsigned d = 0; d < digits; ++d)
    if (((differ >> (d * digit_bits)) & (radix - 1)) != 0) sorted_on[passes++] = d;
  std::vector<std::size_t> counts(passes * radix, 0);
  for (const packed_slot& s : slots)
    for (unsigned k = 0; k < passes; ++k)
      ++counts[k * radix + ((s.key >> (sorted_on[k] * digit_bits)) & (radix - 1))];
  for (unsigned k = 0; k < passes; ++k) {
    std::size_t* const c = &counts[k * radix];
    const unsigned shift = sorted_on[k] * digit_bits;
    std::size_t offset = 0;
    for (std::size_t b = 0; b < radix; ++b) offset += std::exchange(c[b], offset);
    for (const packed_slot& s : slots) buffer[c[(s.key >> shift) & (radix - 1)]++] = s;
    std::swap(slots, buffer);
  }
  return slots;
}

void rfm_compressor::switch_to_tuples() {
  merge_batch();
  tuples_ = detail::large_table(slots_for(sorted_.size() + block), rfm_tuple{0, 0, 0, 0});
  distinct_ = 0;
  const std::size_t mask = tuples_.size() - 1;
  for (const packed_slot& s : sorted_) {
    const rfm_tuple t = unpack(s.key, s.count, time_bits);
    insert_tuple(t, tuple_hash(t) & mask);
  }
  packed_mode_ = false;
  sorted_ = {};
  batch_ = {};
  spare_ = {};
  for (std::size_t T = 0; T < no_repeat_.size(); ++T)
    if (no_repeat_[T] != 0) {
      pending_tuples_[pending_++] = {0, 0, static_cast<double>(T), no_repeat_[T]};
      if (pending_ == block) flush_tuples();
    }
  no_repeat_ = {};
}

std::vector<rfm_tuple> rfm_compressor::take() {
  std::vector<rfm_tuple> out;
  if (packed_mode_) {
    merge_batch();
    // The direct counts (x = 0, T < max_direct_T) come first: their keys
    // would be their T, below any other key.
    out.reserve(sorted_.size() + no_repeat_.size());
    for (std::size_t T = 0; T < no_repeat_.size(); ++T)
      if (no_repeat_[T] != 0) out.push_back({0, 0, static_cast<double>(T), no_repeat_[T]});
    for (const packed_slot& s : sorted_) out.push_back(unpack(s.key, s.count, time_bits));
  } else {
    flush_tuples();
    out.reserve(distinct_);
    for (const rfm_tuple& t : tuples_)
      if (t.count != 0) out.push_back(t);
    std::sort(out.begin(), out.end(),
              [](const rfm_tuple& l, const rfm_tuple& r) { return tuple_less(l, r); });
  }
  *this = rfm_compressor{};
  return out;
}

}  // namespace cltv::models
