#include "cltv/models/gamma_gamma.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/gamma.hpp>

#include "cltv/number.hpp"
#include "models/optimize.hpp"
#include "models/special.hpp"

namespace cltv::models {

namespace {

using detail::digamma;
using detail::log_gamma;

// Above 2^53 counts are no longer exact in a double.
constexpr double max_count = 9007199254740992.0;

bool is_count(double x) {
  return x >= 0 && x <= max_count && x == std::floor(x);
}

// Rows are numbered from 1, as check_rfm_tuple numbers them (models/rfm_data.hpp).
std::string row_text(std::size_t i) {
  return "row " + std::to_string(i + 1);
}

std::optional<error> check_params(double p, double q, double gamma) {
  const std::pair<const char*, double> params[] = {{"p", p}, {"q", q}, {"gamma", gamma}};
  for (const auto& [name, value] : params)
    if (!(std::isfinite(value) && value > 0))
      return error{name,
                   std::string(name) + " must be a positive number, got " + format_shortest(value)};
  return std::nullopt;
}

// The fitted customers, grouped by frequency x, with identical (x, m̄) pairs
// merged: the special functions of the likelihood depend on x only, so they
// are evaluated once per distinct x, and each pair costs one log and one
// division per evaluation.
struct spend_data {
  struct group {
    double x = 0;
    double count = 0;          // customers with this x
    double sum_log_spend = 0;  // Σ ln m̄ over them
    std::size_t begin = 0;     // their pairs: [begin, end) of weight and spend_total
    std::size_t end = 0;
  };
  std::vector<group> groups;
  std::vector<double> weight;                   // customers with this (x, m̄)
  std::vector<double> spend_total;              // x m̄
  std::vector<std::pair<double, double>> rows;  // (x, m̄) of every fitted customer
  std::uint64_t without_repeats = 0;
  std::uint64_t dropped = 0;
};

result<spend_data> prepare(std::span<const double> frequency,
                           std::span<const double> monetary_value,
                           const gamma_gamma_options& options) {
  if (frequency.size() != monetary_value.size())
    return error{"monetary_value", "monetary_value has " + std::to_string(monetary_value.size()) +
                                       " rows but frequency has " +
                                       std::to_string(frequency.size())};
  spend_data data;
  for (std::size_t i = 0; i < frequency.size(); ++i) {
    const double x = frequency[i];
    const double m = monetary_value[i];
    if (!is_count(x))
      return error{"frequency", "frequency of " + row_text(i) +
                                    " must be a whole number ≥ 0, got " + format_shortest(x)};
    if (x == 0) {
      ++data.without_repeats;
      continue;
    }
    if (!std::isfinite(m))
      return error{"monetary_value", "monetary_value of " + row_text(i) +
                                         " must be a finite number, got " + format_shortest(m)};
    if (m <= 0) {
      if (options.drop_nonpositive_spend) {
        ++data.dropped;
        continue;
      }
      return error{"monetary_value", "monetary_value of " + row_text(i) +
                                         " must be positive for a customer with " +
                                         "repeat purchases (frequency " + format_shortest(x) +
                                         "), got " + format_shortest(m)};
    }
    data.rows.emplace_back(x, m);
  }

  std::vector<std::pair<double, double>> sorted = data.rows;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 0; i < sorted.size();) {
    const double x = sorted[i].first;
    spend_data::group g;
    g.x = x;
    g.begin = data.weight.size();
    for (; i < sorted.size() && sorted[i].first == x;) {
      const double m = sorted[i].second;
      std::size_t same = 0;
      for (; i < sorted.size() && sorted[i] == std::pair{x, m}; ++i) ++same;
      const double w = static_cast<double>(same);
      data.weight.push_back(w);
      data.spend_total.push_back(x * m);
      g.count += w;
      g.sum_log_spend += w * std::log(m);
    }
    g.end = data.weight.size();
    data.groups.push_back(g);
  }
  return data;
}

// LL and, when `grad` is given, ∂LL/∂(p, q, γ). Per group of n customers with
// frequency x (S = Σ ln m̄, and Σ over its pairs with weights w):
//   n [lnΓ(px + q) − lnΓ(px) − lnΓ(q) + q ln γ + px ln x] + (px − 1) S
//     − (px + q) Σ w ln(γ + x m̄);
//   ∂/∂p = n x [ψ(px + q) − ψ(px) + ln x] + x S − x Σ w ln(γ + x m̄),
//   ∂/∂q = n [ψ(px + q) − ψ(q) + ln γ] − Σ w ln(γ + x m̄),
//   ∂/∂γ = n q/γ − (px + q) Σ w / (γ + x m̄).
double log_likelihood(double p, double q, double gamma, const spend_data& data, double* grad) {
  const double log_gamma_q = log_gamma(q);
  const double digamma_q = digamma(q);
  const double log_rate = std::log(gamma);
  double ll = 0, d_p = 0, d_q = 0, d_gamma = 0;
  for (const spend_data::group& g : data.groups) {
    const double px = p * g.x;
    double sum_log = 0, sum_inverse = 0;  // Σ w ln(γ + x m̄), Σ w / (γ + x m̄)
    for (std::size_t j = g.begin; j < g.end; ++j) {
      const double s = gamma + data.spend_total[j];
      sum_log += data.weight[j] * std::log(s);
      sum_inverse += data.weight[j] / s;
    }
    const double log_x = std::log(g.x);
    ll += g.count * (log_gamma(px + q) - log_gamma(px) - log_gamma_q + q * log_rate + px * log_x) +
          (px - 1) * g.sum_log_spend - (px + q) * sum_log;
    if (grad != nullptr) {
      const double digamma_pxq = digamma(px + q);
      d_p += g.x * (g.count * (digamma_pxq - digamma(px) + log_x) + g.sum_log_spend - sum_log);
      d_q += g.count * (digamma_pxq - digamma_q + log_rate) - sum_log;
      d_gamma += g.count * q / gamma - (px + q) * sum_inverse;
    }
  }
  if (grad != nullptr) {
    grad[0] = d_p;
    grad[1] = d_q;
    grad[2] = d_gamma;
  }
  return ll;
}

std::optional<double> correlation(const std::vector<std::pair<double, double>>& rows) {
  if (rows.size() < 2) return std::nullopt;
  // Two passes: centring first keeps the sums of products exact enough even
  // when the means are large next to the spreads.
  double mean_x = 0, mean_m = 0;
  for (const auto& [x, m] : rows) {
    mean_x += x;
    mean_m += m;
  }
  const double n = static_cast<double>(rows.size());
  mean_x /= n;
  mean_m /= n;
  double sxx = 0, smm = 0, sxm = 0;
  for (const auto& [x, m] : rows) {
    sxx += (x - mean_x) * (x - mean_x);
    smm += (m - mean_m) * (m - mean_m);
    sxm += (x - mean_x) * (m - mean_m);
  }
  if (!(sxx > 0 && smm > 0)) return std::nullopt;
  return std::clamp(sxm / std::sqrt(sxx * smm), -1.0, 1.0);
}

}  // namespace

result<gamma_gamma_params> make_gamma_gamma_params(double p, double q, double gamma) {
  if (auto e = check_params(p, q, gamma)) return *std::move(e);
  return gamma_gamma_params{p, q, gamma};
}

result<double> gamma_gamma_log_likelihood(const gamma_gamma_params& params,
                                          std::span<const double> frequency,
                                          std::span<const double> monetary_value,
                                          std::span<double> gradient,
                                          const gamma_gamma_options& options) {
  if (auto e = check_params(params.p, params.q, params.gamma)) return *std::move(e);
  if (!gradient.empty() && gradient.size() != 3)
    return error{"gradient", "gradient must hold 3 elements (p, q, gamma), got " +
                                 std::to_string(gradient.size())};
  auto data = prepare(frequency, monetary_value, options);
  if (!data) return std::move(data).error();
  return log_likelihood(params.p, params.q, params.gamma, *data,
                        gradient.empty() ? nullptr : gradient.data());
}

result<gamma_gamma_fit> fit_gamma_gamma(std::span<const double> frequency,
                                        std::span<const double> monetary_value,
                                        const gamma_gamma_options& options) {
  auto prepared = prepare(frequency, monetary_value, options);
  if (!prepared) return std::move(prepared).error();
  const spend_data& data = *prepared;
  if (data.rows.size() < 2)
    return error{"frequency",
                 "the Gamma-Gamma model needs at least 2 customers with repeat "
                 "purchases and a positive monetary_value, got " +
                     std::to_string(data.rows.size())};

  // Minimise the mean −LL per customer over (ln p, ln q, ln γ):
  // unconstrained, closer to quadratic than the raw parameters, and
  // tolerances that mean the same for 100 or 10⁶ customers (as fit_bgnbd does).
  const double n = static_cast<double>(data.rows.size());
  const detail::objective objective = [&data, n](std::span<const double> x,
                                                 std::span<double> gradient) {
    // Beyond e^±690 (1e±300), the terms would overflow: no optimum lies
    // there; a large value turns the line search back.
    if (!(std::abs(x[0]) < 690 && std::abs(x[1]) < 690 && std::abs(x[2]) < 690)) {
      std::fill(gradient.begin(), gradient.end(), 0.0);
      return 1e300;
    }
    const double p = std::exp(x[0]);
    const double q = std::exp(x[1]);
    const double gamma = std::exp(x[2]);
    double g[3];
    const double ll = log_likelihood(p, q, gamma, data, gradient.empty() ? nullptr : g);
    if (!gradient.empty()) {
      gradient[0] = -g[0] * p / n;  // ∂/∂ln p = p ∂/∂p
      gradient[1] = -g[1] * q / n;
      gradient[2] = -g[2] * gamma / n;
    }
    return -ll / n;
  };

  // Start at p = 1, q = 2 (a finite mean) and γ at the mean spend, which
  // makes the model's mean pγ/(q − 1) match the data whatever the currency
  // unit: the optimiser then only has to find the shapes.
  const double mean_spend =
      std::accumulate(data.rows.begin(), data.rows.end(), 0.0,
                      [](double sum, const auto& row) { return sum + row.second; }) /
      n;
  auto minimum = detail::minimize(objective, {0.0, std::log(2.0), std::log(mean_spend)});
  if (!minimum) return error{"", "the Gamma-Gamma fit failed: " + minimum.error().message};
  if (!minimum->converged)
    return error{"", "the Gamma-Gamma fit did not converge: " + minimum->status};
  const std::vector<double>& x = minimum->x;

  // ln θ beyond ±25 (θ below 1e−11 or above 7e10): the likelihood keeps
  // rising towards a boundary and has no interior maximum: p → ∞ when each
  // customer's transactions have the same value, q, γ → ∞ together when all
  // customers spend alike. (γ is exempt: it carries the currency unit.)
  static constexpr const char* names[] = {"p", "q"};
  for (std::size_t i = 0; i < 2; ++i)
    if (std::abs(x[i]) > 25)
      return error{names[i], std::string("the Gamma-Gamma fit has no interior maximum: ") +
                                 names[i] + " ran off to " + format_shortest(std::exp(x[i])) +
                                 " (the spends vary too little within or between customers)"};

  std::vector<double> h = detail::hessian(objective, x);
  // Of the total negative log-likelihood.
  std::transform(h.begin(), h.end(), h.begin(), [n](double e) { return e * n; });
  auto se = detail::standard_errors(h, 3);
  if (!se) return error{"", "the Gamma-Gamma fit found no strict maximum: " + se.error().message};

  gamma_gamma_fit fit;
  fit.params = {std::exp(x[0]), std::exp(x[1]), std::exp(x[2])};
  fit.p = estimate_from_log(x[0], (*se)[0]);
  fit.q = estimate_from_log(x[1], (*se)[1]);
  fit.gamma = estimate_from_log(x[2], (*se)[2]);
  fit.report.converged = true;
  fit.report.evaluations = minimum->evaluations;
  fit.report.log_likelihood = -minimum->value * n;
  fit.report.customers = data.rows.size();
  fit.report.unique_tuples = data.weight.size();
  fit.report.status = minimum->status;
  fit.without_repeats = data.without_repeats;
  fit.dropped = data.dropped;
  fit.frequency_spend_correlation = correlation(data.rows);
  return fit;
}

result<double> gamma_gamma_mean_spend(const gamma_gamma_params& params) {
  if (auto e = check_params(params.p, params.q, params.gamma)) return *std::move(e);
  if (params.q <= 1)
    return error{"q",
                 "the mean spend is infinite when q ≤ 1 (q " + format_shortest(params.q) + ")"};
  return params.p * params.gamma / (params.q - 1);
}

result<double> gamma_gamma_conditional_expected_spend(const gamma_gamma_params& params,
                                                      double frequency, double monetary_value) {
  auto mean = gamma_gamma_mean_spend(params);
  if (!mean) return mean;
  if (!is_count(frequency))
    return error{"frequency",
                 "frequency must be a whole number ≥ 0, got " + format_shortest(frequency)};
  if (frequency == 0) return *mean;
  if (!(std::isfinite(monetary_value) && monetary_value >= 0))
    return error{"monetary_value", "monetary_value must be a finite number ≥ 0, got " +
                                       format_shortest(monetary_value)};
  const double px = params.p * frequency;
  return params.p * (params.gamma + frequency * monetary_value) / (px + params.q - 1);
}

std::optional<double> frequency_spend_correlation(std::span<const double> frequency,
                                                  std::span<const double> monetary_value) {
  std::vector<std::pair<double, double>> rows;
  const std::size_t n = std::min(frequency.size(), monetary_value.size());
  for (std::size_t i = 0; i < n; ++i)
    if (is_count(frequency[i]) && frequency[i] > 0 && std::isfinite(monetary_value[i]) &&
        monetary_value[i] > 0)
      rows.emplace_back(frequency[i], monetary_value[i]);
  return correlation(rows);
}

}  // namespace cltv::models
