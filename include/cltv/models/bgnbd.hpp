#pragma once
// The BG/NBD model of repeat purchasing (Fader, Hardie & Lee 2005, "Counting
// your customers the easy way", Marketing Science 24(2)): while alive, a
// customer buys as a Poisson process with rate λ ~ Gamma(r, α); after each
// purchase she drops out with probability p ~ Beta(a, b).
//
// Fitted by maximum likelihood on (frequency, recency, T) rows; predicts
// purchases of new and existing customers and the probability that a
// customer is still alive. Times are in the unit of the rows (weeks, days).
//
// The same functions serve the MBG/NBD model (Batislam, Denizel & Filiztekin
// 2007, "Empirical validation and comparison of models for customer base
// analysis", IJRM 24(3)), which adds a dropout chance right after the first
// purchase: a customer without repeat purchases may be inactive too, where
// BG/NBD counts her alive for sure. Its parameters have the same names; the
// variant travels with them in bgnbd_params.

#include <array>
#include <span>
#include <vector>

#include "cltv/error.hpp"
#include "cltv/models/fit.hpp"
#include "cltv/models/rfm_data.hpp"

namespace cltv::models {

/// When a customer may drop out: after each repeat purchase (BG/NBD), or
/// after every purchase including the first (MBG/NBD).
enum class bgnbd_variant { bgnbd, mbgnbd };

/// Model parameters: purchase rates λ ~ Gamma(shape r, rate α), dropout
/// probabilities p ~ Beta(a, b). All positive.
struct bgnbd_params {
  double r = 1;
  double alpha = 1;
  double a = 1;
  double b = 1;
  bgnbd_variant variant = bgnbd_variant::bgnbd;
};

struct bgnbd_fit {
  bgnbd_params params;  // the estimates' values
  parameter_estimate r;
  parameter_estimate alpha;
  parameter_estimate a;
  parameter_estimate b;
  fit_report report;
};

/// Fits the model (BG/NBD, or MBG/NBD with `variant`) by maximum likelihood
/// (in log-parameters from r = a = b = 1 and α = 1 / the crude purchase rate
/// Σx / ΣT, L-BFGS with the analytic gradient), with `penalty` when it is
/// not 0 (fit_penalty: lifetimes' penalizer_coef). Rows are checked and
/// compressed as compress_rfm() does; already-compressed rows are used as
/// they are. The fit's params carry the variant.
///
/// Fails, naming the reason, on bad rows, when no customer has a repeat
/// purchase, when the optimiser fails or stops without converging, and when
/// the likelihood has no strict interior maximum (a parameter running off to
/// 0 or ∞, or a Hessian that is not positive definite).
///
/// Example:
///   auto fit = cltv::models::fit_bgnbd(rows);
///   if (!fit) return fit.error();
///   double r = fit->params.r;            // 0.243 on CDNOW
///   double se = fit->r.standard_error;
[[nodiscard]] result<bgnbd_fit> fit_bgnbd(std::span<const rfm_tuple> rows,
                                          bgnbd_variant variant = bgnbd_variant::bgnbd,
                                          const fit_penalty& penalty = {});

/// The log-likelihood of the rows (total over customers, FHL 2005 eq. 6
/// without constants; for MBG/NBD its analogue) at `params`.
[[nodiscard]] result<double> log_likelihood(const bgnbd_params& params,
                                            std::span<const rfm_tuple> rows);

/// E[X(t)]: expected purchases of a new customer in her first t periods after
/// the first purchase (FHL 2005 eq. 7; MBG/NBD: b / (a + b) times its analogue).
[[nodiscard]] result<double> expected_purchases(const bgnbd_params& params, double t);

/// E[Y(t) | x, t_x, T]: expected purchases in the next t periods of a customer
/// with history (x, t_x, T) (FHL 2005 eq. 10). customer.count is ignored.
[[nodiscard]] result<double> conditional_expected_purchases(const bgnbd_params& params,
                                                            const rfm_tuple& customer, double t);

/// P(alive | x, t_x, T) (FHL 2005 appendix; 1 when x = 0, except for MBG/NBD,
/// where it is 1 / (1 + a/b · ((α+T)/α)^r)). Computed in log
/// space: a very frequent buyer long silent (x = 1000, t_x = 10, T = 100)
/// gives 0, not an overflow.
[[nodiscard]] result<double> probability_alive(const bgnbd_params& params,
                                               const rfm_tuple& customer);

/// P(X(t) = n): the probability that a new customer makes exactly n repeat
/// purchases in her first t periods (FHL 2005 eq. 8).
[[nodiscard]] result<double> probability_of_purchases(const bgnbd_params& params, double t, int n);

/// P(Y(t) = n | x, t_x, T): the probability that a customer with history
/// (x, t_x, T) makes exactly n purchases in the next t periods. Alive at T
/// (probability_alive), she buys from then on as a new BG/NBD customer with
/// parameters r+x, α+T, a, b+x (MBG/NBD: b+x+1); dead, she makes none.
[[nodiscard]] result<double> conditional_probability_of_purchases(const bgnbd_params& params,
                                                                  const rfm_tuple& customer,
                                                                  double t, int n);

/// Expected purchases of a customer with history (x, t_x, T) in each of the
/// next `periods` periods of length `period_length`: element k is
/// E[Y((k+1)·L)] − E[Y(k·L)] (the per-period stream a CLV sum discounts).
[[nodiscard]] result<std::vector<double>> expected_purchases_by_period(const bgnbd_params& params,
                                                                       const rfm_tuple& customer,
                                                                       int periods,
                                                                       double period_length = 1);

/// The same stream for a customer known to be alive at T: it depends on the
/// frequency x and the age T only (t_x enters through P(alive) alone), and
/// expected_purchases_by_period is it times P(alive | x, t_x, T). What a
/// valuation of many customers computes once per distinct (x, T).
[[nodiscard]] result<std::vector<double>> expected_purchases_by_period_if_alive(
    const bgnbd_params& params, double x, double T, int periods, double period_length = 1);

namespace detail {
/// For the tests: the log-likelihood of the rows at `params` and its gradient
/// with respect to (ln r, ln α, ln a, ln b), as the fit uses them.
[[nodiscard]] result<std::array<double, 5>> bgnbd_log_likelihood_gradient(
    const bgnbd_params& params, std::span<const rfm_tuple> rows);

/// For the tests: the Hessian of the log-likelihood at `params` with respect
/// to (ln r, ln α, ln a, ln b), row-major 4×4, as the standard errors use it.
[[nodiscard]] result<std::array<double, 16>> bgnbd_log_likelihood_hessian(
    const bgnbd_params& params, std::span<const rfm_tuple> rows);
}  // namespace detail

}  // namespace cltv::models
