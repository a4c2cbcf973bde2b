#pragma once
// The input of the purchase-count models (BG/NBD): one (frequency, recency,
// T) row per customer, checked and compressed to distinct rows with counts.
// The likelihood depends on a customer only through (x, t_x, T), so a fit
// loops over distinct tuples, not customers.
//
// Shared names (used by the other models too): rfm_tuple, compress_rfm,
// check_rfm_tuple here; parameter_estimate, estimate_from_log and fit_report
// in cltv/models/fit.hpp.

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

/// Checks one row as lifetimes checks its input: x a non-negative integer,
/// 0 ≤ t_x ≤ T, t_x = 0 when x = 0, T ≥ 0 (T = 0: a customer first seen at the
/// end of observation, as weekly summaries have; no information, no harm), all finite, count a positive
/// finite number. The error's field is "frequency", "recency", "T" or
/// "count" and its message names the offending values; `row` (counting
/// from 1) is quoted in it when non-zero.
[[nodiscard]] result<rfm_tuple> check_rfm_tuple(const rfm_tuple& row, std::size_t row_number = 0);

/// Checks every row, then merges equal (x, t_x, T) rows, summing their
/// counts. The result is sorted by (x, t_x, T). Fails on the first bad row,
/// or when there are no rows.
///
/// Example:
///   std::vector<cltv::models::rfm_tuple> rows{{2, 30.43, 38.86}, {0, 0, 38.86}, {0, 0, 38.86}};
///   auto tuples = cltv::models::compress_rfm(rows);  // {0, 0, 38.86, 2}, {2, 30.43, 38.86, 1}
[[nodiscard]] result<std::vector<rfm_tuple>> compress_rfm(std::span<const rfm_tuple> rows);

}  // namespace cltv::models
