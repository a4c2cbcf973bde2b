#include "cltv/models/covariates.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <boost/math/special_functions/gamma.hpp>

#include "cltv/number.hpp"
#include "models/covariate_likelihood.hpp"
#include "models/optimize.hpp"

namespace cltv::models {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

bool shifts_purchase(covariate_process p) {
  return p != covariate_process::dropout;
}
bool shifts_dropout(covariate_process p) {
  return p != covariate_process::purchase;
}

error no_covariates_for(model_kind kind) {
  return error{"model", "the " + std::string(names_of(kind).name) +
                            " model takes no covariates (bgnbd, mbgnbd or pareto-nbd do)"};
}

// The error for effects whose coefficients do not match their terms one to one.
std::optional<error> mismatched_effects(const covariate_effects& effects) {
  if (effects.coefficients.size() == effects.terms.size()) return std::nullopt;
  return error{"covariate", "the covariate effects have " +
                                std::to_string(effects.coefficients.size()) + " coefficients for " +
                                std::to_string(effects.terms.size()) + " terms"};
}

// BG/NBD's variant for `kind` (bgnbd or mbgnbd).
bgnbd_variant variant_of(model_kind kind) {
  return kind == model_kind::mbgnbd ? bgnbd_variant::mbgnbd : bgnbd_variant::bgnbd;
}

// Σ γ_j z_j over the terms shifting one process; z per term (0 where the term
// does not shift it).
double shift(std::span<const double> coefficients, const double* z) {
  double s = 0;
  for (std::size_t j = 0; j < coefficients.size(); ++j) s += coefficients[j] * z[j];
  return s;
}

// The customer's parameters from the baseline values v (canonical order) and
// the two shifts.
std::array<double, 4> shifted(model_kind kind, std::span<const double> v, double purchase,
                              double dropout) {
  std::array<double, 4> out{v[0], v[1], v[2], v[3]};
  out[1] *= std::exp(-purchase);  // α: a larger purchase shift is a higher rate
  if (kind == model_kind::pareto_nbd) {
    out[3] *= std::exp(-dropout);  // β: a larger dropout shift is a higher dropout rate
  } else {
    out[2] *= std::exp(dropout);  // a and b: CLVTools' bgnbd_staticcov
    out[3] *= std::exp(dropout);
  }
  return out;
}

// Each term's value in one row of a customer's values, per process.
void term_values(std::span<const covariate_term> terms, std::span<const std::size_t> column_of,
                 std::span<const double> row, double* purchase, double* dropout) {
  for (std::size_t j = 0; j < terms.size(); ++j) {
    const double z = row[column_of[j]];
    purchase[j] = shifts_purchase(terms[j].process) ? z : 0;
    dropout[j] = shifts_dropout(terms[j].process) ? z : 0;
  }
}

std::vector<std::size_t> columns_of_terms(std::span<const covariate_term> terms) {
  const std::vector<std::string> columns = covariate_columns(terms);
  std::vector<std::size_t> out;
  out.reserve(terms.size());
  for (const covariate_term& t : terms)
    out.push_back(static_cast<std::size_t>(std::find(columns.begin(), columns.end(), t.covariate) -
                                           columns.begin()));
  return out;
}

}  // namespace

const char* process_name(covariate_process process) noexcept {
  switch (process) {
    case covariate_process::purchase:
      return "purchase";
    case covariate_process::dropout:
      return "dropout";
    case covariate_process::both:
      return "both";
  }
  return "both";
}

result<std::vector<covariate_term>> covariate_terms(const std::vector<std::string>& purchase,
                                                    const std::vector<std::string>& dropout,
                                                    const std::vector<std::string>& equal) {
  const auto contains = [](const std::vector<std::string>& list, const std::string& name) {
    return std::find(list.begin(), list.end(), name) != list.end();
  };
  const auto check_list = [](const std::vector<std::string>& list,
                             const char* which) -> std::optional<error> {
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (list[i].empty())
        return error{"covariate",
                     std::string("an empty covariate name among the ") + which + " covariates"};
      if (std::find(list.begin(), list.begin() + static_cast<std::ptrdiff_t>(i), list[i]) !=
          list.begin() + static_cast<std::ptrdiff_t>(i))
        return error{"covariate", "covariate \"" + list[i] + "\" is listed twice among the " +
                                      which + " covariates"};
    }
    return std::nullopt;
  };
  if (auto e = check_list(purchase, "purchase")) return std::move(*e);
  if (auto e = check_list(dropout, "dropout")) return std::move(*e);
  if (auto e = check_list(equal, "equal")) return std::move(*e);
  for (const std::string& name : equal)
    if (!contains(purchase, name) || !contains(dropout, name))
      return error{"covariate", "covariate \"" + name +
                                    "\" is constrained equal in both processes but is not a "
                                    "covariate of both"};
  std::vector<covariate_term> terms;
  for (const std::string& name : purchase)
    if (!contains(equal, name)) terms.push_back({name, covariate_process::purchase});
  for (const std::string& name : dropout)
    if (!contains(equal, name)) terms.push_back({name, covariate_process::dropout});
  for (const std::string& name : equal) terms.push_back({name, covariate_process::both});
  return terms;
}

std::vector<std::string> covariate_columns(std::span<const covariate_term> terms) {
  std::vector<std::string> columns;
  for (const covariate_term& t : terms)
    if (std::find(columns.begin(), columns.end(), t.covariate) == columns.end())
      columns.push_back(t.covariate);
  return columns;
}

bool takes_covariates(model_kind kind) noexcept {
  return kind == model_kind::bgnbd || kind == model_kind::mbgnbd || kind == model_kind::pareto_nbd;
}

result<purchase_model> customer_model(const purchase_model& base, const covariate_effects& effects,
                                      std::span<const double> values) {
  const model_kind kind = base.kind();
  if (!takes_covariates(kind)) return no_covariates_for(kind);
  if (auto e = mismatched_effects(effects)) return std::move(*e);
  const std::vector<std::size_t> column_of = columns_of_terms(effects.terms);
  const std::size_t columns = covariate_columns(effects.terms).size();
  if (values.size() != columns)
    return error{"covariate", "a customer has " + std::to_string(values.size()) +
                                  " covariate values, the model " + std::to_string(columns)};
  std::vector<double> pz(effects.terms.size()), dz(effects.terms.size());
  term_values(effects.terms, column_of, values, pz.data(), dz.data());
  const std::array<double, 4> v =
      shifted(kind, base.parameters().values, shift(effects.coefficients, pz.data()),
              shift(effects.coefficients, dz.data()));
  return make_purchase_model({kind, {v.begin(), v.end()}});
}

result<double> check_regularisation(const char* field, double lambda) {
  if (!(std::isfinite(lambda) && lambda >= 0))
    return error{field,
                 std::string(field) + " must be a number >= 0, got " + format_shortest(lambda)};
  return lambda;
}

result<likelihood_ratio_test> test_likelihood_ratio(double restricted_log_likelihood,
                                                    double full_log_likelihood,
                                                    int degrees_of_freedom) {
  if (degrees_of_freedom < 1)
    return error{"degrees_of_freedom",
                 "a likelihood-ratio test needs at least one degree of "
                 "freedom, got " +
                     std::to_string(degrees_of_freedom)};
  likelihood_ratio_test test;
  test.degrees_of_freedom = degrees_of_freedom;
  test.restricted_log_likelihood = restricted_log_likelihood;
  test.full_log_likelihood = full_log_likelihood;
  test.statistic = std::max(0.0, 2 * (full_log_likelihood - restricted_log_likelihood));
  test.p_value = boost::math::gamma_q(0.5 * degrees_of_freedom, 0.5 * test.statistic);
  return test;
}

// ---------------------------------------------------------------------------

result<detail::covariate_likelihood> detail::covariate_likelihood::make(
    model_kind kind, std::span<const rfm_tuple> customers, std::span<const double> values,
    std::span<const covariate_term> terms) {
  if (!takes_covariates(kind)) return no_covariates_for(kind);
  if (terms.empty()) return error{"covariate", "no covariates were given"};
  const std::vector<std::string> columns = covariate_columns(terms);
  const std::size_t width = columns.size();
  if (values.size() != customers.size() * width)
    return error{"covariate", std::to_string(values.size()) + " covariate values for " +
                                  std::to_string(customers.size()) + " customers of " +
                                  std::to_string(width) + " covariates"};
  if (customers.empty()) return error{"frequency", "there are no customers"};
  covariate_likelihood out;
  out.kind_ = kind;
  out.terms_ = terms.size();

  // Distinct rows of values, in the order first seen.
  std::map<std::vector<double>, std::size_t> group_of;
  std::vector<std::vector<rfm_tuple>> group_rows;
  std::vector<std::vector<double>> group_values;
  std::vector<double> minimum(width, std::numeric_limits<double>::infinity());
  std::vector<double> maximum(width, -std::numeric_limits<double>::infinity());
  std::vector<double> row(width);
  for (std::size_t i = 0; i < customers.size(); ++i) {
    auto checked = check_rfm_tuple(customers[i], i + 1);
    if (!checked) return std::move(checked).error();
    for (std::size_t c = 0; c < width; ++c) {
      const double z = values[i * width + c];
      if (!std::isfinite(z))
        return error{"covariate", "covariate " + columns[c] + " of row " + std::to_string(i + 1) +
                                      " must be a finite number, got " + format_shortest(z)};
      row[c] = z == 0 ? 0.0 : z;  // −0 and 0 are one group
      minimum[c] = std::min(minimum[c], z);
      maximum[c] = std::max(maximum[c], z);
    }
    auto [slot, added] = group_of.try_emplace(row, group_rows.size());
    if (added) {
      group_rows.emplace_back();
      group_values.push_back(row);
    }
    group_rows[slot->second].push_back(*checked);
  }
  for (std::size_t c = 0; c < width; ++c)
    if (minimum[c] == maximum[c])
      return error{"covariate", "covariate " + columns[c] + " is " + format_shortest(minimum[c]) +
                                    " for every customer: its effect cannot be told apart from "
                                    "the baseline"};

  const std::vector<std::size_t> column_of = columns_of_terms(terms);
  const std::size_t group_count = group_rows.size();
  out.purchase_z_.resize(group_count * terms.size());
  out.dropout_z_.resize(group_count * terms.size());
  for (std::size_t j = 0; j < terms.size(); ++j) {
    const std::size_t c = column_of[j];
    out.term_ranges_.push_back(maximum[c] - minimum[c]);
  }
  for (std::size_t g = 0; g < group_count; ++g) {
    term_values(terms, column_of, group_values[g], &out.purchase_z_[g * terms.size()],
                &out.dropout_z_[g * terms.size()]);
    auto compressed = compress_rfm(group_rows[g]);
    if (!compressed) return std::move(compressed).error();
    double n = 0;
    for (const rfm_tuple& t : *compressed) n += t.count;
    out.group_customers_.push_back(n);
    out.customers_ += n;
    out.tuples_ += compressed->size();
    if (kind == model_kind::pareto_nbd)
      out.pareto_.emplace_back(*compressed);
    else
      out.bgnbd_.emplace_back(*compressed, variant_of(kind));
  }
  return out;
}

double detail::covariate_likelihood::log_likelihood(std::span<const double> x,
                                                    std::span<double> gradient) {
  const std::size_t k = terms_;
  const std::span<const double> gamma = x.subspan(4, k);
  const bool with_gradient = gradient.size() == x.size();
  if (with_gradient) std::fill(gradient.begin(), gradient.end(), 0.0);
  std::array<double, 4> base{};
  for (std::size_t i = 0; i < 4; ++i) base[i] = std::exp(x[i]);
  double total = 0;
  std::array<double, 4> g{};
  for (std::size_t grp = 0; grp < groups(); ++grp) {
    const double* pz = &purchase_z_[grp * k];
    const double* dz = &dropout_z_[grp * k];
    const std::array<double, 4> v = shifted(kind_, base, shift(gamma, pz), shift(gamma, dz));
    for (double e : v)
      if (!(std::isfinite(e) && e > 0)) return -std::numeric_limits<double>::infinity();
    const std::span<double> group_gradient =
        with_gradient ? std::span<double>(g) : std::span<double>{};
    double ll = 0;
    if (kind_ == model_kind::pareto_nbd) {
      ll = pareto_[grp].log_likelihood({v[0], v[1], v[2], v[3]}, group_gradient);
    } else {
      const bgnbd_params p{v[0], v[1], v[2], v[3], variant_of(kind_)};
      ll = bgnbd_[grp].log_likelihood(p, group_gradient);
    }
    total += ll;
    if (!with_gradient) continue;
    for (std::size_t i = 0; i < 4; ++i) gradient[i] += g[i];
    // ∂/∂γ_j: ln α_g = ln α − γ·z_purchase; Pareto/NBD ln β_g = ln β − γ·z_dropout;
    // BG/NBD ln a_g = ln a + γ·z_dropout, ln b_g likewise.
    const double dropout_weight = kind_ == model_kind::pareto_nbd ? -g[3] : g[2] + g[3];
    for (std::size_t j = 0; j < k; ++j) gradient[4 + j] += -g[1] * pz[j] + dropout_weight * dz[j];
  }
  return total;
}

// ---------------------------------------------------------------------------

namespace {

// The sum of λ γ² over the terms, and its gradient and Hessian diagonal
// (per term: the λ of each process it shifts).
std::vector<double> penalty_weights(std::span<const covariate_term> terms,
                                    const covariate_penalty& penalty) {
  std::vector<double> w;
  w.reserve(terms.size());
  for (const covariate_term& t : terms)
    w.push_back((shifts_purchase(t.process) ? penalty.purchase : 0) +
                (shifts_dropout(t.process) ? penalty.dropout : 0));
  return w;
}

}  // namespace

namespace {

// Σ λ γ² at x = (ln θ, γ): the regularisation's value.
double penalty_at(const std::vector<double>& weights, std::span<const double> x) {
  double sum = 0;
  for (std::size_t j = 0; j < weights.size(); ++j) sum += weights[j] * x[4 + j] * x[4 + j];
  return sum;
}

// The penalised mean negative log-likelihood per customer over x = (ln θ, γ), with its gradient;
// 1e300 where the model cannot be evaluated.
detail::objective covariate_objective(detail::covariate_likelihood& likelihood,
                                      const std::vector<double>& weights) {
  return [&likelihood, &weights](std::span<const double> x, std::span<double> gradient) {
    std::vector<double> g(gradient.empty() ? 0 : x.size());
    const double ll = likelihood.log_likelihood(x, g);
    const double n = likelihood.customers();
    bool finite = std::isfinite(ll);
    double value = -ll / n;
    value += penalty_at(weights, x);
    for (std::size_t i = 0; i < gradient.size(); ++i) {
      gradient[i] = -g[i] / n + (i >= 4 ? 2 * weights[i - 4] * x[i] : 0.0);
      finite = finite && std::isfinite(gradient[i]);
    }
    if (!finite || !std::isfinite(value)) {
      std::fill(gradient.begin(), gradient.end(), 0.0);
      return 1e300;
    }
    return value;
  };
}

// The log-likelihood of the model without the constraints of `terms` (each constrained
// covariate with a coefficient per process), fitted from the constrained optimum `x` (its
// coefficients copied to both processes), so that it is at least the constrained one.
result<double> unconstrained_log_likelihood(model_kind kind, std::span<const rfm_tuple> customers,
                                            std::span<const double> values,
                                            std::span<const covariate_term> terms,
                                            const covariate_penalty& penalty,
                                            std::span<const double> x) {
  std::vector<covariate_term> free;
  std::vector<double> start(x.begin(), x.begin() + 4);
  for (std::size_t j = 0; j < terms.size(); ++j) {
    if (terms[j].process != covariate_process::both) {
      free.push_back(terms[j]);
      start.push_back(x[4 + j]);
      continue;
    }
    free.push_back({terms[j].covariate, covariate_process::purchase});
    free.push_back({terms[j].covariate, covariate_process::dropout});
    start.insert(start.end(), {x[4 + j], x[4 + j]});
  }
  auto made = detail::covariate_likelihood::make(kind, customers, values, free);
  if (!made) return std::move(made).error();
  const std::vector<double> weights = penalty_weights(free, penalty);
  const detail::objective objective = covariate_objective(*made, weights);
  auto minimum = detail::minimize(objective, start);
  if (!minimum) return std::move(minimum).error();
  if (!minimum->converged) return error{"", minimum->status};
  return -(minimum->value - penalty_at(weights, minimum->x)) * made->customers();
}

}  // namespace

result<covariate_fit> fit_with_covariates(model_kind kind, std::span<const rfm_tuple> customers,
                                          std::span<const double> values,
                                          std::vector<covariate_term> terms,
                                          const covariate_penalty& penalty) {
  if (!takes_covariates(kind)) return no_covariates_for(kind);
  if (auto e = check_regularisation("reg-trans", penalty.purchase); !e) return std::move(e).error();
  if (auto e = check_regularisation("reg-life", penalty.dropout); !e) return std::move(e).error();
  auto made = detail::covariate_likelihood::make(kind, customers, values, terms);
  if (!made) return std::move(made).error();
  detail::covariate_likelihood likelihood = std::move(*made);

  // The model without covariates: the start, and the test's restricted model.
  std::vector<rfm_tuple> all(customers.begin(), customers.end());
  auto plain = fit_purchase_model(kind, all);
  if (!plain) return std::move(plain).error();
  const std::string label(names_of(kind).label);

  const std::size_t k = terms.size();
  const std::size_t n_params = 4 + k;
  const double n = likelihood.customers();
  const std::vector<double> weights = penalty_weights(terms, penalty);
  const detail::objective objective = covariate_objective(likelihood, weights);
  std::vector<double> start;
  for (double v : plain->model.parameters().values) start.push_back(std::log(v));
  start.resize(n_params, 0.0);
  auto minimum = detail::minimize(objective, start);
  if (!minimum)
    return error{"", "the " + label + " fit with covariates failed: " + minimum.error().message};
  if (!minimum->converged)
    return error{"", "the " + label + " fit with covariates did not converge: " + minimum->status};
  const std::vector<double>& x = minimum->x;
  const auto& parameter_names = names_of(kind).parameters;
  for (std::size_t i = 0; i < 4; ++i)
    if (std::abs(x[i]) > 25)
      return error{std::string(parameter_names[i]),
                   "the " + label + " fit with covariates has no interior maximum: " +
                       std::string(parameter_names[i]) + " ran off to " +
                       format_shortest(std::exp(x[i])) + " (the data do not identify the model)"};
  covariate_fit fit{plain->model, {}, {}, {}, {}, penalty, {}, plain->model, std::nullopt, {}, 0};
  std::vector<double> base(4);
  for (std::size_t i = 0; i < 4; ++i) base[i] = std::exp(x[i]);
  auto model = make_purchase_model({kind, base});
  if (!model) return std::move(model).error();
  fit.model = *model;
  fit.effects.terms = std::move(terms);
  fit.effects.coefficients.assign(x.begin() + 4, x.end());

  std::vector<double> h = detail::hessian(objective, x);
  for (double& e : h) e *= n;
  fit.report.log_hessian = h;
  auto inverse = detail::inverse_hessian(h, n_params);
  constexpr double z95 = 1.959963984540054;
  if (inverse) {
    fit.report.covariance.resize(n_params * n_params);
    const auto scale = [&](std::size_t i) { return i < 4 ? base[i] : 1.0; };
    for (std::size_t i = 0; i < n_params; ++i)
      for (std::size_t j = 0; j < n_params; ++j)
        fit.report.covariance[i * n_params + j] =
            scale(i) * scale(j) * (*inverse)[i * n_params + j];
  } else {
    fit.report.standard_errors_missing =
        "the Hessian of the log-likelihood is not positive definite at the estimate (" +
        inverse.error().message + ")";
  }
  for (std::size_t i = 0; i < n_params; ++i) {
    const double variance = inverse ? (*inverse)[i * n_params + i] : nan;
    const double se = variance > 0 ? std::sqrt(variance) : nan;
    if (i < 4) {
      fit.estimates.push_back(std::isfinite(se) ? estimate_from_log(x[i], se)
                                                : estimate_without_error(x[i]));
      continue;
    }
    coefficient_estimate c;
    c.value = x[i];
    c.standard_error = se;
    c.lower_95 = x[i] - z95 * se;
    c.upper_95 = x[i] + z95 * se;
    c.z = x[i] / se;
    c.p_value = std::isfinite(se) ? std::erfc(std::abs(c.z) / std::sqrt(2.0)) : nan;
    fit.coefficients.push_back(c);
  }
  // A coefficient that moves a parameter by a factor beyond e^10 between customers has run
  // towards a boundary (BG/NBD: a and b → 0 together, every customer of the group dropping out
  // at once or never); the likelihood keeps rising, slowly, that way. The optimum found stands,
  // said so.
  std::string runaway;
  for (std::size_t j = 0; j < k; ++j)
    if (std::abs(x[4 + j]) * likelihood.term_ranges()[j] > 10)
      runaway += std::string(runaway.empty() ? "" : "; ") + "the " +
                 process_name(fit.effects.terms[j].process) + " coefficient of " +
                 fit.effects.terms[j].covariate + " ran off to " + format_significant(x[4 + j], 4);
  if (!runaway.empty())
    fit.report.degenerate =
        runaway +
        " (it scales a parameter by more than e^10 between customers): the "
        "likelihood has no interior maximum that way, and the estimates are where the "
        "optimiser stopped on a flat ridge; a regularisation (--reg-trans, --reg-life) "
        "holds the coefficients";
  fit.report.converged = true;
  fit.report.evaluations = minimum->evaluations;
  fit.report.log_likelihood = -(minimum->value - penalty_at(weights, x)) * n;
  fit.report.customers = static_cast<std::uint64_t>(std::llround(n));
  fit.report.unique_tuples = likelihood.tuples();
  fit.value_rows = likelihood.groups();
  fit.report.status = minimum->status;
  auto test = test_likelihood_ratio(plain->report.log_likelihood, fit.report.log_likelihood,
                                    static_cast<int>(k));
  if (!test) return std::move(test).error();
  fit.against_no_covariates = *test;

  // The constraints' test: against the same covariates each free in both processes.
  int constrained = 0;
  for (const covariate_term& t : fit.effects.terms)
    constrained += t.process == covariate_process::both ? 1 : 0;
  if (constrained > 0) {
    auto unconstrained =
        unconstrained_log_likelihood(kind, customers, values, fit.effects.terms, penalty, x);
    if (unconstrained) {
      auto constraint =
          test_likelihood_ratio(fit.report.log_likelihood, *unconstrained, constrained);
      if (!constraint) return std::move(constraint).error();
      fit.against_unconstrained = *constraint;
    } else {
      fit.constraint_test_missing =
          "the fit without the constraints failed: " + unconstrained.error().message;
    }
  }
  return fit;
}

result<double> log_likelihood(const purchase_model& base, const covariate_effects& effects,
                              std::span<const rfm_tuple> customers,
                              std::span<const double> values) {
  const model_kind kind = base.kind();
  if (auto e = mismatched_effects(effects)) return std::move(*e);
  auto likelihood = detail::covariate_likelihood::make(kind, customers, values, effects.terms);
  if (!likelihood) return std::move(likelihood).error();
  std::vector<double> x;
  for (double v : base.parameters().values) x.push_back(std::log(v));
  x.insert(x.end(), effects.coefficients.begin(), effects.coefficients.end());
  const double ll = likelihood->log_likelihood(x, {});
  if (!std::isfinite(ll)) return error{"", "the log-likelihood is not finite at these parameters"};
  return ll;
}

}  // namespace cltv::models
