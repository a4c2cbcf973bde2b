#pragma once
// Bootstrap intervals of the CLV predictions (CLVTools' uncertainty =
// "boots"): the models are refitted on the customers resampled with
// replacement, many times, and each customer's predictions are made under
// every refit; the percentiles of those predictions bound them.
//
// The intervals describe the uncertainty of the expectation that comes from
// the parameter estimates: where E[purchases], P(alive), E[spend] and the CLV
// would lie had the same kind of data been drawn again. They are not the
// spread of a customer's future purchase count, which is far wider.
//
// Replicates run on several threads. Replicate k draws its resample from its
// own random stream, derived from the seed and k alone, and every sum is
// taken in the customers' order, so the result is the same, bit for bit, for
// any number of threads.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "cltv/error.hpp"
#include "cltv/models/clv.hpp"
#include "cltv/models/fit.hpp"
#include "cltv/models/gamma_gamma.hpp"
#include "cltv/models/model_kind.hpp"
#include "cltv/models/purchase_model.hpp"
#include "cltv/models/rfm_data.hpp"

namespace cltv::models {

/// How many replicates, drawn how, summarised at what level, on how many
/// threads.
struct bootstrap_settings {
  int replicates = 200;     ///< 2 … 100000
  std::uint64_t seed = 1;   ///< the whole run's; replicate k's stream derives from (seed, k)
  double confidence = 0.9;  ///< percentile interval level, in (0, 1); CLVTools' default
  int threads = 1;          ///< 1 … 256; does not change the result
};

/// Checks the settings, naming the offending one ("bootstrap", "confidence",
/// "threads").
[[nodiscard]] result<bootstrap_settings> check_bootstrap_settings(const bootstrap_settings& s);

/// What each replicate refits: the purchase model (with its penalty) and,
/// when `spend` is set, Gamma-Gamma with those options. Without it, every
/// replicate values purchases at `fixed_spend`.
struct bootstrap_models {
  model_kind purchase = model_kind::bgnbd;  ///< bgnbd, mbgnbd or pareto_nbd
  fit_penalty purchase_penalty{};
  std::optional<gamma_gamma_options> spend{};
};

/// How many times replicate `index` draws each of the rows: Σ counts draws
/// with replacement from the customers the rows stand for (a row with count c
/// is c customers), uniformly. `counts` are whole numbers ≥ 1. The stream is a
/// SplitMix64 generator seeded from (seed, index); the draws are unbiased
/// (Lemire's bounded integers with rejection), so they are the same on every
/// platform.
[[nodiscard]] std::vector<double> bootstrap_draw_counts(std::span<const double> counts,
                                                        std::uint64_t seed, std::uint64_t index);

/// The models of one replicate, or why they could not be fitted.
struct bootstrap_replicate {
  std::optional<purchase_model> purchase;
  std::optional<gamma_gamma_params> spend;  ///< when bootstrap_models::spend is set
  std::string failure;                      ///< empty when fitted
};

/// Refits the models on settings.replicates resamples of the customers
/// (`monetary_value[i]` is customer i's m̄; read only when the spend is
/// refitted). A replicate whose fit fails, does not converge, or gives a
/// spend model without a mean (q ≤ 1) keeps its reason in `failure`. Fails
/// on invalid settings, rows or a monetary span of another length.
[[nodiscard]] result<std::vector<bootstrap_replicate>> refit_bootstrap_replicates(
    std::span<const rfm_tuple> customers, std::span<const double> monetary_value,
    const bootstrap_models& models, const bootstrap_settings& settings);

/// The (1 − level)/2 and (1 + level)/2 quantiles of `values` (R's type 7,
/// linear between order statistics, as CLVTools' quantile() calls use);
/// reorders `values`. Needs at least one value.
///
/// Example: {1, 2, 3, 4, 5} at 0.5 → [2, 4].
[[nodiscard]] interval_bounds percentile_bounds(std::span<double> values, double level);

/// One customer's bootstrap intervals.
struct customer_clv_intervals {
  interval_bounds expected_purchases;
  interval_bounds probability_alive;
  interval_bounds expected_spend;
  interval_bounds clv;
};

/// The bootstrap intervals of a valuation: per customer and of the totals
/// over all customers (each replicate's own sum, then its percentiles).
struct clv_bootstrap {
  std::vector<customer_clv_intervals> customers;  ///< in the customers' order
  interval_bounds total_expected_purchases;
  interval_bounds total_clv;
  int replicates = 0;         ///< drawn
  int used = 0;               ///< fitted, and so summarised
  std::string first_failure;  ///< the first failed replicate's reason, with its number
};

/// Values every customer (customer_lifetime_value with `options`) under each
/// fitted replicate and summarises the values at settings.confidence. A
/// replicate without a spend model values purchases with `fixed_spend`
/// (of_customer(x, m̄)). `monetary_value` is empty when no spend is read (a
/// fixed amount a purchase); then every m̄ is taken as 0. Fails when fewer than two replicates were
/// fitted, or as the valuation does.
[[nodiscard]] result<clv_bootstrap> bootstrap_clv(std::span<const rfm_tuple> customers,
                                                  std::span<const double> monetary_value,
                                                  std::span<const bootstrap_replicate> replicates,
                                                  const std::optional<purchase_spend>& fixed_spend,
                                                  const clv_options& options,
                                                  const bootstrap_settings& settings);

/// One customer's bootstrap intervals of predict's quantities.
struct customer_prediction_intervals {
  std::vector<interval_bounds> expected_purchases;  ///< one per horizon, in their order
  interval_bounds probability_alive;
  std::optional<interval_bounds> expected_spend;  ///< when the replicates refitted spend
};

/// The bootstrap intervals of predictions: per customer, and of the total
/// expected purchases at the last horizon.
struct prediction_bootstrap {
  std::vector<customer_prediction_intervals> customers;  ///< in the customers' order
  interval_bounds total_expected_purchases;
  int replicates = 0;
  int used = 0;
  std::string first_failure;
};

/// Predicts for every customer under each fitted replicate: P(alive),
/// E[Y(h) | x, t_x, T] for each of `horizons` (not empty) and, when the
/// replicates refitted Gamma-Gamma, E[M | x, m̄] (`monetary_value[i]`), and
/// summarises them at settings.confidence. Fails when fewer than two
/// replicates were fitted, or as the predictions do.
[[nodiscard]] result<prediction_bootstrap> bootstrap_predictions(
    std::span<const rfm_tuple> customers, std::span<const double> monetary_value,
    std::span<const bootstrap_replicate> replicates, std::span<const double> horizons,
    const bootstrap_settings& settings);

}  // namespace cltv::models
