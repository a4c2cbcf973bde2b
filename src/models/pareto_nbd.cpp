#include "cltv/models/pareto_nbd.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "cltv/number.hpp"
#include "models/optimize.hpp"
#include "models/special.hpp"

namespace cltv::models {

namespace {

using detail::log_gamma;
using detail::log_hyp2f1;

constexpr double minus_infinity = -std::numeric_limits<double>::infinity();

// f(t) = (m+t)^−ρ 2F1(ρ, b₂; ρ+1; |α−β| / (m+t)), m = max(α, β), ρ = r+s+x,
// b₂ = s+1 when α ≥ β, r+x otherwise (Fader & Hardie 2005, eqs. 22–23): its
// log. A₀ = f(t_x) − f(T) ≥ 0 (an integral over the customer's silent time).
std::optional<double> log_f(const pareto_nbd_params& p, double x, double t) {
  const double rho = p.r + p.s + x;
  const bool alpha_larger = p.alpha >= p.beta;
  const double v = (alpha_larger ? p.alpha : p.beta) + t;
  const double b2 = alpha_larger ? p.s + 1 : p.r + x;
  const auto h = log_hyp2f1(rho, b2, rho + 1, std::abs(p.alpha - p.beta) / v);
  if (!h) return std::nullopt;
  return *h - rho * std::log(v);
}

// ln A₀; −∞ when t_x = T (nothing silent to integrate over).
std::optional<double> log_A0(const pareto_nbd_params& p, const rfm_tuple& c) {
  const auto upper = log_f(p, c.x, c.t_x);
  const auto lower = log_f(p, c.x, c.T);
  if (!upper || !lower) return std::nullopt;
  if (!(*lower < *upper)) return minus_infinity;
  return *upper + std::log1p(-std::exp(*lower - *upper));
}

// ln of the second term's weight against the first, (s/ρ) (α+T)^(r+x) (β+T)^s A₀:
// the log-odds of "dropped out during the silence" against "still alive".
std::optional<double> log_dead_odds(const pareto_nbd_params& p, const rfm_tuple& c) {
  const auto a0 = log_A0(p, c);
  if (!a0) return std::nullopt;
  return std::log(p.s / (p.r + p.s + c.x)) + (p.r + c.x) * std::log(p.alpha + c.T) +
         p.s * std::log(p.beta + c.T) + *a0;
}

// One customer's log-likelihood:
//   lnΓ(r+x) − lnΓ(r) + r ln α + s ln β
//   + ln[ (α+T)^−(r+x) (β+T)^−s + (s/ρ) A₀ ].
std::optional<double> customer_log_likelihood(const pareto_nbd_params& p, const rfm_tuple& c) {
  const double first = -(p.r + c.x) * std::log(p.alpha + c.T) - p.s * std::log(p.beta + c.T);
  const auto odds = log_dead_odds(p, c);
  if (!odds) return std::nullopt;
  // ln(e^first + e^(first + odds)) = first + ln(1 + e^odds)
  const double tail =
      *odds > 0 ? *odds + std::log1p(std::exp(-*odds)) : std::log1p(std::exp(*odds));
  return log_gamma(p.r + c.x) - log_gamma(p.r) + p.r * std::log(p.alpha) + p.s * std::log(p.beta) +
         first + tail;
}

// The series of 2F1 needs ~40 / (1 − z) terms, z up to 1 − min(α,β)/max(α,β):
// parameters with that ratio below 1e-6 are treated as far outside any fit
// (the optimiser can stray there; the series would take millions of terms).
bool series_affordable(const pareto_nbd_params& p) {
  return std::min(p.alpha, p.beta) >= 1e-6 * std::max(p.alpha, p.beta);
}

std::optional<double> total_log_likelihood(const pareto_nbd_params& p,
                                           std::span<const rfm_tuple> tuples) {
  if (!series_affordable(p)) return std::nullopt;
  double total = 0;
  for (const rfm_tuple& c : tuples) {
    const auto l = customer_log_likelihood(p, c);
    if (!l) return std::nullopt;
    total += c.count * *l;
  }
  return total;
}

result<pareto_nbd_params> check_params(const pareto_nbd_params& p) {
  if (auto e = detail::nonpositive_parameter(
          {{"r", p.r}, {"alpha", p.alpha}, {"s", p.s}, {"beta", p.beta}}))
    return std::move(*e);
  return p;
}

pareto_nbd_params from_log(std::span<const double> v) {
  return {std::exp(v[0]), std::exp(v[1]), std::exp(v[2]), std::exp(v[3])};
}

error series_error() {
  return error{"",
               "the Pareto/NBD series does not converge at these parameters "
               "(alpha and beta more than 10^6 apart)"};
}

}  // namespace

result<pareto_nbd_fit> fit_pareto_nbd(std::span<const rfm_tuple> rows) {
  std::vector<rfm_tuple> storage;
  std::span<const rfm_tuple> tuples = rows;
  if (!is_compressed(rows)) {
    auto compressed = compress_rfm(rows);
    if (!compressed) return std::move(compressed).error();
    storage = std::move(*compressed);
    tuples = storage;
  }
  double customers = 0, total_x = 0, total_T = 0;
  for (const rfm_tuple& c : tuples) {
    customers += c.count;
    total_x += c.count * c.x;
    total_T += c.count * c.T;
  }
  if (!(total_x > 0))
    return error{"frequency",
                 "no customer has a repeat purchase (every frequency is 0): the Pareto/NBD model "
                 "cannot be fitted"};

  // The mean negative log-likelihood per customer (tolerances that mean the
  // same for any size, as in the other fits); 1e300 where it cannot be
  // computed, far outside any sensible region.
  const auto value = [&](std::span<const double> v) {
    const pareto_nbd_params p = from_log(v);
    for (double e : {p.r, p.alpha, p.s, p.beta})
      if (!(std::isfinite(e) && e > 0)) return 1e300;
    const auto ll = total_log_likelihood(p, tuples);
    return ll && std::isfinite(*ll) ? -*ll / customers : 1e300;
  };
  // Central differences in the log-parameters: 2F1 has no closed-form
  // derivative in its parameters. Step 1e-5: truncation ~1e-10, rounding
  // ~1e-16 · |f| / 1e-5, both far below the optimiser's tolerance.
  constexpr double step = 1e-5;
  const detail::objective objective = [&value](std::span<const double> v,
                                               std::span<double> gradient) {
    const double f = value(v);
    if (gradient.empty()) return f;
    std::array<double, 4> point{};
    std::copy(v.begin(), v.end(), point.begin());
    for (std::size_t i = 0; i < 4; ++i) {
      point[i] = v[i] + step;
      const double up = value(point);
      point[i] = v[i] - step;
      const double down = value(point);
      point[i] = v[i];
      gradient[i] = up >= 1e300 || down >= 1e300 ? 0.0 : (up - down) / (2 * step);
    }
    return f;
  };

  // r = s = 1, and α = β = 1 / the crude purchase rate (scale-free, as for
  // BG/NBD: the same path whatever the unit of time).
  const double scale = std::log(total_T / total_x);
  detail::minimize_options options;
  options.relative_tolerance = 1e-11;  // numerical gradients: 1e-12 is below their noise
  auto minimum = detail::minimize(objective, {0.0, scale, 0.0, scale}, options);
  if (!minimum) return error{"", "the Pareto/NBD fit failed: " + minimum.error().message};
  if (!minimum->converged)
    return error{"", "the Pareto/NBD fit did not converge: " + minimum->status};
  const std::vector<double>& v = minimum->x;
  static constexpr std::array<const char*, 4> names{"r", "alpha", "s", "beta"};
  for (std::size_t i = 0; i < 4; ++i)
    if (std::abs(v[i]) > 25)
      return error{names[i], std::string("the Pareto/NBD fit has no interior maximum: ") +
                                 names[i] + " ran off to " + format_shortest(std::exp(v[i])) +
                                 " (the data do not identify the model)"};

  // The Hessian of the total negative log-likelihood in log-parameters, by
  // second differences of the value (step 1e-4: truncation ~1e-8 relative,
  // rounding ~1e-16 · |f| / 1e-8).
  constexpr double h = 1e-4;
  const auto total = [&](std::array<double, 4> point) { return value(point) * customers; };
  std::array<double, 4> at{v[0], v[1], v[2], v[3]};
  const double f0 = total(at);
  std::vector<double> hessian(16);
  for (std::size_t i = 0; i < 4; ++i) {
    for (std::size_t j = i; j < 4; ++j) {
      double hij = 0;
      if (i == j) {
        std::array<double, 4> up = at, down = at;
        up[i] += h;
        down[i] -= h;
        hij = (total(up) - 2 * f0 + total(down)) / (h * h);
      } else {
        std::array<double, 4> pp = at, pm = at, mp = at, mm = at;
        pp[i] += h, pp[j] += h;
        pm[i] += h, pm[j] -= h;
        mp[i] -= h, mp[j] += h;
        mm[i] -= h, mm[j] -= h;
        hij = (total(pp) - total(pm) - total(mp) + total(mm)) / (4 * h * h);
      }
      hessian[i * 4 + j] = hij;
      hessian[j * 4 + i] = hij;
    }
  }
  pareto_nbd_fit fit;
  const std::vector<parameter_estimate> e = detail::estimates_from_hessian(v, hessian, fit.report);
  fit.params = from_log(v);
  fit.r = e[0];
  fit.alpha = e[1];
  fit.s = e[2];
  fit.beta = e[3];
  fit.report.converged = true;
  fit.report.evaluations = minimum->evaluations;
  fit.report.log_likelihood = -minimum->value * customers;
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
  const auto ll = total_log_likelihood(params, *tuples);
  if (!ll) return series_error();
  if (!std::isfinite(*ll)) return error{"", "the log-likelihood is not finite at these parameters"};
  return *ll;
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

std::optional<double> alive(const pareto_nbd_params& p, const rfm_tuple& c) {
  const auto odds = log_dead_odds(p, c);
  if (!odds) return std::nullopt;
  return *odds > 0 ? std::exp(-*odds) / (1 + std::exp(-*odds)) : 1 / (1 + std::exp(*odds));
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
  auto p = check_params(params);
  if (!p) return std::move(p).error();
  auto c = check_customer(customer);
  if (!c) return std::move(c).error();
  auto tt = check_time(t);
  if (!tt) return std::move(tt).error();
  if (!series_affordable(params)) return series_error();
  const auto a = alive(params, customer);
  if (!a) return series_error();
  return *a * expected_if_alive(params, customer.x, customer.T, t);
}

result<double> probability_alive(const pareto_nbd_params& params, const rfm_tuple& customer) {
  auto p = check_params(params);
  if (!p) return std::move(p).error();
  auto c = check_customer(customer);
  if (!c) return std::move(c).error();
  if (!series_affordable(params)) return series_error();
  const auto a = alive(params, customer);
  if (!a) return series_error();
  return *a;
}

result<std::vector<double>> expected_purchases_by_period(const pareto_nbd_params& params,
                                                         const rfm_tuple& customer, int periods,
                                                         double period_length) {
  auto alive_now = probability_alive(params, customer);
  if (!alive_now) return std::move(alive_now).error();
  if (auto e = detail::bad_period_stream(periods, period_length)) return std::move(*e);
  std::vector<double> out;
  out.reserve(static_cast<std::size_t>(periods));
  double previous = 0;
  for (int k = 1; k <= periods; ++k) {
    const double e =
        *alive_now * expected_if_alive(params, customer.x, customer.T, k * period_length);
    out.push_back(std::max(0.0, e - previous));  // rounding noise below 0 is 0
    previous = e;
  }
  return out;
}

}  // namespace cltv::models
