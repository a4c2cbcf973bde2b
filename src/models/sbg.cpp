#include "cltv/models/sbg.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <boost/math/special_functions/gamma.hpp>

#include "cltv/number.hpp"
#include "models/optimize.hpp"
#include "models/special.hpp"

namespace cltv::models {

namespace {

using detail::log_gamma;
using detail::math_policy;

// Above 2^53 counts are no longer exact in a double.
constexpr double max_count = 9007199254740992.0;

// ln(Γ(a)/Γ(a + δ)), a, δ > 0. Boost's ratio is accurate to a few ulp,
// where the difference of two lgamma values of size a ln a loses about
// log10(a ln a) digits (1e−10 relative at a = 1e5). Only when the ratio
// leaves the range of a double (δ ln a > 700: α in the hundreds) do we fall
// back on that difference.
double log_gamma_delta_ratio(double a, double delta) {
  const double ratio = boost::math::tgamma_delta_ratio(a, delta, math_policy());
  if (std::isnormal(ratio)) return std::log(ratio);
  return log_gamma(a) - log_gamma(a + delta);
}

// ln S(t) = ln B(α, β + t) − ln B(α, β)
//         = ln(Γ(β + t)/Γ(α + β + t)) − ln(Γ(β)/Γ(α + β)).
double log_survival(const sbg_params& params, std::int64_t t) {
  if (t == 0) return 0;
  return log_gamma_delta_ratio(params.beta + static_cast<double>(t), params.alpha) -
         log_gamma_delta_ratio(params.beta, params.alpha);
}

std::string period_text(std::size_t t) {
  return "period " + std::to_string(t);
}

// Checks a survival curve; `min_points` counts period 0.
std::optional<error> check_active(std::span<const double> active, std::size_t min_points) {
  if (active.size() < min_points)
    return error{"active", "active needs the counts of at least " + std::to_string(min_points) +
                               " periods (0 to " + std::to_string(min_points - 1) + "), got " +
                               std::to_string(active.size())};
  for (std::size_t t = 0; t < active.size(); ++t) {
    const double n = active[t];
    if (!(n >= 0 && n <= max_count && n == std::floor(n)))
      return error{"active", "active count of " + period_text(t) +
                                 " must be a whole number of customers, got " + format_shortest(n)};
    if (t == 0 && n == 0)
      return error{"active", "active count of period 0 must be positive: the cohort is empty"};
    if (t > 0 && n > active[t - 1])
      return error{"active", "active count of " + period_text(t) + " (" + format_shortest(n) +
                                 ") is more than that of " + period_text(t - 1) + " (" +
                                 format_shortest(active[t - 1]) +
                                 "): the customers still active cannot increase"};
  }
  return std::nullopt;
}

// LL of a checked curve and, when `grad` is given, ∂LL/∂α and ∂LL/∂β.
//
// Everything follows from the recursions of Fader & Hardie 2007:
//   ln S(t) = ln S(t−1) + ln((β + t − 1) / (α + β + t − 1)),
//   ln P(T = t) = ln α + ln S(t − 1) − ln(α + β + t − 1),
// whose derivatives are the finite sums A_t = Σ_{j<t} 1/(α + β + j) and
// B_t = Σ_{j<t} 1/(β + j) (the digamma differences ψ(α+β+t) − ψ(α+β) and
// ψ(β+t) − ψ(β), without their cancellation):
//   ∂ ln P(T = t)/∂α = 1/α − A_t,  ∂ ln P(T = t)/∂β = B_{t−1} − A_t,
//   ∂ ln S(t)/∂α = −A_t,            ∂ ln S(t)/∂β = B_t − A_t.
double log_likelihood(double alpha, double beta, std::span<const double> active, double* grad) {
  double ll = 0, d_alpha = 0, d_beta = 0;
  double ln_s = 0;  // ln S(t − 1)
  double a = 0;     // A_{t−1}
  double b = 0;     // B_{t−1}
  for (std::size_t t = 1; t < active.size(); ++t) {
    const double ab = alpha + beta + static_cast<double>(t - 1);
    const double a_t = a + 1 / ab;
    const double churned = active[t - 1] - active[t];
    if (churned > 0) {  // a term with no customer is 0, even where ln P is −inf
      ll += churned * (std::log(alpha) + ln_s - std::log(ab));
      d_alpha += churned * (1 / alpha - a_t);
      d_beta += churned * (b - a_t);
    }
    // ln((β + t − 1)/(α + β + t − 1)): by log1p near 1 (α small), where the
    // ratio would lose digits; by the logs when α dominates, where 1 − α/ab
    // may round to 0.
    const double share = alpha / ab;
    ln_s += share < 0.5 ? std::log1p(-share)
                        : std::log(beta + static_cast<double>(t - 1)) - std::log(ab);
    b += 1 / (beta + static_cast<double>(t - 1));
    a = a_t;
  }
  const double still_active = active.back();
  if (still_active > 0) {
    ll += still_active * ln_s;
    d_alpha -= still_active * a;
    d_beta += still_active * (b - a);
  }
  if (grad != nullptr) {
    grad[0] = d_alpha;
    grad[1] = d_beta;
  }
  return ll;
}

}  // namespace

result<double> sbg_log_likelihood(const sbg_params& params, std::span<const double> active,
                                  std::span<double> gradient) {
  if (auto checked = make_sbg_params(params.alpha, params.beta); !checked)
    return std::move(checked).error();
  if (auto e = check_active(active, 2)) return *std::move(e);
  if (!gradient.empty() && gradient.size() != 2)
    return error{"gradient", "gradient must hold 2 elements (alpha, beta), got " +
                                 std::to_string(gradient.size())};
  return log_likelihood(params.alpha, params.beta, active,
                        gradient.empty() ? nullptr : gradient.data());
}

result<double> check_next_active_count(double count, std::optional<double> previous) {
  if (!(count >= 0 && count == std::floor(count) && count < 9007199254740992.0))
    return error{"active",
                 "active count must be a whole number >= 0, got " + format_shortest(count)};
  if (previous && count > *previous)
    return error{"active", "active count " + format_shortest(count) + " is greater than " +
                               format_shortest(*previous) +
                               " the period before; a survival curve never increases"};
  return count;
}

result<sbg_fit> fit_sbg(std::span<const double> active) {
  if (auto e = check_active(active, 3)) return *std::move(e);
  const std::vector<double> curve(active.begin(), active.end());
  return fit_sbg_cohorts(std::span<const std::vector<double>>(&curve, 1));
}

result<sbg_fit> fit_sbg_cohorts(std::span<const std::vector<double>> cohorts) {
  if (cohorts.empty()) return error{"active", "no cohort to fit"};
  double n0 = 0;
  double nk = 0;
  std::size_t k = 0;  // churn counts (periods 1..k of every cohort)
  std::size_t longest = 0;
  for (std::size_t c = 0; c < cohorts.size(); ++c) {
    if (auto e = check_active(cohorts[c], 1)) {
      if (cohorts.size() == 1) return *std::move(e);
      return error{e->field, "cohort " + std::to_string(c + 1) + ": " + e->message};
    }
    n0 += cohorts[c].front();
    nk += cohorts[c].back();
    k += cohorts[c].size() - 1;
    longest = std::max(longest, cohorts[c].size() - 1);
  }
  if (longest < 2)
    return error{"active",
                 "at least one cohort needs the counts of 3 periods (0 to 2): one "
                 "period identifies only the mean churn"};
  if (nk == n0)
    return error{"active", "no customer of the " + format_shortest(n0) + " churned by " +
                               period_text(longest) + ": the churn rate cannot be estimated"};
  // Customers seen past period 0: without any, there is no retention to fit.
  double renewed = 0;
  for (const auto& curve : cohorts)
    if (curve.size() > 1) renewed += curve[1];
  if (renewed == 0)
    return error{"active",
                 "all " + format_shortest(n0) +
                     " customers churned at the end of period 0: there is no retention to fit"};
  const auto pooled = [cohorts](double alpha, double beta, double* grad) {
    double ll = 0;
    double g[2] = {0, 0};
    for (const auto& curve : cohorts) {
      double gc[2];
      ll += log_likelihood(alpha, beta, curve, gc);
      g[0] += gc[0];
      g[1] += gc[1];
    }
    grad[0] = g[0];
    grad[1] = g[1];
    return ll;
  };

  // Minimise the mean −LL per customer over (ln α, ln β): unconstrained, the
  // scale on which the likelihood is closest to quadratic, and tolerances
  // that mean the same for 100 or 10⁶ customers (as fit_bgnbd does).
  const detail::objective objective = [&pooled, n0](std::span<const double> x,
                                                    std::span<double> gradient) {
    // Beyond e^±690 (1e±300), 1/β or α + β + t would overflow: no optimum
    // lies there; a large value turns the line search back.
    if (!(std::abs(x[0]) < 690 && std::abs(x[1]) < 690)) {
      if (!gradient.empty()) gradient[0] = gradient[1] = 0;
      return 1e300;
    }
    const double alpha = std::exp(x[0]);
    const double beta = std::exp(x[1]);
    double g[2];
    const double ll = pooled(alpha, beta, g);
    if (!gradient.empty()) {
      gradient[0] = -g[0] * alpha / n0;  // ∂/∂ln α = α ∂/∂α
      gradient[1] = -g[1] * beta / n0;
    }
    return -ll / n0;
  };
  // α = β = 1 (θ uniform) is the uninformative start.
  auto minimum = detail::minimize(objective, {0.0, 0.0});
  if (!minimum) return error{"", "the sBG fit failed: " + minimum.error().message};
  if (!minimum->converged) return error{"", "the sBG fit did not converge: " + minimum->status};
  const std::vector<double>& x = minimum->x;
  const double alpha = std::exp(x[0]);
  const double beta = std::exp(x[1]);
  const double ll = -minimum->value * n0;

  // A constant churn rate is the limit of the sBG as α, β → ∞ with α/(α + β)
  // fixed; its best fit is θ = churned / customer-periods at risk. When the
  // retention rate does not rise with tenure (no heterogeneity to see), the
  // sBG likelihood creeps towards that limit without a maximum, and the
  // optimiser stops somewhere along the ridge once the gain is below its
  // tolerance. An sBG fit must therefore beat the limit by more than that.
  double at_risk = 0;
  for (const auto& curve : cohorts)
    for (std::size_t t = 1; t < curve.size(); ++t) at_risk += curve[t - 1];
  const double churned = n0 - nk;
  const double churn = churned / at_risk;  // < 1: some cohort renews and is at risk twice
  const double geometric_ll = churned * std::log(churn) + (at_risk - churned) * std::log1p(-churn);
  if (ll - geometric_ll <= 1e-9 * std::max(1.0, std::abs(geometric_ll)) || std::abs(x[0]) > 25 ||
      std::abs(x[1]) > 25)
    return error{"active",
                 "the retention rate of the curve does not rise with tenure, so the "
                 "sBG model has no estimate (alpha and beta run to infinity); a "
                 "constant churn rate of " +
                     format_shortest(churn) + " per period describes it"};

  std::vector<double> h = detail::hessian(objective, x);
  // Of the total negative log-likelihood.
  std::transform(h.begin(), h.end(), h.begin(), [n0](double e) { return e * n0; });
  sbg_fit fit;
  const std::vector<parameter_estimate> e = detail::estimates_from_hessian(x, h, fit.report);
  fit.params = {alpha, beta};
  fit.alpha = e[0];
  fit.beta = e[1];
  fit.report.converged = true;
  fit.report.evaluations = minimum->evaluations;
  fit.report.log_likelihood = ll;
  fit.report.customers = static_cast<std::uint64_t>(n0);
  fit.report.unique_tuples = k;  // the churn counts of periods 1..k of each cohort
  fit.report.status = minimum->status;
  return fit;
}

double sbg_churn_probability(const sbg_params& params, std::int64_t t) {
  // P(T = t) = S(t − 1) · α/(α + β + t − 1): the share active in period t − 1
  // times their churn rate 1 − r_t.
  const double ft = static_cast<double>(t);
  return std::exp(std::log(params.alpha / (params.alpha + params.beta + ft - 1)) +
                  log_survival(params, t - 1));
}

double sbg_survival(const sbg_params& params, std::int64_t t) {
  return std::exp(log_survival(params, t));
}

double sbg_retention_rate(const sbg_params& params, std::int64_t t) {
  const double ft = static_cast<double>(t);
  return (params.beta + ft - 1) / (params.alpha + params.beta + ft - 1);
}

result<double> sbg_ltv(const sbg_params& params, double margin, double discount_rate,
                       std::optional<int> horizon) {
  if (!std::isfinite(margin))
    return error{"margin", "margin must be a finite number, got " + format_shortest(margin)};
  auto paid = sbg_paid_periods(params, discount_rate, horizon);
  if (!paid) return paid;
  return margin * *paid;
}

}  // namespace cltv::models
