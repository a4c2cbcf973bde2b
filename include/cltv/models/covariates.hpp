#pragma once
// Customer attributes (gender, acquisition channel, plan) as covariates of the
// purchase models, in CLVTools' parameterisation of time-invariant ("static")
// covariates. A customer with values z has her own parameters:
//
//   Pareto/NBD:        α_i = α·exp(−γ_purchase·z),  β_i = β·exp(−γ_dropout·z)
//   BG/NBD, MBG/NBD:   α_i = α·exp(−γ_purchase·z),  a_i = a·exp(γ_dropout·z),
//                      b_i = b·exp(γ_dropout·z)
//
// so a positive purchase coefficient means more purchases (a smaller α is a
// higher purchase rate), and for Pareto/NBD a positive dropout coefficient
// means earlier dropout. The baseline parameters are those of a customer
// whose values are all 0.
//
// The fit is by maximum likelihood over the baseline parameters (in logs) and
// the coefficients, with exact gradients. Customers with the same values
// share their parameters, so they are compressed to distinct (x, t_x, T)
// tuples within each distinct row of values: dummies (a handful of distinct
// rows) cost little more than the fit without covariates; a continuous
// covariate gives every customer a group of her own.

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "cltv/error.hpp"
#include "cltv/models/fit.hpp"
#include "cltv/models/model_kind.hpp"
#include "cltv/models/purchase_model.hpp"
#include "cltv/models/rfm_data.hpp"

namespace cltv::models {

/// Which process a coefficient shifts: the purchase process (CLVTools'
/// "trans"), the dropout process ("life"), or both with one coefficient
/// (CLVTools' constraint).
enum class covariate_process { purchase, dropout, both };

/// "purchase", "dropout" or "both".
[[nodiscard]] const char* process_name(covariate_process process) noexcept;

/// One coefficient: covariate `covariate` in `process`.
struct covariate_term {
  std::string covariate;
  covariate_process process = covariate_process::both;
};

/// The terms of covariates given per process: each covariate of `purchase`
/// and of `dropout` gets a coefficient in that process, except those in
/// `equal`, which must be in both lists and get one coefficient for both.
/// Fails naming the covariate when a name is empty or repeated in a list, or
/// an `equal` covariate is not in both lists.
///
/// Example: covariate_terms({"Gender", "Channel"}, {"Gender", "Channel"}, {"Gender"})
///   == {Channel purchase, Channel dropout, Gender both}.
[[nodiscard]] result<std::vector<covariate_term>> covariate_terms(
    const std::vector<std::string>& purchase, const std::vector<std::string>& dropout,
    const std::vector<std::string>& equal = {});

/// The distinct covariates of `terms`, in the order they first appear: the
/// columns a customer's values are given in.
[[nodiscard]] std::vector<std::string> covariate_columns(std::span<const covariate_term> terms);

/// Coefficients for the terms: what a fit estimates and a model file keeps.
struct covariate_effects {
  std::vector<covariate_term> terms;
  std::vector<double> coefficients;  ///< one per term
};

/// The parameters of a customer with `values` (in the order of
/// covariate_columns(effects.terms)) under the baseline model `base`.
/// Fails when the model takes no covariates (BG/BB, Gamma-Gompertz/NBD),
/// when the sizes disagree, or when a parameter leaves the positive numbers.
[[nodiscard]] result<purchase_model> customer_model(const purchase_model& base,
                                                    const covariate_effects& effects,
                                                    std::span<const double> values);

/// Whether `kind` takes covariates (BG/NBD, MBG/NBD, Pareto/NBD).
[[nodiscard]] bool takes_covariates(model_kind kind) noexcept;

/// L2 regularisation of the coefficients, as CLVTools' `reg.lambdas`: the fit
/// minimises the mean negative log-likelihood per customer plus
/// λ_purchase Σ γ² over the purchase coefficients plus λ_dropout Σ γ² over the
/// dropout coefficients (a coefficient of both processes counts in both
/// sums). The baseline parameters are not penalised.
struct covariate_penalty {
  double purchase = 0;  ///< λ >= 0
  double dropout = 0;   ///< λ >= 0
};

/// Checks a λ: a finite number >= 0, named by `field` ("reg-trans must be a
/// number >= 0, got -1").
[[nodiscard]] result<double> check_regularisation(const char* field, double lambda);

/// A likelihood-ratio test of a restricted model nested in a fuller one:
/// statistic 2 (LL_full − LL_restricted), χ² with `degrees_of_freedom`.
struct likelihood_ratio_test {
  double statistic = 0;
  int degrees_of_freedom = 0;
  double p_value = 1;
  double restricted_log_likelihood = 0;
  double full_log_likelihood = 0;
};

/// The test from the two log-likelihoods; a statistic below 0 (the optimiser
/// stopped a hair short) counts as 0. Fails when degrees_of_freedom < 1.
[[nodiscard]] result<likelihood_ratio_test> test_likelihood_ratio(double restricted_log_likelihood,
                                                                  double full_log_likelihood,
                                                                  int degrees_of_freedom);

/// A coefficient's estimate: value ± 1.96 standard errors (a coefficient is
/// not bounded, so its interval is symmetric, unlike parameter_estimate's).
/// NaN standard error and interval when the fit has none.
struct coefficient_estimate {
  double value = 0;
  double standard_error = 0;
  double lower_95 = 0;
  double upper_95 = 0;
  double z = 0;        ///< value / standard_error
  double p_value = 0;  ///< two-sided, of the Wald test of γ = 0
};

/// A purchase model fitted with covariates.
struct covariate_fit {
  purchase_model model;                       ///< the baseline (values all 0)
  std::vector<parameter_estimate> estimates;  ///< in the order of names_of(kind).parameters
  covariate_effects effects;
  std::vector<coefficient_estimate> coefficients;  ///< one per term
  /// Of the fit: its covariance is over the baseline parameters (natural
  /// scale) then the coefficients, row-major; log_hessian is over their
  /// logs then the coefficients. log_likelihood is without the penalty. With
  /// a penalty (`penalty` not 0), the Hessian, covariance and standard errors
  /// are those of the penalised objective and the tests compare penalised
  /// estimates: read them with care.
  fit_report report;
  covariate_penalty penalty;
  /// Against the same model fitted without covariates (its estimates in
  /// `without_covariates`), degrees of freedom the number of coefficients.
  likelihood_ratio_test against_no_covariates;
  purchase_model without_covariates;
  /// With constrained terms (process both): the test of the constraints, this
  /// fit being the restricted model and the same fit with each constrained
  /// covariate given a coefficient per process the full one (degrees of
  /// freedom: the constrained terms).
  std::optional<likelihood_ratio_test> against_unconstrained;
  /// Why there is no against_unconstrained although there are constrained
  /// terms (the fit without the constraints failed); empty otherwise.
  std::string constraint_test_missing;
  /// The distinct rows of values among the customers: the groups whose
  /// tuples the likelihood compresses (report.unique_tuples is their sum).
  std::size_t value_rows = 0;
};

/// Fits model `kind` (takes_covariates) to `customers` (one row each,
/// checked as check_rfm_tuple; a count above 1 stands for that many customers
/// with the same values) whose covariate values are `values`, row-major, one
/// row of covariate_columns(terms).size() per customer. Starts from the fit
/// without covariates (also the test's restricted model) and all
/// coefficients 0. With constrained terms, also fits the model without the
/// constraints, for against_unconstrained.
///
/// A coefficient that runs off (it scales a parameter by more than e^10
/// between customers: e.g. a dummy whose customers all buy again or none do) is
/// reported in report.degenerate, the estimates standing where the optimiser
/// stopped; a regularisation holds it.
///
/// Fails naming the reason: a bad row or value (field "covariate", naming the
/// row), no terms, a covariate that is constant across customers (its
/// coefficient would duplicate the baseline), a fit that fails or does not
/// converge, or a baseline parameter running off (ln θ beyond ±25).
[[nodiscard]] result<covariate_fit> fit_with_covariates(model_kind kind,
                                                        std::span<const rfm_tuple> customers,
                                                        std::span<const double> values,
                                                        std::vector<covariate_term> terms,
                                                        const covariate_penalty& penalty = {});

/// The log-likelihood (total, without constants or penalty) of `customers`
/// with `values` (as fit_with_covariates takes them) under `base` and
/// `effects`.
[[nodiscard]] result<double> log_likelihood(const purchase_model& base,
                                            const covariate_effects& effects,
                                            std::span<const rfm_tuple> customers,
                                            std::span<const double> values);

}  // namespace cltv::models
