#include "cltv/models/bgbb.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cltv/number.hpp"
#include "models/alive_stream.hpp"
#include "models/optimize.hpp"
#include "models/special.hpp"

namespace cltv::models {
namespace {

// Boost.Math's, with the library's error policy: thread-safe (the bootstrap
// refits on threads; std::lgamma writes signgam) and without exceptions.
using detail::digamma;
using detail::log_beta;
using detail::log_gamma;

std::optional<error> bad_params(const bgbb_params& p) {
  return detail::nonpositive_parameter(
      {{"alpha", p.alpha}, {"beta", p.beta}, {"gamma", p.gamma}, {"delta", p.delta}});
}

bool whole(double v) {
  return std::isfinite(v) && v == std::floor(v);
}

// What the likelihood of every history shares at one (α, β, γ, δ): computed
// once per evaluation, not once per history.
struct shared_terms {
  explicit shared_terms(const bgbb_params& p, bool with_gradient)
      : base_ab(log_beta(p.alpha, p.beta)), base_gd(log_beta(p.gamma, p.delta)) {
    if (!with_gradient) return;
    const double ab = digamma(p.alpha + p.beta), gd = digamma(p.gamma + p.delta);
    base_grad[0] = ab - digamma(p.alpha);
    base_grad[1] = ab - digamma(p.beta);
    base_grad[2] = gd - digamma(p.gamma);
    base_grad[3] = gd - digamma(p.delta);
    digamma_gamma1 = digamma(p.gamma + 1);
    digamma_gamma = digamma(p.gamma);
  }
  double base_ab, base_gd;
  double base_grad[4] = {0, 0, 0, 0};  // ψ(α+β) − ψ(α), …, ψ(γ+δ) − ψ(δ)
  double digamma_gamma1 = 0, digamma_gamma = 0;
};

// ln L of one history, and (when g) its gradient in (α, β, γ, δ). L is a sum
// of terms: term 0, alive through all n opportunities,
//   B(α + x, β + n − x)/B(α, β) · B(γ, δ + n)/B(γ, δ);
// term 1 + i (i = 0 … n − t_x − 1), dead after opportunity t_x + i,
//   B(α + x, β + t_x − x + i)/B(α, β) · B(γ + 1, δ + t_x + i)/B(γ, δ).
// Along i the Betas and digammas step by recurrences (B(a, b + 1) = B(a, b) ·
// b/(a + b); ψ(z + 1) = ψ(z) + 1/z), so a history costs a few special
// functions however long it is, and its dead terms a few multiplications each. The gradient of ln L
// is the terms' gradients weighted by their shares of L.
double history_log_likelihood(const bgbb_params& p, const shared_terms& s, const bgbb_tuple& c,
                              double* g) {
  const int extra = static_cast<int>(c.n - c.t_x);
  const double a = p.alpha + c.x;
  const double b0 = p.beta + c.t_x - c.x;  // β + m at i = 0
  const double d0 = p.delta + c.t_x;       // δ + t_x at i = 0
  const double alive =
      log_beta(a, p.beta + c.n - c.x) - s.base_ab + log_beta(p.gamma, p.delta + c.n) - s.base_gd;
  // The dead terms relative to the first, e^(lᵢ − l₀) = Πₖ<ᵢ rₖ: each ratio
  // rₖ < 1, so they fall and cannot overflow (nor matter where they underflow).
  const auto ratio = [&](int i) {
    return (b0 + i) / (a + b0 + i) * ((d0 + i) / (p.gamma + 1 + d0 + i));
  };
  double first = 0, tail = 0;
  if (extra > 0) {
    first = log_beta(a, b0) - s.base_ab + log_beta(p.gamma + 1, d0) - s.base_gd;
    double term = 1;
    for (int i = 0; i < extra; ++i) {
      tail += term;
      term *= ratio(i);
    }
  }
  double ll = alive;
  if (extra > 0) {
    const double dead = first + std::log(tail);
    ll = std::max(alive, dead) + std::log1p(std::exp(-std::abs(alive - dead)));
  }
  if (g) {
    const double psi_a = digamma(a);
    // Term 0.
    const double share0 = std::exp(alive - ll);
    const double s_ab0 = digamma(a + p.beta + c.n - c.x);
    const double s_gd0 = digamma(p.gamma + p.delta + c.n);
    g[0] = share0 * (psi_a - s_ab0 + s.base_grad[0]);
    g[1] = share0 * (digamma(p.beta + c.n - c.x) - s_ab0 + s.base_grad[1]);
    g[2] = share0 * (s.digamma_gamma - s_gd0 + s.base_grad[2]);
    g[3] = share0 * (digamma(p.delta + c.n) - s_gd0 + s.base_grad[3]);
    if (extra > 0) {
      double psi_b = digamma(b0), psi_ab = digamma(a + b0);
      double psi_d = digamma(d0), psi_gd = digamma(p.gamma + 1 + d0);
      double share = std::exp(first - ll);
      for (int i = 0; i < extra; ++i) {
        g[0] += share * (psi_a - psi_ab + s.base_grad[0]);
        g[1] += share * (psi_b - psi_ab + s.base_grad[1]);
        g[2] += share * (s.digamma_gamma1 - psi_gd + s.base_grad[2]);
        g[3] += share * (psi_d - psi_gd + s.base_grad[3]);
        psi_b += 1 / (b0 + i);
        psi_ab += 1 / (a + b0 + i);
        psi_d += 1 / (d0 + i);
        psi_gd += 1 / (p.gamma + 1 + d0 + i);
        share *= ratio(i);
      }
    }
  }
  return ll;
}

double history_log_likelihood(const bgbb_params& p, const bgbb_tuple& c, double* g) {
  return history_log_likelihood(p, shared_terms(p, g != nullptr), c, g);
}

/// E[Σ_{t=1..k} (1 − θ)^t] for θ ~ Beta(γ, d0): the opportunities a customer
/// alive now survives among the next k, Σ_t B(γ, d0 + t) / B(γ, d0)
/// (the bracket of FHS 2010 eq. 7, with its limit at γ = 1).
double expected_survivals(double gamma, double d0, double k) {
  if (k == 0) return 0;
  if (std::abs(gamma - 1) < 1e-8)
    return d0 * (digamma(d0 + k + 1) - digamma(d0 + 1));  // Σ d0 / (d0 + t)
  const double ratio = std::exp(log_gamma(gamma + d0) + log_gamma(1 + d0 + k) -
                                log_gamma(gamma + d0 + k) - log_gamma(1 + d0));
  return d0 / (gamma - 1) * (1 - ratio);
}

/// The posterior weight of "alive after opportunity n" (its share of L).
double weight_alive_after_n(const bgbb_params& p, const bgbb_tuple& c) {
  return std::exp(log_beta(p.alpha + c.x, p.beta + c.n - c.x) - log_beta(p.alpha, p.beta) +
                  log_beta(p.gamma, p.delta + c.n) - log_beta(p.gamma, p.delta) -
                  history_log_likelihood(p, c, nullptr));
}

/// P(X(n) = x) for x = 0 … min(n, x_max) (FHS 2010 eq. 8).
std::vector<double> new_customer_pmf(const bgbb_params& p, int n, int x_max) {
  const double base_ab = log_beta(p.alpha, p.beta);
  const double base_gd = log_beta(p.gamma, p.delta);
  const auto log_choose = [](double m, double k) {
    return log_gamma(m + 1) - log_gamma(k + 1) - log_gamma(m - k + 1);
  };
  const double nn = n;
  std::vector<double> out(static_cast<std::size_t>(std::min(n, x_max)) + 1);
  for (std::size_t xi = 0; xi < out.size(); ++xi) {
    const double x = static_cast<double>(xi);
    // Alive through all n opportunities, x transactions among them …
    double sum = std::exp(log_choose(nn, x) + log_beta(p.alpha + x, p.beta + nn - x) - base_ab +
                          log_beta(p.gamma, p.delta + nn) - base_gd);
    // … or dead after opportunity i (x ≤ i < n), x transactions among the first i.
    for (int i = static_cast<int>(xi); i < n; ++i) {
      const double di = i;
      sum += std::exp(log_choose(di, x) + log_beta(p.alpha + x, p.beta + di - x) - base_ab +
                      log_beta(p.gamma + 1, p.delta + di) - base_gd);
    }
    out[xi] = sum;
  }
  return out;
}

/// A horizon in opportunities: a whole number >= 0 (field "horizon").
result<int> whole_opportunities(double t) {
  if (!(whole(t) && t >= 0 && t <= 1e7))
    return error{"horizon",
                 "BG/BB counts whole opportunities: the horizon must be a whole number from 0 to "
                 "1e7, got " +
                     format_shortest(t)};
  return static_cast<int>(t);
}

/// `probabilities` (elements 0 … n) as elements 0 … n_max: cut, or padded with 0.
std::vector<double> resized(std::vector<double> probabilities, int n_max) {
  probabilities.resize(static_cast<std::size_t>(n_max) + 1, 0.0);
  return probabilities;
}

}  // namespace

result<bgbb_tuple> check_bgbb_tuple(const bgbb_tuple& row, std::size_t row_number) {
  const std::string at = row_number ? " of row " + std::to_string(row_number) : std::string();
  if (!(whole(row.n) && row.n >= 0))
    return error{"periods",
                 "periods" + at + " must be a whole number >= 0, got " + format_shortest(row.n)};
  if (!(whole(row.x) && row.x >= 0 && row.x <= row.n))
    return error{"frequency", "frequency" + at + " must be a whole number from 0 to periods (" +
                                  format_shortest(row.n) + "), got " + format_shortest(row.x)};
  if (!(whole(row.t_x) && row.t_x >= row.x && row.t_x <= row.n && (row.x > 0 || row.t_x == 0)))
    return error{"recency", "recency" + at +
                                " must be a whole number from frequency to periods (0 when "
                                "frequency is 0), got " +
                                format_shortest(row.t_x)};
  if (!(std::isfinite(row.count) && row.count > 0))
    return error{"count",
                 "count" + at + " must be a positive number, got " + format_shortest(row.count)};
  return row;
}

result<double> bgbb_log_likelihood(const bgbb_params& params, std::span<const bgbb_tuple> rows,
                                   std::span<double> gradient) {
  if (auto e = bad_params(params)) return *e;
  if (!gradient.empty() && gradient.size() != 4)
    return error{"gradient", "the gradient needs 4 elements"};
  double ll = 0;
  double total[4] = {0, 0, 0, 0};
  std::size_t number = 0;
  const shared_terms shared(params, !gradient.empty());
  for (const bgbb_tuple& row : rows) {
    auto checked = check_bgbb_tuple(row, ++number);
    if (!checked) return std::move(checked).error();
    double g[4] = {0, 0, 0, 0};
    ll += row.count * history_log_likelihood(params, shared, row, gradient.empty() ? nullptr : g);
    if (!gradient.empty())
      for (int k = 0; k < 4; ++k) total[k] += row.count * g[k];
  }
  if (!gradient.empty()) std::copy(total, total + 4, gradient.begin());
  return ll;
}

result<bgbb_fit> fit_bgbb(std::span<const bgbb_tuple> rows) {
  double customers = 0;
  std::size_t number = 0;
  for (const bgbb_tuple& row : rows) {
    auto checked = check_bgbb_tuple(row, ++number);
    if (!checked) return std::move(checked).error();
    customers += row.count;
  }
  if (customers == 0) return error{"frequency", "no customers to fit"};
  const detail::objective objective = [&](std::span<const double> x, std::span<double> gradient) {
    for (const double v : x)
      if (!(std::abs(v) < 30)) {
        std::fill(gradient.begin(), gradient.end(), 0.0);
        return 1e300;
      }
    const bgbb_params p{std::exp(x[0]), std::exp(x[1]), std::exp(x[2]), std::exp(x[3])};
    double g[4] = {0, 0, 0, 0};
    double ll = 0;
    const shared_terms shared(p, !gradient.empty());
    for (const bgbb_tuple& row : rows) {
      double gr[4] = {0, 0, 0, 0};
      ll += row.count * history_log_likelihood(p, shared, row, gradient.empty() ? nullptr : gr);
      if (!gradient.empty())
        for (int k = 0; k < 4; ++k) g[k] += row.count * gr[k];
    }
    if (!gradient.empty()) {
      const double theta[4] = {p.alpha, p.beta, p.gamma, p.delta};
      for (int k = 0; k < 4; ++k)
        gradient[static_cast<std::size_t>(k)] = -g[k] * theta[k] / customers;
    }
    return -ll / customers;
  };
  auto minimum = detail::minimize(objective, {0.0, 0.0, 0.0, 0.0});
  if (!minimum) return error{"", "the BG/BB fit failed: " + minimum.error().message};
  if (!minimum->converged) return error{"", "the BG/BB fit did not converge: " + minimum->status};
  const std::vector<double>& x = minimum->x;
  std::vector<double> h = detail::hessian(objective, x);
  std::transform(h.begin(), h.end(), h.begin(), [customers](double e) { return e * customers; });
  bgbb_fit fit;
  fit.estimates = detail::estimates_from_hessian(x, h, fit.report);
  fit.params = {std::exp(x[0]), std::exp(x[1]), std::exp(x[2]), std::exp(x[3])};
  fit.report.converged = true;
  fit.report.evaluations = minimum->evaluations;
  fit.report.log_likelihood = -minimum->value * customers;
  fit.report.customers = static_cast<std::uint64_t>(customers);
  fit.report.unique_tuples = rows.size();
  fit.report.status = minimum->status;
  return fit;
}

result<double> bgbb_probability_alive(const bgbb_params& p, const bgbb_tuple& c) {
  if (auto e = bad_params(p)) return *e;
  auto checked = check_bgbb_tuple(c);
  if (!checked) return std::move(checked).error();
  const double ll = history_log_likelihood(p, c, nullptr);
  return std::exp(log_beta(p.alpha + c.x, p.beta + c.n - c.x) - log_beta(p.alpha, p.beta) +
                  log_beta(p.gamma, p.delta + c.n + 1) - log_beta(p.gamma, p.delta) - ll);
}

result<double> bgbb_expected_transactions(const bgbb_params& p, double n) {
  if (auto e = bad_params(p)) return *e;
  if (!(n >= 0 && std::isfinite(n)))
    return error{"periods", "opportunities must be a number >= 0, got " + format_shortest(n)};
  return p.alpha / (p.alpha + p.beta) * expected_survivals(p.gamma, p.delta, n);
}

result<double> bgbb_conditional_expected_transactions(const bgbb_params& p, const bgbb_tuple& c,
                                                      double future) {
  if (auto e = bad_params(p)) return *e;
  auto checked = check_bgbb_tuple(c);
  if (!checked) return std::move(checked).error();
  if (!(future >= 0 && std::isfinite(future)))
    return error{"periods",
                 "future opportunities must be a number >= 0, got " + format_shortest(future)};
  // Alive after n, she transacts as a new customer with α + x, β + n − x, γ, δ + n.
  return weight_alive_after_n(p, c) * (p.alpha + c.x) / (p.alpha + p.beta + c.n) *
         expected_survivals(p.gamma, p.delta + c.n, future);
}

result<std::vector<double>> bgbb_probabilities_of_transactions(const bgbb_params& p, int n) {
  if (auto e = bad_params(p)) return *e;
  if (n < 0 || n > 100000)
    return error{"periods",
                 "opportunities must be a whole number from 0 to 100000, got " + std::to_string(n)};
  return new_customer_pmf(p, n, n);
}

result<double> bgbb_discounted_expected_residual_transactions(const bgbb_params& p,
                                                              const bgbb_tuple& c, double d) {
  if (auto e = bad_params(p)) return *e;
  auto checked = check_bgbb_tuple(c);
  if (!checked) return std::move(checked).error();
  if (!(d > 0 && std::isfinite(d)))
    return error{"discount_rate",
                 "the discount rate must be a number > 0, got " + format_shortest(d)};
  // ₂F₁(1, b; c; z) with b = δ + n + 1, c = γ + δ + n + 1, z = 1/(1 + d) < 1:
  // Σₖ (b)ₖ/(c)ₖ zᵏ, whose terms shrink at least geometrically once b + k < c + k.
  const double b = p.delta + c.n + 1;
  const double cc = p.gamma + p.delta + c.n + 1;
  const double z = 1 / (1 + d);
  double term = 1;
  double series = 1;
  for (int k = 0; k < 1000000; ++k) {
    term *= (b + k) / (cc + k) * z;
    series += term;
    if (term < 1e-17 * series) break;
  }
  const double ll = history_log_likelihood(p, c, nullptr);
  return std::exp(log_beta(p.alpha + c.x + 1, p.beta + c.n - c.x) - log_beta(p.alpha, p.beta) +
                  log_beta(p.gamma, p.delta + c.n + 1) - log_beta(p.gamma, p.delta) - ll) /
         (1 + d) * series;
}

result<double> probability_alive(const bgbb_params& params, const rfm_tuple& customer) {
  return bgbb_probability_alive(params, bgbb_tuple_of(customer));
}

result<double> conditional_expected_purchases(const bgbb_params& params, const rfm_tuple& customer,
                                              double t) {
  auto future = whole_opportunities(t);
  if (!future) return std::move(future).error();
  return bgbb_conditional_expected_transactions(params, bgbb_tuple_of(customer), t);
}

result<double> expected_purchases(const bgbb_params& params, double t) {
  auto n = whole_opportunities(t);
  if (!n) return std::move(n).error();
  return bgbb_expected_transactions(params, t);
}

namespace {

std::optional<error> bad_count_request(int n_max) {
  if (n_max < 0)
    return error{"n", "n must be a non-negative integer, got " + std::to_string(n_max)};
  return std::nullopt;
}

}  // namespace

result<std::vector<double>> probabilities_of_purchases(const bgbb_params& params, double t,
                                                       int n_max) {
  if (auto e = bad_params(params)) return *e;
  if (auto e = bad_count_request(n_max)) return *e;
  auto n = whole_opportunities(t);
  if (!n) return std::move(n).error();
  return resized(new_customer_pmf(params, *n, n_max), n_max);
}

result<std::vector<double>> conditional_probabilities_of_purchases(const bgbb_params& params,
                                                                   const rfm_tuple& customer,
                                                                   double t, int n_max) {
  if (auto e = bad_params(params)) return *e;
  if (auto e = bad_count_request(n_max)) return *e;
  auto future = whole_opportunities(t);
  if (!future) return std::move(future).error();
  const bgbb_tuple c = bgbb_tuple_of(customer);
  auto checked = check_bgbb_tuple(c);
  if (!checked) return std::move(checked).error();
  const double alive = weight_alive_after_n(params, c);
  const bgbb_params updated{params.alpha + c.x, params.beta + c.n - c.x, params.gamma,
                            params.delta + c.n};
  std::vector<double> pmf = resized(new_customer_pmf(updated, *future, n_max), n_max);
  for (double& v : pmf) v *= alive;
  pmf[0] += 1 - alive;
  return pmf;
}

result<std::vector<double>> expected_purchases_by_period_if_alive(const bgbb_params& params,
                                                                  double x, double T, int periods,
                                                                  double period_length) {
  if (auto e = bad_params(params)) return *e;
  if (auto e = detail::bad_period_stream(periods, period_length)) return *e;
  const bgbb_tuple c{x, x, T, 1};  // t_x does not matter given alive
  if (auto checked = check_bgbb_tuple(c); !checked) return std::move(checked).error();
  // The last opportunity a period holds: ⌊(k + 1)·L⌋, forgiving the rounding
  // of L = 30.4375 / 365.25 and the like.
  const auto last_in = [&](int k) {
    const double end = (k + 1) * period_length;
    return std::floor(end * (1 + 1e-12) + 1e-12);
  };
  if (periods > 0 && last_in(periods - 1) > 1e7)
    return error{"periods", "BG/BB: at most 1e7 future opportunities, got " +
                                format_shortest(last_in(periods - 1))};
  // Alive at opportunity n + 1: p ~ Beta(α + x, β + n − x), θ ~ Beta(γ, δ + n + 1);
  // she transacts at opportunity n + j with E[p] · E[(1 − θ)^(j − 1)].
  const double mean_p = (params.alpha + x) / (params.alpha + params.beta + T);
  const double d0 = params.delta + T + 1;
  std::vector<double> out(static_cast<std::size_t>(periods), 0.0);
  double survive = 1;  // E[(1 − θ)^(j − 1)]
  std::int64_t j = 1;
  for (int k = 0; k < periods; ++k) {
    for (const auto last = static_cast<std::int64_t>(last_in(k)); j <= last; ++j) {
      out[static_cast<std::size_t>(k)] += mean_p * survive;
      const double opportunity = static_cast<double>(j);
      survive *= (d0 + opportunity - 1) / (params.gamma + d0 + opportunity - 1);
    }
  }
  return out;
}

result<std::vector<double>> expected_purchases_by_period(const bgbb_params& params,
                                                         const rfm_tuple& customer, int periods,
                                                         double period_length) {
  return detail::alive_weighted_stream(params, customer, periods, period_length);
}

result<double> discounted_expected_residual_purchases(const bgbb_params& params,
                                                      const rfm_tuple& customer, double delta) {
  if (!(delta > 0 && std::isfinite(delta)))
    return error{"discount_rate",
                 "the continuous discount rate must be > 0, got " + format_shortest(delta)};
  return bgbb_discounted_expected_residual_transactions(params, bgbb_tuple_of(customer),
                                                        std::expm1(delta));
}

}  // namespace cltv::models
