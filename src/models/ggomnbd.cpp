#include "cltv/models/ggomnbd.hpp"

#include <boost/math/quadrature/gauss_kronrod.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "cltv/models/pareto_nbd.hpp"
#include "cltv/number.hpp"
#include "models/alive_stream.hpp"
#include "models/optimize.hpp"
#include "models/quadrature_rules.hpp"
#include "models/special.hpp"

namespace cltv::models {
namespace {

constexpr std::size_t rule_nodes = 16;

// The fixed rule for the death integral, with its weights' logarithms.
struct fixed_rule {
  std::array<double, rule_nodes> node{};
  std::array<double, rule_nodes> log_weight{};
};

const fixed_rule& death_rule() {
  static const fixed_rule rule = [] {
    const detail::gauss_legendre<rule_nodes> legendre;
    fixed_rule r{legendre.node, {}};
    for (std::size_t i = 0; i < rule_nodes; ++i) r.log_weight[i] = std::log(legendre.weight[i]);
    return r;
  }();
  return rule;
}

std::optional<error> bad_params(const ggomnbd_params& p) {
  return detail::nonpositive_parameter(
      {{"r", p.r}, {"alpha", p.alpha}, {"b", p.b}, {"s", p.s}, {"beta", p.beta}});
}

// ln of the density of death at τ times the purchases' part, without the
// constant Γ(r+x)α^r/Γ(r): ln[s b β^s e^{bτ} (β + e^{bτ} − 1)^{−(s+1)} (α + τ)^{−(r+x)}].
double log_death_term(const ggomnbd_params& p, double rx, double tau) {
  return std::log(p.s) + std::log(p.b) + p.s * std::log(p.beta) + p.b * tau -
         (p.s + 1) * std::log(p.beta + std::expm1(p.b * tau)) - rx * std::log(p.alpha + tau);
}

// ln of the alive-at-T term: (β / (β + e^{bT} − 1))^s (α + T)^{−(r+x)}.
double log_alive_term(const ggomnbd_params& p, double rx, double T) {
  return p.s * (std::log(p.beta) - std::log(p.beta + std::expm1(p.b * T))) -
         rx * std::log(p.alpha + T);
}

struct history_value {
  double log_likelihood = 0;
  double alive_share = 0;  // P(alive at T | history)
};

// One history's ln L and (when g) its gradient in (r, α, b, s, β): L is the
// constant times [alive term + ∫_{t_x}^{T} death term dτ], the integral by the
// fixed rule; every term scaled by the largest, so none overflows.
history_value history(const ggomnbd_params& p, const rfm_tuple& c, double* g) {
  const double rx = p.r + c.x;
  const double alive = log_alive_term(p, rx, c.T);
  const auto& rule = death_rule();
  // Panels of the rule: more where the integrand bends more over [t_x, T],
  // through the Gompertz hazard's growth e^{bτ}, the dropout mixture's factor
  // (β + e^{bτ} − 1)^{−(s+1)} (near the Pareto/NBD limit, (β/b + τ)^{−(s+1)})
  // or the purchases' factor (α + τ)^{−(r+x)}: how much each one's logarithm
  // changes over the interval.
  const double length = c.T - c.t_x;
  const bool dies = length > 0;
  std::size_t panels = 1;
  if (dies) {
    const double mixture_change =
        std::log((p.beta + std::expm1(p.b * c.T)) / (p.beta + std::expm1(p.b * c.t_x)));
    const double bend =
        p.b * length +
        ((p.s + 1) * mixture_change + rx * std::log1p(length / (p.alpha + c.t_x))) / 4;
    panels = static_cast<std::size_t>(std::clamp(std::ceil(bend), 1.0, 32.0));
  }
  // Per node: τ, e^{bτ} − 1, ln(α + τ), ln(β + e^{bτ} − 1), and then the
  // term's ln and its scaled value; the gradient reuses them all (the
  // transcendental functions are the cost of a fit).
  struct node {
    double tau, e, log_purchases, log_hazard, log_term;
  };
  thread_local std::vector<node> nodes;
  thread_local std::vector<double> scaled;
  nodes.resize(dies ? panels * rule_nodes : 0);
  const double half = length / 2 / static_cast<double>(panels);
  // The parts of ln(death term) that do not depend on τ, and the rule's weights.
  const double log_constant =
      std::log(p.s) + std::log(p.b) + p.s * std::log(p.beta) + std::log(half);
  double top = alive;
  for (std::size_t k = 0; k < panels && dies; ++k) {
    const double mid = c.t_x + (2 * static_cast<double>(k) + 1) * half;
    for (std::size_t i = 0; i < rule_nodes; ++i) {
      node& n = nodes[k * rule_nodes + i];
      n.tau = mid + half * rule.node[i];
      n.e = std::expm1(p.b * n.tau);
      n.log_purchases = std::log(p.alpha + n.tau);
      n.log_hazard = std::log(p.beta + n.e);
      n.log_term = log_constant + rule.log_weight[i] + p.b * n.tau - (p.s + 1) * n.log_hazard -
                   rx * n.log_purchases;
      top = std::max(top, n.log_term);
    }
  }
  const double alive_scaled = std::exp(alive - top);
  double sum = alive_scaled;
  scaled.resize(nodes.size());
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    scaled[i] = std::exp(nodes[i].log_term - top);
    sum += scaled[i];
  }
  const double constant = detail::log_gamma(rx) - detail::log_gamma(p.r) + p.r * std::log(p.alpha);
  history_value out{constant + top + std::log(sum), alive_scaled / sum};
  if (g) {
    const double eT = std::expm1(p.b * c.T);
    const double log_beta = std::log(p.beta);
    // ∂ ln(alive term), in the order r, α, b, s, β.
    const std::array<double, 5> d_alive{
        -std::log(p.alpha + c.T), -rx / (p.alpha + c.T), -p.s * c.T * (eT + 1) / (p.beta + eT),
        log_beta - std::log(p.beta + eT), p.s / p.beta - p.s / (p.beta + eT)};
    std::array<double, 5> d{};
    for (std::size_t k = 0; k < 5; ++k) d[k] = out.alive_share * d_alive[k];
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      const node& n = nodes[i];
      const double share = scaled[i] / sum;
      const double inverse_hazard = 1 / (p.beta + n.e);
      d[0] -= share * n.log_purchases;
      d[1] -= share * rx / (p.alpha + n.tau);
      d[2] += share * (1 / p.b + n.tau - (p.s + 1) * n.tau * (n.e + 1) * inverse_hazard);
      d[3] += share * (1 / p.s + log_beta - n.log_hazard);
      d[4] += share * (p.s / p.beta - (p.s + 1) * inverse_hazard);
    }
    g[0] = detail::digamma(rx) - detail::digamma(p.r) + std::log(p.alpha) + d[0];
    g[1] = p.r / p.alpha + d[1];
    g[2] = d[2];
    g[3] = d[3];
    g[4] = d[4];
  }
  return out;
}

// ∫_from^to of the survival of a customer alive at T, E_η[P(alive at T + u | alive at T)]
// = ((β + e^{bT} − 1) / (β + e^{b(T+u)} − 1))^s, by adaptive Gauss–Kronrod: the
// expected time alive in (T + from, T + to].
double alive_time_between(const ggomnbd_params& p, double T, double from, double to) {
  if (to <= from) return 0;
  const double base = p.beta + std::expm1(p.b * T);
  const auto survival = [&](double u) {
    return std::exp(p.s * (std::log(base) - std::log(p.beta + std::expm1(p.b * (T + u)))));
  };
  return boost::math::quadrature::gauss_kronrod<double, 31>::integrate(survival, from, to, 15,
                                                                       1e-12);
}

}  // namespace

result<double> ggomnbd_log_likelihood(const ggomnbd_params& params, std::span<const rfm_tuple> rows,
                                      std::span<double> gradient) {
  if (auto e = bad_params(params)) return *e;
  if (!gradient.empty() && gradient.size() != 5)
    return error{"gradient", "the gradient needs 5 elements"};
  double ll = 0;
  std::array<double, 5> total{};
  std::size_t number = 0;
  for (const rfm_tuple& row : rows) {
    auto checked = check_rfm_tuple(row, ++number);
    if (!checked) return std::move(checked).error();
    std::array<double, 5> g{};
    ll += row.count * history(params, row, gradient.empty() ? nullptr : g.data()).log_likelihood;
    if (!gradient.empty())
      for (std::size_t k = 0; k < 5; ++k) total[k] += row.count * g[k];
  }
  if (!gradient.empty()) std::copy(total.begin(), total.end(), gradient.begin());
  return ll;
}

result<double> ggomnbd_log_likelihood_adaptive(const ggomnbd_params& p,
                                               std::span<const rfm_tuple> rows) {
  if (auto e = bad_params(p)) return *e;
  double ll = 0;
  std::size_t number = 0;
  for (const rfm_tuple& row : rows) {
    auto checked = check_rfm_tuple(row, ++number);
    if (!checked) return std::move(checked).error();
    const double rx = p.r + row.x;
    const double alive = log_alive_term(p, rx, row.T);
    // The death terms relative to the alive term, so that they stay in range.
    const auto relative = [&](double tau) { return std::exp(log_death_term(p, rx, tau) - alive); };
    const double dead = row.T > row.t_x
                            ? boost::math::quadrature::gauss_kronrod<double, 61>::integrate(
                                  relative, row.t_x, row.T, 10, 1e-10)
                            : 0.0;
    ll += row.count * (detail::log_gamma(rx) - detail::log_gamma(p.r) + p.r * std::log(p.alpha) +
                       alive + std::log1p(dead));
  }
  return ll;
}

result<ggomnbd_fit> fit_ggomnbd(std::span<const rfm_tuple> rows) {
  auto compressed = compress_rfm(rows);
  if (!compressed) return std::move(compressed).error();
  const std::vector<rfm_tuple>& tuples = *compressed;
  double customers = 0, longest = 0;
  for (const rfm_tuple& t : tuples) {
    customers += t.count;
    longest = std::max(longest, t.T);
  }
  // Start at the Pareto/NBD fit, the b → 0 limit: b small against the
  // observation (a 1% rise of the hazard over it), β = b · β_Pareto.
  auto pareto = fit_pareto_nbd(tuples);
  if (!pareto)
    return error{pareto.error().field,
                 "the Gamma-Gompertz/NBD fit starts from Pareto/NBD's, which failed: " +
                     pareto.error().message};
  // The mean dropout rate s/β of Pareto/NBD is b times the mean η = s/β here;
  // s starts at 1, away from the common-η ridge a degenerate Pareto/NBD fit sits on.
  const double b0 = 1 / std::max(longest, 1e-9);
  const double beta0 = b0 * pareto->params.beta / pareto->params.s;
  const detail::objective objective = [&](std::span<const double> x, std::span<double> gradient) {
    for (const double v : x)
      if (!(std::abs(v) < 40)) {
        std::fill(gradient.begin(), gradient.end(), 0.0);
        return 1e300;
      }
    const ggomnbd_params p{std::exp(x[0]), std::exp(x[1]), std::exp(x[2]), std::exp(x[3]),
                           std::exp(x[4])};
    std::array<double, 5> g{};
    double ll = 0;
    for (const rfm_tuple& row : tuples) {
      std::array<double, 5> gr{};
      ll += row.count * history(p, row, gradient.empty() ? nullptr : gr.data()).log_likelihood;
      if (!gradient.empty())
        for (std::size_t k = 0; k < 5; ++k) g[k] += row.count * gr[k];
    }
    if (!std::isfinite(ll)) return 1e300;
    if (!gradient.empty()) {
      const std::array<double, 5> theta{p.r, p.alpha, p.b, p.s, p.beta};
      for (std::size_t k = 0; k < 5; ++k) gradient[k] = -g[k] * theta[k] / customers;
    }
    return -ll / customers;
  };
  const std::vector<double> start{std::log(pareto->params.r), std::log(pareto->params.alpha),
                                  std::log(b0), 0.0, std::log(beta0)};
  auto minimum = detail::minimize(objective, start);
  if (!minimum) return error{"", "the Gamma-Gompertz/NBD fit failed: " + minimum.error().message};
  const std::vector<double>& x = minimum->x;
  const ggomnbd_params params{std::exp(x[0]), std::exp(x[1]), std::exp(x[2]), std::exp(x[3]),
                              std::exp(x[4])};
  std::vector<double> h = detail::hessian(objective, x);
  std::transform(h.begin(), h.end(), h.begin(), [customers](double e) { return e * customers; });
  ggomnbd_fit fit;
  fit.params = params;
  fit.estimates = detail::estimates_from_hessian(x, h, fit.report);
  fit.report.converged = minimum->converged;
  fit.report.evaluations = minimum->evaluations;
  fit.report.log_likelihood = -minimum->value * customers;
  fit.report.customers = static_cast<std::uint64_t>(std::llround(customers));
  fit.report.unique_tuples = tuples.size();
  fit.report.status = minimum->status;
  // Gompertz's hazard grows by e^{b T} over the observation; where that is
  // within 1% of 1 the lifetimes are as good as exponential: the Pareto/NBD
  // limit, where only β/b is identified.
  if (params.b * longest < std::log1p(0.01))
    fit.report.degenerate =
        "the Gompertz hazard rises by less than 1% over the observation (b times the longest T "
        "is below 0.01): the lifetimes are as good as exponential, the Pareto/NBD limit, where b "
        "and beta are not identified separately, only beta/b = " +
        format_significant(params.beta / params.b, 4) + " (Pareto/NBD's beta)";
  // η ~ Gamma(s, β) varies across customers by 1/√s (its coefficient of
  // variation): past s = 1000, about 3%, every customer has as good as the
  // same η, the limit where s and β run off together (the optimiser stops on
  // the flat ridge) and only s/β is identified.
  if (params.s > 1000) {
    if (!fit.report.degenerate.empty()) fit.report.degenerate += "; and ";
    fit.report.degenerate +=
        "the dropout frailties hardly vary (s = " + format_significant(params.s, 2) +
        ", their coefficient of variation 1/sqrt(s) is " +
        format_significant(100 / std::sqrt(params.s), 2) +
        "%): s and beta run off together, so every customer has the same eta = s/beta = " +
        format_significant(params.s / params.beta, 4) + ", and only that ratio is identified";
  }
  auto adaptive = ggomnbd_log_likelihood_adaptive(params, tuples);
  if (!adaptive) return std::move(adaptive).error();
  fit.report.integration_error = std::abs(*adaptive - fit.report.log_likelihood);
  return fit;
}

result<double> probability_alive(const ggomnbd_params& params, const rfm_tuple& customer) {
  if (auto e = bad_params(params)) return *e;
  auto checked = check_rfm_tuple(customer);
  if (!checked) return std::move(checked).error();
  return history(params, customer, nullptr).alive_share;
}

result<double> conditional_expected_purchases(const ggomnbd_params& params,
                                              const rfm_tuple& customer, double t) {
  auto alive = probability_alive(params, customer);
  if (!alive) return alive;
  if (!(t >= 0 && std::isfinite(t)))
    return error{"horizon", "horizon must be >= 0, got " + format_shortest(t)};
  // Alive at T: λ ~ Gamma(r + x, α + T), and she lives on as E_η of the Gompertz survival.
  return *alive * (params.r + customer.x) / (params.alpha + customer.T) *
         alive_time_between(params, customer.T, 0, t);
}

result<double> expected_purchases(const ggomnbd_params& params, double t) {
  if (auto e = bad_params(params)) return *e;
  if (!(t >= 0 && std::isfinite(t)))
    return error{"horizon", "horizon must be >= 0, got " + format_shortest(t)};
  return params.r / params.alpha * alive_time_between(params, 0, 0, t);
}

namespace {

error no_count_probabilities() {
  return error{"pmf",
               "GGompertz/NBD has no purchase-count probabilities in cltv yet (use expected "
               "purchases)"};
}

}  // namespace

result<std::vector<double>> expected_purchases_by_period_if_alive(const ggomnbd_params& params,
                                                                  double x, double T, int periods,
                                                                  double period_length) {
  if (auto e = bad_params(params)) return *e;
  if (auto e = detail::bad_period_stream(periods, period_length)) return *e;
  const double rate = (params.r + x) / (params.alpha + T);
  std::vector<double> out(static_cast<std::size_t>(periods));
  for (int k = 0; k < periods; ++k)
    out[static_cast<std::size_t>(k)] =
        rate * alive_time_between(params, T, k * period_length, (k + 1) * period_length);
  return out;
}

result<std::vector<double>> expected_purchases_by_period(const ggomnbd_params& params,
                                                         const rfm_tuple& customer, int periods,
                                                         double period_length) {
  return detail::alive_weighted_stream(params, customer, periods, period_length);
}

result<double> discounted_expected_residual_purchases(const ggomnbd_params& params,
                                                      const rfm_tuple& customer, double delta) {
  auto alive = probability_alive(params, customer);
  if (!alive) return alive;
  if (!(delta > 0 && std::isfinite(delta)))
    return error{"discount_rate",
                 "the continuous discount rate must be > 0, got " + format_shortest(delta)};
  const double base = params.beta + std::expm1(params.b * customer.T);
  const auto discounted = [&](double u) {
    return std::exp(-delta * u +
                    params.s * (std::log(base) -
                                std::log(params.beta + std::expm1(params.b * (customer.T + u)))));
  };
  const double life = boost::math::quadrature::gauss_kronrod<double, 31>::integrate(
      discounted, 0.0, std::numeric_limits<double>::infinity(), 15, 1e-12);
  return *alive * (params.r + customer.x) / (params.alpha + customer.T) * life;
}

result<std::vector<double>> probabilities_of_purchases(const ggomnbd_params&, double, int) {
  return no_count_probabilities();
}

result<std::vector<double>> conditional_probabilities_of_purchases(const ggomnbd_params&,
                                                                   const rfm_tuple&, double, int) {
  return no_count_probabilities();
}

}  // namespace cltv::models
