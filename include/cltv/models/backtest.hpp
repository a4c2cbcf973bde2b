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
#include "cltv/models/purchase_model.hpp"
#include "cltv/models/rfm_data.hpp"
#include "cltv/rfm.hpp"

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

/// The same with any purchase model (BG/NBD, MBG/NBD or Pareto/NBD).
[[nodiscard]] result<backtest_report> backtest(const purchase_model& model,
                                               std::span<const holdout_customer> customers,
                                               int max_frequency = 7,
                                               std::span<double> predicted = {});

/// The customers of a summary made with a calibration end (cltv/rfm.hpp),
/// as a backtest takes them: each included customer's calibration (x, t_x, T)
/// with their holdout purchases and the holdout's length.
struct holdout_data {
  std::vector<holdout_customer> customers;
  std::vector<std::size_t> index;  ///< customers[k] is the summary's customer index[k]
};

/// The holdout_data of `summary`, in customer order; customers the summary
/// leaves out (first seen in the holdout) are not in it. Fails (field
/// "holdout") when the holdout is empty: no customers, or no time between the
/// calibration end and the observation end once both fall on their periods.
[[nodiscard]] result<holdout_data> holdout_customers(const rfm_summary& summary);

/// Checks a maximum mean absolute error (purchases per customer): a number
/// >= 0 ("max_error must be >= 0, got -1").
[[nodiscard]] result<double> check_max_error(double max_error);

/// Whether the report fails a maximum: its mean absolute error exceeds it.
[[nodiscard]] bool exceeds_max_error(const backtest_report& report, double max_error) noexcept;

}  // namespace cltv::models
