#pragma once
// The Pareto/NBD model of repeat purchasing (Schmittlein, Morrison & Colombo
// 1987, "Counting your customers: who are they and what will they do next?",
// Management Science 33(1)): while alive, a customer buys as a Poisson
// process with rate λ ~ Gamma(r, α); her lifetime is exponential with rate
// μ ~ Gamma(s, β), so she may drop out at any time, not only after a purchase
// as in BG/NBD. Likelihood and predictions as in Fader & Hardie (2005), "A
// note on deriving the Pareto/NBD model and related expressions".
//
// The likelihood's integral over a customer's silent time is summed by
// Gauss–Legendre quadrature rather than through Gauss's 2F1, whose series
// crawls as |α−β| / (max(α,β)+t) nears 1: the fit costs the same wherever the
// optimiser goes, and has exact gradients. Times are in the unit of the rows
// (weeks, days).

#include <span>
#include <vector>

#include "cltv/error.hpp"
#include "cltv/models/fit.hpp"
#include "cltv/models/rfm_data.hpp"

namespace cltv::models {

/// Purchase rates λ ~ Gamma(shape r, rate α), dropout rates μ ~ Gamma(shape s,
/// rate β). All positive.
struct pareto_nbd_params {
  double r = 1;
  double alpha = 1;
  double s = 1;
  double beta = 1;
};

struct pareto_nbd_fit {
  pareto_nbd_params params;  // the estimates' values
  parameter_estimate r;
  parameter_estimate alpha;
  parameter_estimate s;
  parameter_estimate beta;
  fit_report report;
};

/// Fits the model by maximum likelihood (L-BFGS in log-parameters from r = s
/// = 1, α = β = 1 / the crude purchase rate, exact gradients; the Hessian for
/// the standard errors by differences of the gradient). Rows are checked and
/// compressed as compress_rfm() does.
///
/// With a `penalty` (fit_penalty), minimises the penalised objective instead.
///
/// Where the dropout rates do not vary enough to be told apart from a single
/// rate (and there is no penalty to hold them), s and β run off together; the fit then reports that
/// limit (every customer drops out at rate μ = s/β): r and α with standard errors, s = 1e12 and β =
/// s/μ without, and report.degenerate says so with μ and its interval.
///
/// Fails, naming the reason, on bad rows, when no customer has a repeat
/// purchase, when the optimiser fails, or when the likelihood has no interior
/// maximum otherwise.
///
/// Example:
///   auto fit = cltv::models::fit_pareto_nbd(rows);
///   if (!fit) return fit.error();
///   double s = fit->params.s;  // 0.606 on CDNOW
[[nodiscard]] result<pareto_nbd_fit> fit_pareto_nbd(std::span<const rfm_tuple> rows,
                                                    const fit_penalty& penalty = {});

/// The log-likelihood of the rows (total over customers, without constants)
/// at `params`.
[[nodiscard]] result<double> log_likelihood(const pareto_nbd_params& params,
                                            std::span<const rfm_tuple> rows);

/// E[X(t)]: expected purchases of a new customer in her first t periods.
[[nodiscard]] result<double> expected_purchases(const pareto_nbd_params& params, double t);

/// E[Y(t) | x, t_x, T]: expected purchases in the next t periods of a customer
/// with history (x, t_x, T). customer.count is ignored.
[[nodiscard]] result<double> conditional_expected_purchases(const pareto_nbd_params& params,
                                                            const rfm_tuple& customer, double t);

/// P(alive | x, t_x, T).
[[nodiscard]] result<double> probability_alive(const pareto_nbd_params& params,
                                               const rfm_tuple& customer);

/// P(X(t) = n): the probability that a new customer makes exactly n repeat
/// purchases in her first t periods (alive throughout, or dropped out before
/// t having made n; summed by quadrature to 1e-12 relative).
[[nodiscard]] result<double> probability_of_purchases(const pareto_nbd_params& params, double t,
                                                      int n);
/// The same for every n = 0..n_max at once (element n).
[[nodiscard]] result<std::vector<double>> probabilities_of_purchases(
    const pareto_nbd_params& params, double t, int n_max);

/// P(Y(t) = n | x, t_x, T): the probability that a customer with history
/// (x, t_x, T) makes exactly n purchases in the next t periods (lifetimes'
/// conditional_probability_of_n_purchases_up_to_time). Alive at T, she buys
/// as a new customer with parameters r+x, α+T, s, β+T; dead, she makes none.
[[nodiscard]] result<double> conditional_probability_of_purchases(const pareto_nbd_params& params,
                                                                  const rfm_tuple& customer,
                                                                  double t, int n);
/// The same for every n = 0..n_max at once (element n).
[[nodiscard]] result<std::vector<double>> conditional_probabilities_of_purchases(
    const pareto_nbd_params& params, const rfm_tuple& customer, double t, int n_max);

/// Expected purchases of a customer with history (x, t_x, T) in each of the
/// next `periods` periods of length `period_length`: element k is
/// E[Y((k+1)·L)] − E[Y(k·L)] (the per-period stream a CLV sum discounts).
[[nodiscard]] result<std::vector<double>> expected_purchases_by_period(
    const pareto_nbd_params& params, const rfm_tuple& customer, int periods,
    double period_length = 1);

/// The same stream for a customer known to be alive at T (it depends on x and
/// T only); expected_purchases_by_period is it times P(alive | x, t_x, T).
[[nodiscard]] result<std::vector<double>> expected_purchases_by_period_if_alive(
    const pareto_nbd_params& params, double x, double T, int periods, double period_length = 1);

}  // namespace cltv::models
