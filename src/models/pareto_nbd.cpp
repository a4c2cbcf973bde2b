#include "cltv/models/pareto_nbd.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "cltv/number.hpp"
#include "models/alive_stream.hpp"
#include "models/optimize.hpp"
#include "models/pareto_nbd_kernel.hpp"
#include "models/quadrature_rules.hpp"
#include "models/sketch.hpp"

namespace cltv::models {

namespace {

// Beyond this s, the dropout rates' Gamma(s, β) is a spike at μ = s/β: the
// fit is near the limit in which every customer drops out at the same rate.
constexpr double runaway_s = 1e3;
// Past this s a fit is taken to be heading for that limit: the fit from a
// sketch (minimum_from_sketch) leaves it to the plain path, which follows s
// out to runaway_s and tests the limit, rather than stop on the flat ridge.
constexpr double heading_for_limit_s = 30;
// The limit is fitted as the model at this s (β = s/μ): the relative
// difference from the exact limit, of order μ²T²/s, is far below rounding.
constexpr double limit_s = 1e12;

result<pareto_nbd_params> check_params(const pareto_nbd_params& p) {
  if (auto e = detail::nonpositive_parameter(
          {{"r", p.r}, {"alpha", p.alpha}, {"s", p.s}, {"beta", p.beta}}))
    return std::move(*e);
  return p;
}

pareto_nbd_params from_log(std::span<const double> v) {
  return {std::exp(v[0]), std::exp(v[1]), std::exp(v[2]), std::exp(v[3])};
}

// The mean negative log-likelihood per customer in log-parameters, with its
// exact gradient (tolerances that mean the same for any size, as in the
// other fits); 1e300 where it cannot be computed, far outside any sensible
// region.
detail::objective full_objective(const detail::pareto_nbd_data& data) {
  return [&data](std::span<const double> v, std::span<double> gradient) {
    const pareto_nbd_params p = from_log(v);
    for (double e : {p.r, p.alpha, p.s, p.beta})
      if (!(std::isfinite(e) && e > 0)) return 1e300;
    std::array<double, 4> g{};
    const double ll = data.log_likelihood(p, gradient.empty() ? std::span<double>{} : g);
    if (!std::isfinite(ll)) return 1e300;
    for (std::size_t i = 0; i < gradient.size(); ++i) gradient[i] = -g[i] / data.customers();
    return -ll / data.customers();
  };
}

// The same in (ln r, ln α, ln μ) at s = limit_s, β = s/μ: the model in which
// every customer has the dropout rate μ.
detail::objective common_dropout_objective(const detail::pareto_nbd_data& data) {
  return [&data](std::span<const double> v, std::span<double> gradient) {
    const pareto_nbd_params p{std::exp(v[0]), std::exp(v[1]), limit_s, limit_s / std::exp(v[2])};
    for (double e : {p.r, p.alpha, p.beta})
      if (!(std::isfinite(e) && e > 0)) return 1e300;
    std::array<double, 4> g{};
    const double ll = data.log_likelihood(p, gradient.empty() ? std::span<double>{} : g);
    if (!std::isfinite(ll)) return 1e300;
    if (!gradient.empty()) {
      gradient[0] = -g[0] / data.customers();
      gradient[1] = -g[1] / data.customers();
      gradient[2] = g[3] / data.customers();  // ln β = ln s − ln μ
    }
    return -ll / data.customers();
  };
}

// What the fit says when it reports the common-dropout limit; mu is the
// limit's dropout rate (4 significant digits: a report, not a model file).
std::string degenerate_text(const parameter_estimate& mu) {
  const auto four = [](double v) { return format_significant(v, 4); };
  return "the dropout rates do not vary enough to be estimated: s and beta ran off together, "
         "so every customer has the same dropout rate mu = s/beta = " +
         four(mu.value) + " (95% interval " + four(mu.lower_95) + " to " + four(mu.upper_95) +
         "); s = 1e12 and beta = s/mu stand in for the limit, without standard errors";
}

static_assert(limit_s == 1e12, "degenerate_text says s = 1e12");

// The common-dropout limit, from the full fit's point: fails when its
// optimiser does.
// The report of the common-dropout limit, whose parameters are (r, α, μ),
// as one of the four-parameter model: the Hessian and covariance of r and α,
// NaN in the rows and columns of s and β, which stand in for the limit.
void keep_rate_block(fit_report& report) {
  const auto widen = [](std::vector<double>& m) {
    if (m.size() != 9) return;
    std::vector<double> wide(16, std::numeric_limits<double>::quiet_NaN());
    for (std::size_t i = 0; i < 2; ++i)
      for (std::size_t j = 0; j < 2; ++j) wide[i * 4 + j] = m[i * 3 + j];
    m = std::move(wide);
  };
  widen(report.log_hessian);
  widen(report.covariance);
}

result<detail::minimize_result> fit_common_dropout(const detail::pareto_nbd_data& data,
                                                   std::span<const double> from) {
  const detail::objective objective = common_dropout_objective(data);
  auto minimum = detail::minimize(objective, {from[0], from[1], from[2] - from[3]});
  if (!minimum) return std::move(minimum).error();
  if (!minimum->converged) return error{"", minimum->status};
  return std::move(*minimum);
}

// The fit's minimum from a sketch of the data (detail::minimize_from_sketch),
// for data with many distinct tuples; nullopt for the plain path. The
// sketch's Hessian is by central differences; a fit past s = 30 on the sketch
// or the data is left to the plain path (heading_for_limit_s).
std::optional<detail::minimize_result> minimum_from_sketch(std::span<const rfm_tuple> tuples,
                                                           const detail::objective& objective,
                                                           const std::vector<double>& start) {
  const auto sketch = detail::sketch_of(tuples);
  if (!sketch) return std::nullopt;
  const detail::pareto_nbd_data sketch_data(*sketch);
  const double limit_ln_s = std::log(heading_for_limit_s);
  return detail::minimize_from_sketch(
      objective, full_objective(sketch_data), start,
      [](const detail::objective& f, std::span<const double> x) { return detail::hessian(f, x); },
      [limit_ln_s](std::span<const double> x) { return x[2] <= limit_ln_s; });
}

}  // namespace

result<pareto_nbd_fit> fit_pareto_nbd(std::span<const rfm_tuple> rows, const fit_penalty& penalty) {
  std::vector<rfm_tuple> storage;
  std::span<const rfm_tuple> tuples = rows;
  if (!is_compressed(rows)) {
    auto compressed = compress_rfm(rows);
    if (!compressed) return std::move(compressed).error();
    storage = std::move(*compressed);
    tuples = storage;
  }
  double total_x = 0, total_T = 0;
  for (const rfm_tuple& c : tuples) {
    total_x += c.count * c.x;
    total_T += c.count * c.T;
  }
  if (!(total_x > 0))
    return error{"frequency",
                 "no customer has a repeat purchase (every frequency is 0): the Pareto/NBD model "
                 "cannot be fitted"};
  const detail::pareto_nbd_data data(tuples);
  const double customers = data.customers();
  // α and β are rates of time: penalised in units of the longest age, as lifetimes does.
  const double per_age = 1 / longest_age(tuples);
  const detail::penalty_term penalty_of(penalty, {1, per_age, 1, per_age});
  const detail::objective unpenalised = full_objective(data);
  const detail::objective objective = detail::penalised(unpenalised, penalty_of);

  // r = s = 1, and α = β = 1 / the crude purchase rate (scale-free, as for
  // BG/NBD: the same path whatever the unit of time).
  const double scale = std::log(total_T / total_x);
  const std::vector<double> start{0.0, scale, 0.0, scale};
  std::optional<detail::minimize_result> near;
  // (Without a penalty, objective is unpenalised itself: the gradient the
  // sketch's path keeps is the objective's, as the Hessian below needs.)
  if (penalty.coefficient == 0) near = minimum_from_sketch(tuples, objective, start);
  auto minimum = near ? result<detail::minimize_result>(std::move(*near))
                      : detail::minimize_penalised(unpenalised, penalty_of, start);
  if (!minimum) return error{"", "the Pareto/NBD fit failed: " + minimum.error().message};
  // A penalty keeps s finite: its limit is not the common-dropout model.
  const bool runaway = minimum->x[2] > std::log(runaway_s) && penalty.coefficient == 0;
  if (!minimum->converged && !runaway)
    return error{"", "the Pareto/NBD fit did not converge: " + minimum->status};

  pareto_nbd_fit fit;
  std::vector<double> v = minimum->x;
  std::vector<double> hessian;
  if (runaway) {
    // s and β run off together when the dropout rates do not vary enough to
    // be told apart from one rate. Fit that limit; if the full model does
    // not beat it (likelihood-ratio statistic below 1, far inside any test's
    // acceptance), report it: r and α with their standard errors, s and β
    // as the limit's stand-ins without.
    auto limit = fit_common_dropout(data, v);
    if (!limit)
      return error{
          "", "the Pareto/NBD fit failed in its common-dropout limit: " + limit.error().message};
    const double statistic = 2 * customers * (limit->value - minimum->value);
    if (statistic < 1) {
      const std::vector<double> h3 = detail::hessian(common_dropout_objective(data), limit->x);
      std::vector<double> rate_hessian(9);
      for (std::size_t i = 0; i < 9; ++i) rate_hessian[i] = h3[i] * customers;
      const std::vector<parameter_estimate> e =
          detail::estimates_from_hessian(limit->x, rate_hessian, fit.report);
      keep_rate_block(fit.report);
      // s exactly 1e12 (not exp(ln 1e12)), β from it: what the model file holds.
      const double mu = std::exp(limit->x[2]);
      fit.params = {std::exp(limit->x[0]), std::exp(limit->x[1]), limit_s, limit_s / mu};
      fit.r = e[0];
      fit.alpha = e[1];
      fit.s = estimate_without_error(0);
      fit.s.value = limit_s;
      fit.beta = estimate_without_error(0);
      fit.beta.value = fit.params.beta;
      fit.report.degenerate = degenerate_text(e[2]);
      fit.report.converged = true;
      fit.report.evaluations = minimum->evaluations + limit->evaluations;
      fit.report.log_likelihood = -limit->value * customers;
      fit.report.customers = static_cast<std::uint64_t>(std::llround(customers));
      fit.report.unique_tuples = tuples.size();
      fit.report.status = limit->status;
      return fit;
    }
    if (!minimum->converged)
      return error{"", "the Pareto/NBD fit did not converge: " + minimum->status};
  }
  static constexpr std::array<const char*, 4> names{"r", "alpha", "s", "beta"};
  for (std::size_t i = 0; i < 4; ++i)
    if (std::abs(v[i]) > 25)
      return error{names[i], std::string("the Pareto/NBD fit has no interior maximum: ") +
                                 names[i] + " ran off to " + format_shortest(std::exp(v[i])) +
                                 " (the data do not identify the model)"};

  // Of the total negative log-likelihood, by differences of the exact gradient.
  // Where the fit kept its gradient (large data), forward differences from it
  // take half the evaluations.
  hessian = minimum->gradient.empty() ? detail::hessian(objective, v)
                                      : detail::hessian(objective, v, minimum->gradient);
  for (double& e : hessian) e *= customers;
  const std::vector<parameter_estimate> e = detail::estimates_from_hessian(v, hessian, fit.report);
  fit.params = from_log(v);
  fit.r = e[0];
  fit.alpha = e[1];
  fit.s = e[2];
  fit.beta = e[3];
  fit.report.converged = true;
  fit.report.evaluations = minimum->evaluations;
  fit.report.log_likelihood = -(minimum->value - penalty_of.value(v)) * customers;
  fit.report.penalty = penalty.coefficient;
  fit.report.customers = static_cast<std::uint64_t>(std::llround(customers));
  fit.report.unique_tuples = tuples.size();
  fit.report.status = minimum->status;
  return fit;
}

result<double> log_likelihood(const pareto_nbd_params& params, std::span<const rfm_tuple> rows) {
  auto p = check_params(params);
  if (!p) return std::move(p).error();
  auto tuples = compress_rfm(rows);
  if (!tuples) return std::move(tuples).error();
  const double ll = detail::pareto_nbd_data(*tuples).log_likelihood(params, {});
  if (!std::isfinite(ll)) return error{"", "the log-likelihood is not finite at these parameters"};
  return ll;
}

namespace {

// E[purchases in (T, T+t] | alive at T] = (r+x)(β+T) / ((α+T)(s−1)) ·
// [1 − ((β+T)/(β+T+t))^(s−1)] (Fader & Hardie 2005, eq. 41 without P(alive));
// the bracket over (s−1) is −expm1(−(s−1) ln(1 + t/(β+T))) / (s−1), whose
// limit at s = 1 is ln(1 + t/(β+T)).
double expected_if_alive(const pareto_nbd_params& p, double x, double T, double t) {
  const double growth = std::log1p(t / (p.beta + T));
  const double s1 = p.s - 1;
  const double bracket = std::abs(s1) < 1e-10 ? growth : -std::expm1(-s1 * growth) / s1;
  return (p.r + x) * (p.beta + T) / (p.alpha + T) * bracket;
}

result<rfm_tuple> check_customer(const rfm_tuple& c) {
  return check_rfm_tuple({c.x, c.t_x, c.T, 1});
}

result<double> check_time(double t) {
  if (!(std::isfinite(t) && t >= 0))
    return error{"t", "t must be a non-negative number, got " + format_shortest(t)};
  return t;
}

// The first error of a prediction's inputs: parameters, history, time.
std::optional<error> bad_prediction(const pareto_nbd_params& params, const rfm_tuple& customer,
                                    double t) {
  if (auto p = check_params(params); !p) return std::move(p).error();
  if (auto c = check_customer(customer); !c) return std::move(c).error();
  if (auto tt = check_time(t); !tt) return std::move(tt).error();
  return std::nullopt;
}

double alive(const pareto_nbd_params& p, const rfm_tuple& c) {
  const double odds = detail::pareto_nbd_log_dead_odds(p, c);
  return odds > 0 ? std::exp(-odds) / (1 + std::exp(-odds)) : 1 / (1 + std::exp(odds));
}

// P(X(t) = n) for n = 0..n_max of a customer alive at time 0 whose purchase
// rate is Gamma(r, α) and dropout rate Gamma(s, β): a new customer, or, with
// r+x, α+T, s, β+T, one known to be alive at T (her posterior; the future of
// an exponential lifetime does not depend on its past). She is alive at t
// with chance (β/(β+t))^s and has bought NB(n; r, α/(α+t)) times; or she
// dropped out at τ < t (density s/β (β/(β+τ))^(s+1)) having bought
// NB(n; r, α/(α+τ)) times:
//   P(n) = NB(n; t) (β/(β+t))^s + ∫_0^t NB(n; τ) s/β (β/(β+τ))^(s+1) dτ.
// The integral is summed by Gauss–Legendre panels in u = ln(1 + τ/α), where
// NB(n; τ) = C(n) e^(−ru) (1 − e^(−u))^n is a smooth bump at any n, with
// twice the panels until no probability moves by more than 1e-12 of itself
// (Fader & Hardie's closed form needs a 2F1 sum per n instead).
std::vector<double> pmf_from_start(double r, double alpha, double s, double beta, double t,
                                   int n_max) {
  const auto count = static_cast<std::size_t>(n_max) + 1;
  std::vector<double> pmf(count, 0.0);
  if (t == 0) {
    pmf[0] = 1;
    return pmf;
  }
  // NB(n; τ) from NB(0; τ) by NB(n+1) = NB(n) (r+n)/(n+1) z, z = τ/(α+τ).
  const auto add_counts = [&](double weight, double log_p0, double z, std::vector<double>& out) {
    double term = weight * std::exp(r * log_p0);
    for (std::size_t n = 0; n < count; ++n) {
      out[n] += term;
      term *= (r + static_cast<double>(n)) / static_cast<double>(n + 1) * z;
    }
  };
  const double u_end = std::log1p(t / alpha);
  static const detail::gauss_legendre<16> rule;
  const auto dead_part = [&](int panels) {
    std::vector<double> out(count, 0.0);
    const double h = u_end / panels;
    for (int k = 0; k < panels; ++k) {
      for (std::size_t i = 0; i < rule.node.size(); ++i) {
        const double u = h * (k + 0.5 * (1 + rule.node[i]));
        const double tau = alpha * std::expm1(u);
        // s/β (β/(β+τ))^(s+1) dτ/du, dτ/du = α + τ
        const double log_weight =
            std::log(s / beta) - (s + 1) * std::log1p(tau / beta) + std::log(alpha + tau);
        add_counts(0.5 * h * rule.weight[i] * std::exp(log_weight), -u, -std::expm1(-u), out);
      }
    }
    return out;
  };
  int panels = std::max(2, static_cast<int>(std::ceil(2 * u_end)));
  std::vector<double> dead = dead_part(panels);
  for (int round = 0; round < 12; ++round) {
    panels *= 2;
    std::vector<double> finer = dead_part(panels);
    bool settled = true;
    for (std::size_t n = 0; n < count && settled; ++n)
      settled = std::abs(finer[n] - dead[n]) <= 1e-12 * finer[n] + 1e-300;
    dead = std::move(finer);
    if (settled) break;
  }
  add_counts(std::exp(-s * std::log1p(t / beta)), -u_end, t / (alpha + t), pmf);
  for (std::size_t n = 0; n < count; ++n) pmf[n] = std::min(1.0, pmf[n] + dead[n]);
  return pmf;
}

std::optional<error> bad_count(int n) {
  if (n < 0) return error{"n", "n must be a non-negative integer, got " + std::to_string(n)};
  return std::nullopt;
}

}  // namespace

result<double> expected_purchases(const pareto_nbd_params& params, double t) {
  auto p = check_params(params);
  if (!p) return std::move(p).error();
  auto tt = check_time(t);
  if (!tt) return std::move(tt).error();
  return expected_if_alive(params, 0, 0, t);  // a new customer is alive
}

result<double> conditional_expected_purchases(const pareto_nbd_params& params,
                                              const rfm_tuple& customer, double t) {
  if (auto e = bad_prediction(params, customer, t)) return std::move(*e);
  return alive(params, customer) * expected_if_alive(params, customer.x, customer.T, t);
}

result<double> probability_alive(const pareto_nbd_params& params, const rfm_tuple& customer) {
  auto p = check_params(params);
  if (!p) return std::move(p).error();
  auto c = check_customer(customer);
  if (!c) return std::move(c).error();
  return alive(params, customer);
}

result<std::vector<double>> expected_purchases_by_period_if_alive(const pareto_nbd_params& params,
                                                                  double x, double T, int periods,
                                                                  double period_length) {
  auto p = check_params(params);
  if (!p) return std::move(p).error();
  auto c = check_customer({x, x > 0 ? T : 0, T, 1});
  if (!c) return std::move(c).error();
  if (auto e = detail::bad_period_stream(periods, period_length)) return std::move(*e);
  std::vector<double> out;
  out.reserve(static_cast<std::size_t>(periods));
  double previous = 0;
  for (int k = 1; k <= periods; ++k) {
    const double e = expected_if_alive(params, x, T, k * period_length);
    out.push_back(std::max(0.0, e - previous));  // rounding noise below 0 is 0
    previous = e;
  }
  return out;
}

result<std::vector<double>> expected_purchases_by_period(const pareto_nbd_params& params,
                                                         const rfm_tuple& customer, int periods,
                                                         double period_length) {
  return detail::alive_weighted_stream(params, customer, periods, period_length);
}

result<std::vector<double>> probabilities_of_purchases(const pareto_nbd_params& params, double t,
                                                       int n_max) {
  auto p = check_params(params);
  if (!p) return std::move(p).error();
  auto tt = check_time(t);
  if (!tt) return std::move(tt).error();
  if (auto e = bad_count(n_max)) return std::move(*e);
  return pmf_from_start(params.r, params.alpha, params.s, params.beta, t, n_max);
}

result<double> probability_of_purchases(const pareto_nbd_params& params, double t, int n) {
  auto pmf = probabilities_of_purchases(params, t, n);
  if (!pmf) return std::move(pmf).error();
  return pmf->back();
}

result<std::vector<double>> conditional_probabilities_of_purchases(const pareto_nbd_params& params,
                                                                   const rfm_tuple& customer,
                                                                   double t, int n_max) {
  if (auto e = bad_prediction(params, customer, t)) return std::move(*e);
  if (auto e = bad_count(n_max)) return std::move(*e);
  const double alive_now = alive(params, customer);
  std::vector<double> pmf = pmf_from_start(params.r + customer.x, params.alpha + customer.T,
                                           params.s, params.beta + customer.T, t, n_max);
  for (double& v : pmf) v *= alive_now;
  pmf[0] += 1 - alive_now;  // dead at T: no purchase
  return pmf;
}

result<double> conditional_probability_of_purchases(const pareto_nbd_params& params,
                                                    const rfm_tuple& customer, double t, int n) {
  auto pmf = conditional_probabilities_of_purchases(params, customer, t, n);
  if (!pmf) return std::move(pmf).error();
  return pmf->back();
}

}  // namespace cltv::models
