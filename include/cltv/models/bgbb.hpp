#pragma once
// The beta-geometric/beta-Bernoulli (BG/BB) model of purchases at discrete
// opportunities (Fader, Hardie & Shang 2010, "Customer-base analysis in a
// discrete-time noncontractual setting", Marketing Science 29(6)): while
// alive, a customer transacts at each opportunity with probability p; after
// each opportunity she dies with probability θ; p ~ Beta(α, β) and
// θ ~ Beta(γ, δ) across customers. A customer's history is (x, t_x, n): x
// transactions in the n opportunities after the first, the last at
// opportunity t_x (0 when x = 0).
//
// The commands take BG/BB as a purchase model (purchase_model.hpp): an
// rfm_tuple's T is then n, and its time unit the opportunity. The overloads
// at the end give the purchase-model interface in those terms; a horizon is a
// whole number of opportunities, and a period of length L (a month, when the
// opportunity is a year) holds the opportunities that fall in it.

#include <span>
#include <vector>

#include "cltv/error.hpp"
#include "cltv/models/fit.hpp"
#include "cltv/models/rfm_data.hpp"

namespace cltv::models {

struct bgbb_params {
  double alpha = 1;
  double beta = 1;
  double gamma = 1;
  double delta = 1;
};

/// One customer (count 1), or `count` customers with the same history.
struct bgbb_tuple {
  double x = 0;    ///< transactions after the first opportunity (whole, 0 … n)
  double t_x = 0;  ///< opportunity of the last one (x ≤ t_x ≤ n; 0 when x = 0)
  double n = 0;    ///< opportunities observed (whole, ≥ 1)
  double count = 1;
};

/// Checks one row (field "frequency", "recency", "periods" or "count").
[[nodiscard]] result<bgbb_tuple> check_bgbb_tuple(const bgbb_tuple& row,
                                                  std::size_t row_number = 0);

/// The log-likelihood Σ count · ln L(α, β, γ, δ | x, t_x, n) (FHS 2010 eq. 5);
/// when `gradient` is not empty (4 elements) it receives ∂LL/∂(α, β, γ, δ).
[[nodiscard]] result<double> bgbb_log_likelihood(const bgbb_params& params,
                                                 std::span<const bgbb_tuple> rows,
                                                 std::span<double> gradient = {});

struct bgbb_fit {
  bgbb_params params;
  std::vector<parameter_estimate> estimates;  ///< α, β, γ, δ
  fit_report report;
};

/// Maximum likelihood from α = β = γ = δ = 1, in log-parameters.
///
/// Example (FHS 2010's donations, 11,104 donors, n = 6):
///   α ≈ 1.204, β ≈ 0.750, γ ≈ 0.657, δ ≈ 2.783, LL ≈ −33,225.58.
[[nodiscard]] result<bgbb_fit> fit_bgbb(std::span<const bgbb_tuple> rows);

/// P(alive at opportunity n + 1 | x, t_x, n) (FHS 2010 eq. 11).
[[nodiscard]] result<double> bgbb_probability_alive(const bgbb_params& params,
                                                    const bgbb_tuple& customer);

/// E[X(n)]: the expected transactions of a new customer in her first n
/// opportunities (FHS 2010 eq. 7).
[[nodiscard]] result<double> bgbb_expected_transactions(const bgbb_params& params, double n);

/// E[X(n, n + n*) | x, t_x, n]: the expected transactions in the next
/// `future` opportunities (FHS 2010 eq. 13).
[[nodiscard]] result<double> bgbb_conditional_expected_transactions(const bgbb_params& params,
                                                                    const bgbb_tuple& customer,
                                                                    double future);

/// P(X(n) = x) for x = 0 … n (element x): the transactions of a new
/// customer in her first n opportunities (FHS 2010 eq. 8); n whole, ≥ 0.
[[nodiscard]] result<std::vector<double>> bgbb_probabilities_of_transactions(
    const bgbb_params& params, int n);

/// The discounted expected residual transactions of a customer, at a
/// discount rate d > 0 per opportunity (FHS 2010 eq. 14): Σ_{t > n} of the
/// transactions expected at opportunity t, discounted by (1 + d)^(t − n).
[[nodiscard]] result<double> bgbb_discounted_expected_residual_transactions(
    const bgbb_params& params, const bgbb_tuple& customer, double discount_rate);

/// The customer of a summary row: x = frequency, t_x = recency, n = T.
[[nodiscard]] inline bgbb_tuple bgbb_tuple_of(const rfm_tuple& row) noexcept {
  return {row.x, row.t_x, row.T, row.count};
}

// The purchase-model interface (see purchase_model.hpp), with T = n and times
// in opportunities.

/// P(alive at opportunity n + 1 | x, t_x, n): bgbb_probability_alive.
[[nodiscard]] result<double> probability_alive(const bgbb_params& params,
                                               const rfm_tuple& customer);

/// E[X(n, n + t) | x, t_x, n], t a whole number of opportunities.
[[nodiscard]] result<double> conditional_expected_purchases(const bgbb_params& params,
                                                            const rfm_tuple& customer, double t);

/// E[X(t)] of a new customer, t a whole number of opportunities.
[[nodiscard]] result<double> expected_purchases(const bgbb_params& params, double t);

/// P(X(t) = k) for k = 0 … n_max (0 beyond t), t whole.
[[nodiscard]] result<std::vector<double>> probabilities_of_purchases(const bgbb_params& params,
                                                                     double t, int n_max);

/// P(X(n, n + t) = k | x, t_x, n) for k = 0 … n_max, t whole. Alive after
/// opportunity n (posterior weight w), she transacts from then on as a new
/// customer with parameters α + x, β + n − x, γ, δ + n; dead, never.
[[nodiscard]] result<std::vector<double>> conditional_probabilities_of_purchases(
    const bgbb_params& params, const rfm_tuple& customer, double t, int n_max);

/// Expected transactions in each of the next `periods` periods of length
/// `period_length` > 0 opportunities: period k (from 0) holds opportunities
/// n + j with k·L < j ≤ (k + 1)·L (none when L < 1 and no opportunity falls
/// in it).
[[nodiscard]] result<std::vector<double>> expected_purchases_by_period(const bgbb_params& params,
                                                                       const rfm_tuple& customer,
                                                                       int periods,
                                                                       double period_length = 1);

/// The same for a customer known to be alive at opportunity T + 1 with x
/// transactions (so that times P(alive) it is expected_purchases_by_period).
[[nodiscard]] result<std::vector<double>> expected_purchases_by_period_if_alive(
    const bgbb_params& params, double x, double T, int periods, double period_length = 1);

/// DERT at a continuous rate δ per opportunity: the discrete form (FHS 2010
/// eq. 14) at d = e^δ − 1.
[[nodiscard]] result<double> discounted_expected_residual_purchases(const bgbb_params& params,
                                                                    const rfm_tuple& customer,
                                                                    double delta);

}  // namespace cltv::models
