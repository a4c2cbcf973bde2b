#include "cltv/models/gamma_gamma.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/gamma.hpp>

#include "cltv/models/rfm_data.hpp"
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

// "monetary_value", or "monetary_value of row 3" when the row is known
// (numbered from 1, as check_rfm_tuple numbers them: models/rfm_data.hpp).
std::string subject(const char* field, std::size_t row_number) {
  std::string text = field;
  if (row_number != 0) text += " of row " + std::to_string(row_number);
  return text;
}

// A sum of counts as a whole number of customers.
std::uint64_t customers(double count) {
  return static_cast<std::uint64_t>(std::llround(count));
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
  std::vector<double> weight;       // customers with this (x, m̄)
  std::vector<double> spend_total;  // x m̄
  std::vector<spend_row> rows;      // the fitted rows (x > 0, m̄ > 0), in input order
  double customers = 0;             // Σ count over them
  std::uint64_t without_repeats = 0;
  std::uint64_t dropped = 0;
};

result<std::vector<spend_row>> to_rows(std::span<const double> frequency,
                                       std::span<const double> monetary_value) {
  if (frequency.size() != monetary_value.size())
    return error{"monetary_value", "monetary_value has " + std::to_string(monetary_value.size()) +
                                       " rows but frequency has " +
                                       std::to_string(frequency.size())};
  std::vector<spend_row> rows(frequency.size());
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = {frequency[i], monetary_value[i], 1};
  return rows;
}

result<spend_data> prepare(std::span<const spend_row> rows, const gamma_gamma_options& options) {
  spend_data data;
  double without_repeats = 0, dropped = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    auto checked = check_spend_row(rows[i], i + 1, options);
    if (!checked) return std::move(checked).error();
    const spend_row& row = rows[i];
    if (row.frequency == 0) {
      without_repeats += row.count;
    } else if (row.monetary_value <= 0) {  // checked: only with drop_nonpositive_spend
      dropped += row.count;
    } else {
      data.rows.push_back(row);
      data.customers += row.count;
    }
  }
  data.without_repeats = customers(without_repeats);
  data.dropped = customers(dropped);

  std::vector<spend_row> sorted = data.rows;
  std::sort(sorted.begin(), sorted.end(), [](const spend_row& l, const spend_row& r) {
    return std::pair{l.frequency, l.monetary_value} < std::pair{r.frequency, r.monetary_value};
  });
  for (std::size_t i = 0; i < sorted.size();) {
    const double x = sorted[i].frequency;
    spend_data::group g;
    g.x = x;
    g.begin = data.weight.size();
    for (; i < sorted.size() && sorted[i].frequency == x;) {
      const double m = sorted[i].monetary_value;
      double w = 0;
      for (; i < sorted.size() && sorted[i].frequency == x && sorted[i].monetary_value == m; ++i)
        w += sorted[i].count;
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

// Of rows checked to have x > 0, m̄ > 0 and a positive count; a row with
// count c counts c times.
std::optional<double> correlation(std::span<const spend_row> rows) {
  if (rows.size() < 2) return std::nullopt;
  // Two passes: centring first keeps the sums of products exact enough even
  // when the means are large next to the spreads.
  double n = 0, mean_x = 0, mean_m = 0;
  for (const spend_row& r : rows) {
    n += r.count;
    mean_x += r.count * r.frequency;
    mean_m += r.count * r.monetary_value;
  }
  mean_x /= n;
  mean_m /= n;
  double sxx = 0, smm = 0, sxm = 0;
  for (const spend_row& r : rows) {
    const double dx = r.frequency - mean_x, dm = r.monetary_value - mean_m;
    sxx += r.count * dx * dx;
    smm += r.count * dm * dm;
    sxm += r.count * dx * dm;
  }
  if (!(sxx > 0 && smm > 0)) return std::nullopt;
  return std::clamp(sxm / std::sqrt(sxx * smm), -1.0, 1.0);
}

// A shape beyond 10⁴ means a coefficient of variation below 1/√10⁴ = 1 %:
// for spend, no variation at all. A fit heading there has no estimate.
constexpr double max_identified_shape = 1e4;

// The error for a fit whose search reached ln-parameters x with p or q past
// max_identified_shape; nullopt when neither is.
std::optional<error> spend_not_identified(const std::vector<double>& x) {
  const bool within = x[0] > std::log(max_identified_shape);
  const bool between = x[1] > std::log(max_identified_shape);
  if (!within && !between) return std::nullopt;
  const std::string what =
      within && between ? "spend varies neither within customers (their purchases have nearly "
                          "the same value) nor between them"
      : within ? "spend varies too little within customers (each customer's purchases have "
                 "nearly the same value) to estimate p"
               : "spend varies too little between customers (their mean spends differ no more "
                 "than single purchases do) to estimate q and gamma";
  return error{"spend", what + ", so the Gamma-Gamma model is not identified (" +
                            (within && between ? "p and q run"
                             : within          ? "p runs"
                                               : "q runs") +
                            " past " + format_shortest(max_identified_shape) + ")"};
}

}  // namespace

result<gamma_gamma_params> make_gamma_gamma_params(double p, double q, double gamma) {
  if (auto e = check_params(p, q, gamma)) return *std::move(e);
  return gamma_gamma_params{p, q, gamma};
}

result<spend_row> check_spend_row(const spend_row& row, std::size_t row_number,
                                  const gamma_gamma_options& options) {
  const double x = row.frequency;
  const double m = row.monetary_value;
  if (!is_count(x))
    return error{"frequency", subject("frequency", row_number) +
                                  " must be a whole number ≥ 0, got " + format_shortest(x)};
  if (!(std::isfinite(row.count) && row.count > 0))
    return error{"count", subject("count", row_number) + " must be a positive number, got " +
                              format_shortest(row.count)};
  if (x == 0) return row;  // not part of the model: its spend is not read
  if (!std::isfinite(m))
    return error{"monetary_value", subject("monetary_value", row_number) +
                                       " must be a finite number, got " + format_shortest(m)};
  if (std::fabs(m) > max_amount)  // a mean of amounts, within their bound (cltv/number.hpp)
    return error{"monetary_value", subject("monetary_value", row_number) + " " +
                                       format_shortest(m) +
                                       " is beyond ±1e15, the largest amount cltv accepts"};
  if (m <= 0 && !options.drop_nonpositive_spend)
    return error{"monetary_value", subject("monetary_value", row_number) +
                                       " must be positive for a customer with repeat purchases "
                                       "(frequency " +
                                       format_shortest(x) + "), got " + format_shortest(m)};
  return row;
}

result<double> gamma_gamma_log_likelihood(const gamma_gamma_params& params,
                                          std::span<const double> frequency,
                                          std::span<const double> monetary_value,
                                          std::span<double> gradient,
                                          const gamma_gamma_options& options) {
  auto rows = to_rows(frequency, monetary_value);
  if (!rows) return std::move(rows).error();
  return gamma_gamma_log_likelihood(params, *rows, gradient, options);
}

result<double> gamma_gamma_log_likelihood(const gamma_gamma_params& params,
                                          std::span<const spend_row> rows,
                                          std::span<double> gradient,
                                          const gamma_gamma_options& options) {
  if (auto e = check_params(params.p, params.q, params.gamma)) return *std::move(e);
  if (!gradient.empty() && gradient.size() != 3)
    return error{"gradient", "gradient must hold 3 elements (p, q, gamma), got " +
                                 std::to_string(gradient.size())};
  auto data = prepare(rows, options);
  if (!data) return std::move(data).error();
  return log_likelihood(params.p, params.q, params.gamma, *data,
                        gradient.empty() ? nullptr : gradient.data());
}

result<gamma_gamma_fit> fit_gamma_gamma(std::span<const double> frequency,
                                        std::span<const double> monetary_value,
                                        const gamma_gamma_options& options) {
  auto rows = to_rows(frequency, monetary_value);
  if (!rows) return std::move(rows).error();
  return fit_gamma_gamma(*rows, options);
}

result<gamma_gamma_fit> fit_gamma_gamma(std::span<const spend_row> rows,
                                        const gamma_gamma_options& options) {
  auto prepared = prepare(rows, options);
  if (!prepared) return std::move(prepared).error();
  const spend_data& data = *prepared;
  if (data.customers < 2)
    return error{"frequency",
                 "the Gamma-Gamma model needs at least 2 customers with repeat "
                 "purchases and a positive monetary_value, got " +
                     format_shortest(data.customers)};

  // Every transaction at one price (or every customer's mean the same): no
  // spread at all to estimate p, q and γ from.
  const auto [lowest, highest] = std::minmax_element(
      data.rows.begin(), data.rows.end(),
      [](const spend_row& l, const spend_row& r) { return l.monetary_value < r.monetary_value; });
  if (lowest->monetary_value == highest->monetary_value)
    return error{"spend",
                 "every repeat customer's mean spend is " +
                     format_shortest(lowest->monetary_value) +
                     ": spend varies neither between nor within customers, so the Gamma-Gamma "
                     "model (p, q, gamma) is not identified"};

  // Minimise the mean −LL per customer over (ln p, ln q, ln γ):
  // unconstrained, closer to quadratic than the raw parameters, and
  // tolerances that mean the same for 100 or 10⁶ customers (as fit_bgnbd does).
  const double n = data.customers;
  std::vector<double> last{0, 0, 0};  // the point last evaluated: where a failed search ended
  const detail::objective likelihood = [&data, n, &last](std::span<const double> x,
                                                         std::span<double> gradient) {
    std::copy(x.begin(), x.end(), last.begin());
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
  const detail::penalty_term penalty_of(options.penalty, {1, 1, 1});  // no time in spend
  const detail::objective objective = detail::penalised(likelihood, penalty_of);

  // Start at p = 1, q = 2 (a finite mean) and γ at the mean spend, which
  // makes the model's mean pγ/(q − 1) match the data whatever the currency
  // unit: the optimiser then only has to find the shapes.
  const double mean_spend = std::accumulate(data.rows.begin(), data.rows.end(), 0.0,
                                            [](double sum, const spend_row& row) {
                                              return sum + row.count * row.monetary_value;
                                            }) /
                            n;
  auto minimum = detail::minimize_penalised(likelihood, penalty_of,
                                            {0.0, std::log(2.0), std::log(mean_spend)});
  // Where the spends vary too little, the likelihood keeps rising towards a
  // boundary: p → ∞ when each customer's purchases have nearly the same value,
  // q, γ → ∞ together when customers' mean spends differ no more than single
  // purchases do. The search then fails or stops far out; either way, say what
  // the data lack (at the point reached) rather than how the optimiser fared.
  if (auto lacking = spend_not_identified(minimum ? minimum->x : last)) return *std::move(lacking);
  if (!minimum) return error{"", "the Gamma-Gamma fit failed: " + minimum.error().message};
  if (!minimum->converged)
    return error{"", "the Gamma-Gamma fit did not converge: " + minimum->status};
  const std::vector<double>& x = minimum->x;
  // ln p or ln q below −25 (under 1e−11): towards the other boundary, which
  // no spend data should reach; no interior maximum either.
  static constexpr const char* names[] = {"p", "q"};
  for (std::size_t i = 0; i < 2; ++i)
    if (x[i] < -25)
      return error{names[i], std::string("the Gamma-Gamma fit has no interior maximum: ") +
                                 names[i] + " ran off to " + format_shortest(std::exp(x[i]))};

  std::vector<double> h = detail::hessian(objective, x);
  // Of the total negative log-likelihood.
  std::transform(h.begin(), h.end(), h.begin(), [n](double e) { return e * n; });
  gamma_gamma_fit fit;
  const std::vector<parameter_estimate> e = detail::estimates_from_hessian(x, h, fit.report);
  fit.params = {std::exp(x[0]), std::exp(x[1]), std::exp(x[2])};
  fit.p = e[0];
  fit.q = e[1];
  fit.gamma = e[2];
  fit.report.converged = true;
  fit.report.evaluations = minimum->evaluations;
  fit.report.log_likelihood = -(minimum->value - penalty_of.value(x)) * n;
  fit.report.penalty = options.penalty.coefficient;
  fit.report.customers = customers(data.customers);
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

result<double> predictable_mean_spend(const gamma_gamma_params& params) {
  if (auto e = check_params(params.p, params.q, params.gamma)) return *std::move(e);
  if (params.q <= 1)
    return error{"q", "the gamma-gamma model has q = " + format_shortest(params.q) +
                          " <= 1: its mean spend is infinite, so spend cannot be predicted"};
  return gamma_gamma_mean_spend(params);
}

result<double> gamma_gamma_conditional_expected_spend(const gamma_gamma_params& params,
                                                      double frequency, double monetary_value) {
  auto mean = gamma_gamma_mean_spend(params);
  if (!mean) return mean;
  if (auto x = check_frequency(frequency); !x) return std::move(x).error();
  if (frequency == 0) return *mean;
  if (!(std::isfinite(monetary_value) && monetary_value >= 0))
    return error{"monetary_value", "monetary_value must be a finite number ≥ 0, got " +
                                       format_shortest(monetary_value)};
  const double px = params.p * frequency;
  return params.p * (params.gamma + frequency * monetary_value) / (px + params.q - 1);
}

std::optional<double> frequency_spend_correlation(std::span<const double> frequency,
                                                  std::span<const double> monetary_value) {
  const std::size_t n = std::min(frequency.size(), monetary_value.size());
  std::vector<spend_row> rows(n);
  for (std::size_t i = 0; i < n; ++i) rows[i] = {frequency[i], monetary_value[i], 1};
  return frequency_spend_correlation(rows);
}

std::optional<double> frequency_spend_correlation(std::span<const spend_row> rows) {
  std::vector<spend_row> fitted;  // those the model is fitted on
  for (const spend_row& r : rows)
    if (is_count(r.frequency) && r.frequency > 0 && std::isfinite(r.monetary_value) &&
        r.monetary_value > 0 && std::isfinite(r.count) && r.count > 0)
      fitted.push_back(r);
  return correlation(fitted);
}

bool spend_correlated_with_frequency(const gamma_gamma_fit& fit) noexcept {
  return fit.frequency_spend_correlation &&
         std::abs(*fit.frequency_spend_correlation) > spend_correlation_limit;
}

}  // namespace cltv::models
