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
// WORK IN PROGRESS (branch wip/bgbb): likelihood, fit, P(alive) and the
// expectations; the CLI, DERT, P(X(n) = x) and the tests are to come.

#include <span>
#include <vector>

#include "cltv/error.hpp"
#include "cltv/models/fit.hpp"

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

}  // namespace cltv::models
