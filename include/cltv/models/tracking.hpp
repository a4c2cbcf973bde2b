#pragma once
// Tracking a fitted purchase model against a whole log, period by period:
// the repeat purchases the customer base made and those the model expects,
// incremental and cumulative — lifetimes' expected_cumulative_transactions
// and the tracking plots of Fader, Hardie & Lee (2005, figure 2). Each
// customer enters at the start of her first-purchase period and is expected
// to make E[X(t)] repeat purchases in her first t time units (the
// unconditional expectation: the model is judged on the base as a whole).

#include <cstdint>
#include <span>
#include <vector>

#include "cltv/error.hpp"
#include "cltv/models/purchase_model.hpp"

namespace cltv::models {

/// One period of the log: customers whose first purchase falls in it and
/// repeat purchases made in it (cltv/rfm.hpp's period_activity).
struct period_purchases {
  std::uint64_t first_purchases = 0;
  std::uint64_t repeat_purchases = 0;
};

/// Actual and expected repeat purchases by the end of each period.
struct tracking_period {
  double actual = 0;  ///< repeat purchases in the period
  double expected = 0;
  double actual_cumulative = 0;  ///< from the first period to this one's end
  double expected_cumulative = 0;
};

/// The tracking of consecutive periods, each `period_length` time units of
/// the model long (a week of a model in days: 7). Element k is period k: by
/// its end, a customer who entered in period j ≤ k has an age of k − j + 1
/// periods (of a discrete-time model, BG/BB: k − j opportunities). O(periods²) multiply-adds over
/// one E[X(t)] per age.
///
/// Example:
///   auto rows = track_repeat_purchases(model, periods, 1);  // weekly model, weekly periods
///   double gap = rows->back().actual_cumulative - rows->back().expected_cumulative;
[[nodiscard]] result<std::vector<tracking_period>> track_repeat_purchases(
    const purchase_model& model, std::span<const period_purchases> periods, double period_length);

}  // namespace cltv::models
