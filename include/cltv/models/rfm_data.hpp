#pragma once
// The input of the purchase-count models (BG/NBD): one (frequency, recency,
// T) row per customer, checked and compressed to distinct rows with counts.
// The likelihood depends on a customer only through (x, t_x, T), so a fit
// loops over distinct tuples, not customers.
//
// Shared names (used by the other models too): rfm_tuple, compress_rfm,
// rfm_compressor, check_rfm_tuple here; parameter_estimate, estimate_from_log
// and fit_report in cltv/models/fit.hpp.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "cltv/error.hpp"

namespace cltv::models {

/// One customer (count = 1), or `count` customers with the same summary.
/// Times are in any one unit (weeks, days), the same for every row.
struct rfm_tuple {
  double x = 0;    // frequency: repeat purchases (a non-negative integer)
  double t_x = 0;  // recency: time of the last purchase since the first
  double T = 0;    // age: time from the first purchase to the end of observation
  double count = 1;
};

/// A customer's number of repeat purchases: a whole number ≥ 0 (below 2^53,
/// where doubles stop being whole numbers one by one); fails naming frequency.
[[nodiscard]] result<double> check_frequency(double frequency);

/// Checks one row as lifetimes checks its input: x a whole number ≥ 0 (check_frequency),
/// 0 ≤ t_x ≤ T, t_x = 0 when x = 0, T ≥ 0 (T = 0: a customer first seen at the
/// end of observation, as weekly summaries have; no information, no harm), all finite, count a
/// positive finite number. The error's field is "frequency", "recency", "T" or "count" and its
/// message names the offending values; `row` (counting from 1) is quoted in it when non-zero.
[[nodiscard]] result<rfm_tuple> check_rfm_tuple(const rfm_tuple& row, std::size_t row_number = 0);

/// Checks the customers a pre-aggregated summary row stands for: a whole
/// number from 1 to 1e9 ("count must be a whole number from 1 to 1e9, got
/// 2.5"). Field "count".
[[nodiscard]] result<double> check_customer_count(double count);

/// Checks every row, then merges equal (x, t_x, T) rows, summing their
/// counts. The result is sorted by (x, t_x, T). Fails on the first bad row,
/// or when there are no rows.
///
/// Example:
///   std::vector<cltv::models::rfm_tuple> rows{{2, 30.43, 38.86}, {0, 0, 38.86}, {0, 0, 38.86}};
///   auto tuples = cltv::models::compress_rfm(rows);  // {0, 0, 38.86, 2}, {2, 30.43, 38.86, 1}
[[nodiscard]] result<std::vector<rfm_tuple>> compress_rfm(std::span<const rfm_tuple> rows);

/// Whether the rows are already as compress_rfm() returns them (valid,
/// distinct, sorted, no −0): then they can be used as they are.
[[nodiscard]] bool is_compressed(std::span<const rfm_tuple> rows);

/// The largest age T among the rows (0 for none): the unit in which a
/// penalised fit measures rates of time (fit_penalty).
[[nodiscard]] double longest_age(std::span<const rfm_tuple> rows) noexcept;

/// compress_rfm() one row at a time, for input read as a stream: memory grows
/// with the distinct (x, t_x, T) tuples, never with the rows, so a summary of
/// any length is merged in one pass without holding its rows.
///
/// Whole-number times (days, weeks: what a log summary holds) below 2^22 and
/// frequencies below 2^20 are kept as one 64-bit key, whose order is the
/// (x, t_x, T) order, and customers without repeat purchases (most of a
/// typical summary) with T below 2^16 are counted in an array indexed by T;
/// any other row switches the compressor to keeping whole tuples (the rows
/// merged so far move over).
///
/// Example:
///   cltv::models::rfm_compressor merged;
///   for (const auto& row : rows)
///     if (auto e = merged.add(row, ++row_number)) return *e;
///   std::vector<cltv::models::rfm_tuple> tuples = merged.take();  // as compress_rfm's
class rfm_compressor {
 public:
  /// Checks the row (as check_rfm_tuple, quoting `row_number` when non-zero)
  /// and merges it; the error, and nothing merged, for a bad row.
  [[nodiscard]] std::optional<error> add(const rfm_tuple& row, std::size_t row_number = 0);

  /// The fast path for one customer (count 1) given as whole numbers: merges
  /// it and returns true when it is a valid row that fits the 64-bit key
  /// (t_x <= T, t_x = 0 when x = 0); false, with nothing merged, otherwise
  /// (then add() checks it and names what is wrong).
  [[nodiscard]] bool add_whole(std::uint64_t x, std::uint64_t t_x, std::uint64_t T) {
    if (x >= (std::uint64_t{1} << x_bits) || T >= (std::uint64_t{1} << time_bits) || t_x > T ||
        (x == 0 && t_x != 0) || !packed_mode_)
      return false;
    ++rows_;
    if (x == 0 && T < max_direct_T) {  // most customers: counted by T, no sorting
      if (T >= no_repeat_.size()) grow_no_repeat(T);
      no_repeat_[T] += 1;
      return true;
    }
    add_key((x << (2 * time_bits)) | (t_x << time_bits) | T, 1);
    return true;
  }

  /// Rows merged so far.
  [[nodiscard]] std::uint64_t rows() const noexcept { return rows_; }

  /// The distinct tuples with their summed counts, sorted by (x, t_x, T);
  /// leaves the compressor empty.
  [[nodiscard]] std::vector<rfm_tuple> take();

 private:
  static constexpr unsigned x_bits = 20;
  static constexpr unsigned time_bits = 22;
  static constexpr std::size_t block = 16;              // rows hashed and prefetched together
  static constexpr std::uint64_t max_direct_T = 65536;  // customers without repeats: by T below

  struct packed_slot {
    std::uint64_t key;
    double count;
  };

  // Keys wait in arrival order, up to a batch, then are sorted and merged
  // into the sorted distinct keys so far: sequential passes over memory,
  // where a hash table costs a cache miss (and, growing, page faults) a row.
  void add_key(std::uint64_t key, double count) {
    if (batch_.size() == batch_limit_) merge_batch();
    batch_.push_back({key, count});
  }
  void merge_batch();
  void flush_tuples();
  void insert_tuple(const rfm_tuple& t, std::size_t slot) noexcept;
  void switch_to_tuples();
  void grow_no_repeat(std::uint64_t T);
  static std::span<packed_slot> radix_sort(std::span<packed_slot> slots,
                                           std::span<packed_slot> buffer);

  bool packed_mode_ = true;
  std::uint64_t rows_ = 0;
  std::size_t distinct_ = 0;  // tuples mode: entries in tuples_
  std::size_t pending_ = 0;   // tuples mode: rows in pending_tuples_
  std::array<rfm_tuple, block> pending_tuples_{};
  std::vector<double> no_repeat_;    // customers with x = 0 (so t_x = 0) by T (keys mode)
  std::vector<packed_slot> batch_;   // keys mode: keys not yet merged, in arrival order
  std::size_t batch_limit_ = 0;      // set at the first merge
  std::vector<packed_slot> sorted_;  // keys mode: distinct keys merged so far, ascending
  std::vector<packed_slot> spare_;   // the radix sort's buffer, then the next sorted_
  // Tuples mode: open addressing, at most half full (count 0: empty).
  std::vector<rfm_tuple> tuples_;
};

}  // namespace cltv::models
