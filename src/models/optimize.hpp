#pragma once
// Maximum likelihood for the CLV models: minimise a negative log-likelihood
// over unconstrained (log) parameters with NLopt's L-BFGS and exact
// gradients, then standard errors from the Hessian at the optimum. Internal
// to the library (not installed).

#include <functional>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "cltv/error.hpp"
#include "cltv/models/fit.hpp"

namespace cltv::models::detail {

/// f(x, gradient): the objective at x; when `gradient` is not empty, also
/// writes ∂f/∂x into it. Must be finite for every finite x it is given (use a
/// large value, not NaN/inf, where the model is undefined).
using objective = std::function<double(std::span<const double> x, std::span<double> gradient)>;

struct minimize_options {
  double relative_tolerance = 1e-12;  // on f
  double x_tolerance = 1e-10;         // relative, on x
  int max_evaluations = 10000;  // checked between L-BFGS iterations: a line search may pass it
};

struct minimize_result {
  std::vector<double> x;
  double value = 0;  // f at x
  int evaluations = 0;
  bool converged = false;
  std::string status;  // the reason, in words ("converged: relative change in f below 1e-12")
  std::vector<double> gradient;  // ∇f at x where the optimiser keeps it (minimize_near); else empty
};

/// Minimises f from `start`. A failure of the optimiser itself (NaN, round-off
/// limited without progress, out of memory) is an error naming the reason;
/// stopping at max_evaluations is a result with converged = false.
[[nodiscard]] result<minimize_result> minimize(const objective& f, std::vector<double> start,
                                               const minimize_options& options = {});

/// Minimises f from a `start` near its minimum whose inverse Hessian is known
/// approximately (`inverse_hessian`, row-major n×n, positive definite: from a
/// fit of the same model to a sketch of the data, say): BFGS from that
/// estimate, each step a quasi-Newton step halved until the Armijo condition
/// holds. Near the minimum that takes a few evaluations where L-BFGS, which
/// starts from a scaled identity, takes a dozen. Converged when the next step
/// is predicted to lower f by less than options.relative_tolerance relative to
/// f, or is below options.x_tolerance relative to x (to 1 where |x| < 1), or a
/// whole step lowered f by less than the tolerance; then `gradient` holds ∇f
/// at x. Unconverged (continue with minimize()) after
/// options.max_evaluations, when no halving lowers f enough, or when the
/// estimate stops being positive definite.
[[nodiscard]] result<minimize_result> minimize_near(const objective& f, std::vector<double> start,
                                                    std::vector<double> inverse_hessian,
                                                    const minimize_options& options = {});

/// The Hessian of an objective at x (row-major n×n); it may evaluate the
/// objective it is given (by differences) or not (a closed form).
using hessian_at = std::function<std::vector<double>(const objective&, std::span<const double>)>;

/// The minimum of f (a model on the data) found from the model's minimum on a
/// sketch of the data (`sketch`, the same model on sketch_of's tuples, both
/// as means per customer): L-BFGS on the sketch from `start`, its Hessian
/// there, then minimize_near on f, continued by minimize() if that does not
/// converge. The evaluation count includes the sketch's. nullopt (take the
/// plain path) when any of that fails or `usable` refuses the sketch's
/// minimum or the final one (say, where the model heads for a limit the
/// plain path handles).
[[nodiscard]] std::optional<minimize_result> minimize_from_sketch(
    const objective& f, const objective& sketch, const std::vector<double>& start,
    const hessian_at& sketch_hessian, const std::function<bool(std::span<const double>)>& usable);

/// The Hessian of f at x (row-major n×n), by central differences of the
/// exact gradient, symmetrised.
[[nodiscard]] std::vector<double> hessian(const objective& f, std::span<const double> x);

/// The same from ∇f at x already known: forward differences, n evaluations
/// instead of 2n. The error is O(step) instead of O(step²), about 1e-7
/// relative instead of 1e-10: far below the digits a standard error is
/// quoted to, and worth half the evaluations where each costs much.
[[nodiscard]] std::vector<double> hessian(const objective& f, std::span<const double> x,
                                          std::span<const double> gradient_at_x);

/// The first of the named parameters that is not a positive finite number,
/// as the error the models return for it ("r must be a positive number, got
/// -1"); nullopt when all are.
[[nodiscard]] std::optional<error> nonpositive_parameter(
    std::initializer_list<std::pair<const char*, double>> named);

/// The error for a bad request of per-period expectations (periods < 0, or a
/// period length that is not a positive number); nullopt when it is fine.
[[nodiscard]] std::optional<error> bad_period_stream(int periods, double period_length);

/// The inverse of the Hessian of the negative log-likelihood (row-major
/// n×n), by Cholesky. Fails when the Hessian is not positive definite (the
/// likelihood is flat or saddle-shaped there).
[[nodiscard]] result<std::vector<double>> inverse_hessian(std::span<const double> hessian,
                                                          std::size_t n);

/// Standard errors: sqrt of the diagonal of inverse_hessian(); fails as it does.
[[nodiscard]] result<std::vector<double>> standard_errors(std::span<const double> hessian,
                                                          std::size_t n);

/// The penalty of fit_penalty over log-parameters x: c · Σₖ (e^{xₖ} · scaleₖ)²,
/// where scaleₖ is 1 / T_max for a rate of time and 1 otherwise.
class penalty_term {
 public:
  penalty_term(fit_penalty penalty, std::vector<double> scales)
      : c_(penalty.coefficient), scales_(std::move(scales)) {}
  [[nodiscard]] double coefficient() const noexcept { return c_; }
  [[nodiscard]] double value(std::span<const double> x) const;
  /// Adds its gradient with respect to x to `gradient` (when not empty).
  void add_gradient(std::span<const double> x, std::span<double> gradient) const;
  /// Adds `weight` times its Hessian (diagonal: 4c (e^{xₖ} scaleₖ)²) to `h`.
  void add_hessian(std::span<const double> x, std::span<double> h, double weight) const;

 private:
  double c_;
  std::vector<double> scales_;
};

/// f plus the penalty (f itself when its coefficient is 0). Where the
/// penalty overflows, the "far outside" value 1e300 with a zero gradient.
[[nodiscard]] objective penalised(objective f, const penalty_term& penalty);

/// Minimises f plus the penalty. A strong penalty can make the search from
/// `start` slide into a flat region towards a boundary, so with a penalty the
/// search is also started from the unpenalised optimum (a path from the
/// interior) and the lower of the two minima is kept; without one, this is
/// minimize(f, start).
[[nodiscard]] result<minimize_result> minimize_penalised(const objective& f,
                                                         const penalty_term& penalty,
                                                         const std::vector<double>& start);

/// The estimates θ_i = exp(x_i) of a fit in log-parameters x, with standard
/// errors and intervals from `hessian`, the Hessian of the total negative
/// log-likelihood at x in log-parameters (row-major n×n). When that is not
/// positive definite, the estimates stand without them (NaN, see
/// estimate_without_error) and report.standard_errors_missing says why: the
/// optimum found is still the answer, only its precision is unknown.
[[nodiscard]] std::vector<parameter_estimate> estimates_from_hessian(
    std::span<const double> x, std::span<const double> hessian, fit_report& report);

}  // namespace cltv::models::detail
