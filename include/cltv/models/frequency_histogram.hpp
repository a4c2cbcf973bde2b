#pragma once
// How many customers made 0, 1, 2, … repeat purchases in the calibration
// period, and how many a fitted purchase model expects: the check of a fit
// that lifetimes draws with plot_period_transactions. lifetimes simulates the
// model's counts; here they are exact: the expected number of customers with
// k repeat purchases is Σ_i P(X(T_i) = k), each customer's age T_i in the
// new-customer distribution of the model (purchase_model.hpp).

#include <span>
#include <vector>

#include "cltv/error.hpp"
#include "cltv/models/purchase_model.hpp"
#include "cltv/models/rfm_data.hpp"

namespace cltv::models {

/// Customers with `repeat_purchases` repeat purchases (or, in the open last
/// bucket, that many or more).
struct frequency_bucket {
  int repeat_purchases = 0;
  bool open = false;    ///< the last bucket: repeat_purchases or more
  double actual = 0;    ///< customers (weighted by rfm_tuple::count)
  double expected = 0;  ///< Σ over customers of P(X(T) = k) (or ≥ k)
};

/// Buckets 0 … open_from − 1, then an open bucket "open_from or more"
/// (open_from 1 … 1000; lifetimes' default chart stops at 7). Customers with
/// the same age share one P(X(T) = ·), so the work grows with the distinct
/// T, not the customers. Actual and expected counts each add up to the
/// customers. Fails on an invalid row (check_rfm_tuple) or open_from, and
/// when the model cannot give the probabilities.
///
/// Example:
///   auto buckets = frequency_histogram(model, rows, 7);  // 0, 1, …, 6, 7+
[[nodiscard]] result<std::vector<frequency_bucket>> frequency_histogram(
    const purchase_model& model, std::span<const rfm_tuple> customers, int open_from = 7);

}  // namespace cltv::models
