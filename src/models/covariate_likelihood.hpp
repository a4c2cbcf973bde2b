#pragma once
// The log-likelihood of a purchase model with covariates (models/covariates.hpp)
// over its fit's unknowns x = (ln θ₁, …, ln θ₄, γ₁, …, γ_k): the baseline
// parameters in logs, then the coefficients. Customers are grouped by their
// distinct rows of values; each group's tuples are compressed and summed by
// the model's own likelihood at the group's parameters, and the chain rule
// carries the group's gradient over to the coefficients. Internal to the
// library (not installed).

#include <cstddef>
#include <span>
#include <variant>
#include <vector>

#include "cltv/error.hpp"
#include "cltv/models/covariates.hpp"
#include "models/bgnbd_likelihood.hpp"
#include "models/pareto_nbd_kernel.hpp"

namespace cltv::models::detail {

class covariate_likelihood {
 public:
  /// Checks the rows and values (as fit_with_covariates says) and groups
  /// them; fails naming the first bad one.
  [[nodiscard]] static result<covariate_likelihood> make(model_kind kind,
                                                         std::span<const rfm_tuple> customers,
                                                         std::span<const double> values,
                                                         std::span<const covariate_term> terms);

  /// The total log-likelihood at x; when `gradient` has x.size() elements,
  /// also ∂LL/∂x. Not finite where the model cannot be evaluated.
  [[nodiscard]] double log_likelihood(std::span<const double> x, std::span<double> gradient);

  [[nodiscard]] double customers() const noexcept { return customers_; }
  [[nodiscard]] std::size_t groups() const noexcept { return group_customers_.size(); }
  [[nodiscard]] std::size_t tuples() const noexcept { return tuples_; }
  /// The range (largest − smallest value) of each term's covariate: a coefficient γ moves
  /// a parameter by a factor up to e^{|γ|·range} between customers.
  [[nodiscard]] const std::vector<double>& term_ranges() const noexcept { return term_ranges_; }

 private:
  model_kind kind_ = model_kind::bgnbd;
  std::size_t terms_ = 0;
  // Per group and term: the covariate's value where the term shifts the
  // purchase (dropout) process, else 0. Row-major groups × terms.
  std::vector<double> purchase_z_;
  std::vector<double> dropout_z_;
  std::vector<double> group_customers_;
  std::vector<pareto_nbd_data> pareto_;
  std::vector<bgnbd_tuple_likelihood> bgnbd_;
  std::vector<double> term_ranges_;
  double customers_ = 0;
  std::size_t tuples_ = 0;
};

}  // namespace cltv::models::detail
