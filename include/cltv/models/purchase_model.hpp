#pragma once
// One purchase-count model, whichever it is: BG/NBD, MBG/NBD (bgnbd.hpp),
// Pareto/NBD (pareto_nbd.hpp) or BG/BB (bgbb.hpp: T is then the opportunities
// n, times are whole opportunities). The commands that predict purchases,
// value customers or backtest a fit take any of them; this type carries the
// parameters with their kind, so that they branch on the model in one place.
// The CLV and the backtest of a purchase_model are in clv.hpp and backtest.hpp.

#include <span>
#include <variant>
#include <vector>

#include "cltv/error.hpp"
#include "cltv/models/bgbb.hpp"
#include "cltv/models/bgnbd.hpp"
#include "cltv/models/fit.hpp"
#include "cltv/models/ggomnbd.hpp"
#include "cltv/models/model_kind.hpp"
#include "cltv/models/pareto_nbd.hpp"
#include "cltv/models/rfm_data.hpp"

namespace cltv::models {

/// The parameters of a BG/NBD, MBG/NBD, Pareto/NBD or BG/BB model.
///
/// Example:
///   cltv::models::purchase_model m{cltv::models::bgnbd_params{0.243, 4.414, 0.793, 2.426}};
///   auto alive = probability_alive(m, {2, 30.43, 38.86});  // 0.7362 (FHL 2005)
class purchase_model {
 public:
  /// BG/NBD, or MBG/NBD when params.variant says so.
  // cppcheck-suppress noExplicitConstructor
  purchase_model(const bgnbd_params& params) : params_(params) {}  // NOLINT: implicit by design
  // cppcheck-suppress noExplicitConstructor
  purchase_model(const pareto_nbd_params& params)  // NOLINT: implicit by design
      : params_(params) {}
  // cppcheck-suppress noExplicitConstructor
  purchase_model(const bgbb_params& params) : params_(params) {}  // NOLINT: implicit by design
  // cppcheck-suppress noExplicitConstructor
  purchase_model(const ggomnbd_params& params) : params_(params) {}  // NOLINT: implicit by design

  /// Which model: one of those is_purchase_model holds for.
  [[nodiscard]] model_kind kind() const noexcept;
  /// The parameter values in the order of names_of(kind()).parameters.
  [[nodiscard]] model_parameters parameters() const;
  /// The parameters as their own model's type.
  [[nodiscard]] const std::variant<bgnbd_params, pareto_nbd_params, bgbb_params, ggomnbd_params>&
  params() const noexcept {
    return params_;
  }

 private:
  std::variant<bgnbd_params, pareto_nbd_params, bgbb_params, ggomnbd_params> params_;
};

/// The model of `p`'s kind with its values (a purchase model's four
/// parameters, already checked); fails when p.kind is not a purchase model.
[[nodiscard]] result<purchase_model> make_purchase_model(const model_parameters& p);

/// A purchase model fitted by maximum likelihood.
struct purchase_model_fit {
  purchase_model model;
  std::vector<parameter_estimate> estimates;  ///< in the order of names_of(kind).parameters
  fit_report report;
};

/// Fits the purchase model `kind` (fit_bgnbd with its variant, fit_pareto_nbd
/// or fit_bgbb with T as n) to the rows, with `penalty` when it is not 0 (not
/// BG/BB); fails as they do, and when `kind` is not a purchase model.
///
/// Example: auto fit = fit_purchase_model(model_kind::pareto_nbd, rows);  // s ≈ 0.606 on CDNOW
[[nodiscard]] result<purchase_model_fit> fit_purchase_model(model_kind kind,
                                                            std::span<const rfm_tuple> rows,
                                                            const fit_penalty& penalty = {});

/// E[Y(t) | x, t_x, T] of the model (see conditional_expected_purchases of
/// each model); customer.count is ignored.
[[nodiscard]] result<double> conditional_expected_purchases(const purchase_model& model,
                                                            const rfm_tuple& customer, double t);

/// P(alive | x, t_x, T) of the model.
[[nodiscard]] result<double> probability_alive(const purchase_model& model,
                                               const rfm_tuple& customer);

/// The expected purchases in each of the next `periods` periods of length
/// `period_length` (see expected_purchases_by_period of each model).
[[nodiscard]] result<std::vector<double>> expected_purchases_by_period(const purchase_model& model,
                                                                       const rfm_tuple& customer,
                                                                       int periods,
                                                                       double period_length = 1);

/// The same for a customer known to be alive at T, with frequency x (see
/// expected_purchases_by_period_if_alive of each model).
[[nodiscard]] result<std::vector<double>> expected_purchases_by_period_if_alive(
    const purchase_model& model, double x, double T, int periods, double period_length = 1);

/// E[X(t)]: expected purchases of a new customer in her first t periods.
[[nodiscard]] result<double> expected_purchases(const purchase_model& model, double t);

/// P(X(t) = n) for n = 0..n_max (element n): the purchase counts of a new
/// customer in her first t periods.
[[nodiscard]] result<std::vector<double>> probabilities_of_purchases(const purchase_model& model,
                                                                     double t, int n_max);

/// P(Y(t) = n | x, t_x, T) for n = 0..n_max (element n): the purchase counts
/// of a customer with history (x, t_x, T) in the next t periods.
[[nodiscard]] result<std::vector<double>> conditional_probabilities_of_purchases(
    const purchase_model& model, const rfm_tuple& customer, double t, int n_max);

/// Checks a prediction horizon: a number of time units >= 0.
[[nodiscard]] result<double> check_prediction_horizon(double horizon);

/// The same for `kind`: a discrete-time model's (BG/BB) horizon is also a
/// whole number of opportunities.
[[nodiscard]] result<double> check_prediction_horizon(model_kind kind, double horizon);

}  // namespace cltv::models
