#pragma once
// How well a fitted BG/NBD model predicts a holdout period: the model is
// fitted on the purchases up to a calibration end, then each customer's
// expected purchases over the holdout are compared with what they did
// (Fader, Hardie & Lee 2005, section 4: the conditional-expectation check).

#include <cstdint>
#include <span>
#include <vector>

#include "cltv/error.hpp"
#include "cltv/models/bgnbd.hpp"
#include "cltv/models/pareto_nbd.hpp"
#include "cltv/models/rfm_data.hpp"

namespace cltv::models {

/// One customer: the calibration summary, the purchases made in the holdout
/// and the holdout's length (in the time unit of the summary).
struct holdout_customer {
  rfm_tuple calibration;
  double actual = 0;
  double duration = 0;
};

/// Customers grouped by their calibration frequency x: the mean holdout
/// purchases they made and the model's mean prediction for them.
struct frequency_group {
  int frequency = 0;     ///< x, or the lowest x of the last, open group
  bool or_more = false;  ///< the last group: x ≥ frequency
  std::uint64_t customers = 0;
  double actual_mean = 0;
  double predicted_mean = 0;
};

struct backtest_report {
  std::uint64_t customers = 0;
  double mean_absolute_error = 0;  ///< per customer, in purchases
  double root_mean_squared_error = 0;
  double actual_total = 0;     ///< holdout purchases of all customers
  double predicted_total = 0;  ///< Σ E[Y(duration) | calibration]
  /// x = 0, 1, …, max_frequency − 1 and "max_frequency or more"; empty groups
  /// are kept (customers 0, means 0) so the table has a fixed shape.
  std::vector<frequency_group> by_frequency;
};

/// Predicts each customer's holdout purchases and summarises the errors.
/// `predicted`, when not empty, must hold one element per customer and
/// receives the predictions. Fails on invalid params or rows (naming the
/// customer, counting from 1), a negative or non-finite actual or duration,
/// max_frequency < 1, or no customers.
///
/// Example: auto report = backtest_bgnbd(fit->params, customers);  // FHL 2005: 7+ groups
[[nodiscard]] result<backtest_report> backtest_bgnbd(const bgnbd_params& params,
                                                     std::span<const holdout_customer> customers,
                                                     int max_frequency = 7,
                                                     std::span<double> predicted = {});

/// The same with a Pareto/NBD model.
[[nodiscard]] result<backtest_report> backtest_pareto_nbd(
    const pareto_nbd_params& params, std::span<const holdout_customer> customers,
    int max_frequency = 7, std::span<double> predicted = {});

}  // namespace cltv::models
