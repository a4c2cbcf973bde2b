#include "models/optimize.hpp"

#include <nlopt.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>
#include <string>

#include "cltv/number.hpp"

namespace cltv::models::detail {

namespace {

// What the C callback needs: the objective, the evaluation count, and the
// reason to stop when the objective misbehaves (NLopt is C: nothing may be
// thrown through it, and NaN would only make it fail later with less to say).
struct callback_state {
  const objective* f = nullptr;
  nlopt_opt opt = nullptr;
  int evaluations = 0;
  std::string failure;  // set before nlopt_force_stop
};

std::string format_point(const double* x, unsigned n) {
  std::string s = "(";
  for (unsigned i = 0; i < n; ++i) {
    if (i > 0) s += ", ";
    s += format_shortest(x[i]);
  }
  return s + ")";
}

double nlopt_callback(unsigned n, const double* x, double* gradient, void* data) noexcept {
  auto& state = *static_cast<callback_state*>(data);
  ++state.evaluations;
  double value = HUGE_VAL;
  try {
    value = (*state.f)(std::span<const double>(x, n),
                       gradient ? std::span<double>(gradient, n) : std::span<double>());
  } catch (...) {  // std::function may allocate; an exception must not cross NLopt's C frames
    state.failure = "the objective threw an exception";
    nlopt_force_stop(state.opt);
    return HUGE_VAL;
  }
  bool finite = std::isfinite(value);
  if (gradient)
    for (unsigned i = 0; i < n; ++i) finite = finite && std::isfinite(gradient[i]);
  if (!finite) {
    state.failure = "the objective or its gradient is not finite at " + format_point(x, n);
    nlopt_force_stop(state.opt);
    return HUGE_VAL;
  }
  return value;
}

// The largest gradient component at x.
double gradient_norm(const objective& f, const std::vector<double>& x) {
  std::vector<double> g(x.size());
  (void)f(x, g);
  double norm = 0;
  for (double gi : g) norm = std::max(norm, std::abs(gi));
  return std::isfinite(norm) ? norm : HUGE_VAL;
}

// One NLopt run from x (updated in place).
struct run_result {
  nlopt_result code = NLOPT_FAILURE;
  double value = HUGE_VAL;
  std::string failure;
};

run_result run_lbfgs(const objective& f, std::vector<double>& x, const minimize_options& options,
                     int max_evaluations, int& evaluations) {
  const auto n = static_cast<unsigned>(x.size());
  run_result out;
  nlopt_opt opt = nlopt_create(NLOPT_LD_LBFGS, n);
  if (opt == nullptr) {
    out.code = NLOPT_OUT_OF_MEMORY;
    return out;
  }
  callback_state state;
  state.f = &f;
  state.opt = opt;
  nlopt_set_min_objective(opt, nlopt_callback, &state);
  nlopt_set_ftol_rel(opt, options.relative_tolerance);
  nlopt_set_xtol_rel(opt, options.x_tolerance);
  nlopt_set_maxeval(opt, std::max(1, max_evaluations));
  out.code = nlopt_optimize(opt, x.data(), &out.value);
  nlopt_destroy(opt);
  evaluations += state.evaluations;
  out.failure = std::move(state.failure);
  return out;
}

// h (n×n, row-major) replaced by (h + hᵀ) / 2.
void symmetrise(std::vector<double>& h, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j) {
      const double mean = 0.5 * (h[i * n + j] + h[j * n + i]);
      h[i * n + j] = mean;
      h[j * n + i] = mean;
    }
}

}  // namespace

result<minimize_result> minimize(const objective& f, std::vector<double> start,
                                 const minimize_options& options) {
  if (start.empty()) return error{"start", "the optimiser needs at least one parameter"};
  for (double v : start)
    if (!std::isfinite(v))
      return error{"start", "the starting point must be finite, got " +
                                format_point(start.data(), static_cast<unsigned>(start.size()))};

  minimize_result out;
  out.x = std::move(start);
  // NLopt's L-BFGS (Luksan's PLIS) stops with ROUNDOFF_LIMITED, or with a
  // generic FAILURE when its line search cannot make progress; both happen
  // at an optimum whose f is flat to the last bits, and away from one when
  // the curvature memory went stale. A restart from the point reached
  // (fresh memory) settles which: up to two restarts while the gradient is
  // not yet tiny.
  constexpr int max_restarts = 2;
  for (int attempt = 0;; ++attempt) {
    const int budget = options.max_evaluations - out.evaluations;
    run_result run = run_lbfgs(f, out.x, options, budget, out.evaluations);
    out.value = run.value;
    switch (run.code) {
      case NLOPT_SUCCESS:
        out.converged = true;
        out.status = "converged";
        return out;
      case NLOPT_STOPVAL_REACHED:
        out.converged = true;
        out.status = "converged: stopping value reached";
        return out;
      case NLOPT_FTOL_REACHED:
        out.converged = true;
        out.status =
            "converged: relative change in f below " + format_shortest(options.relative_tolerance);
        return out;
      case NLOPT_XTOL_REACHED:
        out.converged = true;
        out.status =
            "converged: relative change in x below " + format_shortest(options.x_tolerance);
        return out;
      case NLOPT_MAXEVAL_REACHED:
      case NLOPT_MAXTIME_REACHED:
        out.converged = false;
        out.status = "not converged: stopped after " + std::to_string(out.evaluations) +
                     " evaluations (limit " + std::to_string(options.max_evaluations) + ")";
        return out;
      case NLOPT_FORCED_STOP:
        return error{"", "the optimiser stopped: " +
                             (run.failure.empty() ? std::string("forced stop") : run.failure)};
      case NLOPT_INVALID_ARGS:
        return error{"", "the optimiser rejected its arguments (NLopt INVALID_ARGS)"};
      case NLOPT_OUT_OF_MEMORY:
        return error{"", "the optimiser ran out of memory"};
      case NLOPT_ROUNDOFF_LIMITED:
      case NLOPT_FAILURE:
      default: {
        // Counted as converged when the gradient is tiny relative to f (a
        // stationary point to working precision): ‖∇f‖∞ ≤ 1e-6 · max(1, |f|).
        const double norm = gradient_norm(f, out.x);
        ++out.evaluations;
        const char* what =
            run.code == NLOPT_ROUNDOFF_LIMITED ? "round-off limited" : "line search failed";
        if (norm <= 1e-6 * std::max(1.0, std::abs(out.value))) {
          out.converged = true;
          out.status = std::string("converged: ") + what + " at a stationary point (gradient " +
                       format_shortest(norm) + ")";
          return out;
        }
        if (attempt < max_restarts && out.evaluations < options.max_evaluations) continue;
        return error{"", std::string("the optimiser stopped before converging: ") + what +
                             " with gradient " + format_shortest(norm) + " at " +
                             format_point(out.x.data(), static_cast<unsigned>(out.x.size()))};
      }
    }
  }
}

result<minimize_result> minimize_near(
    const objective& f, std::vector<double> start,
    std::vector<double> inverse_hessian,  // BFGS's estimate: updated
    const minimize_options& options) {
  const std::size_t n = start.size();
  if (n == 0 || inverse_hessian.size() != n * n)
    return error{"start", "minimize_near needs a point and its n×n inverse Hessian"};
  minimize_result out;
  out.x = std::move(start);
  std::vector<double>& x = out.x;
  std::vector<double> g(n), direction(n), next_x(n), next_g(n), taken(n), change(n), h_change(n);
  const auto evaluate = [&](const std::vector<double>& at, std::vector<double>& gradient) {
    ++out.evaluations;
    std::fill(gradient.begin(), gradient.end(), std::numeric_limits<double>::quiet_NaN());
    const double value = f(at, gradient);
    bool finite = std::isfinite(value);
    for (double gi : gradient) finite = finite && std::isfinite(gi);
    return finite ? value : HUGE_VAL;
  };
  const auto converged = [&](const std::string& why) {
    out.converged = true;
    out.status = "converged: " + why;
    out.gradient = std::move(g);
    return out;
  };
  out.value = evaluate(x, g);
  if (!std::isfinite(out.value)) {
    out.status = "not converged: the objective is not finite at the start";
    return out;
  }
  constexpr double sufficient = 1e-4;  // Armijo: the share of the predicted fall a step must make
  while (out.evaluations < options.max_evaluations) {
    double slope = 0;  // gᵀ direction: the fall predicted per unit step, negative
    for (std::size_t i = 0; i < n; ++i) {
      double d = 0;
      for (std::size_t j = 0; j < n; ++j) d -= inverse_hessian[i * n + j] * g[j];
      direction[i] = d;
      slope += g[i] * d;
    }
    if (!(slope < 0)) {  // the estimate is not positive definite: let L-BFGS go on
      out.status = "not converged: the inverse Hessian estimate is not positive definite";
      return out;
    }
    const double tolerance = options.relative_tolerance * std::max(std::abs(out.value), 1e-300);
    if (-0.5 * slope <= tolerance)
      return converged("the BFGS step's predicted change in f is below " +
                       format_shortest(options.relative_tolerance) + " relative");
    bool tiny = true;  // each coordinate's step below x_tolerance of it (of 1 where |x| < 1)
    for (std::size_t i = 0; i < n; ++i)
      tiny = tiny && std::abs(direction[i]) <= options.x_tolerance * std::max(std::abs(x[i]), 1.0);
    if (tiny)
      return converged("the BFGS step is below " + format_shortest(options.x_tolerance) +
                       " relative in x");
    double t = 1, next_value = HUGE_VAL;
    for (int halving = 0;; ++halving) {
      for (std::size_t i = 0; i < n; ++i) next_x[i] = x[i] + t * direction[i];
      next_value = evaluate(next_x, next_g);
      if (next_value <= out.value + sufficient * t * slope) break;
      if (halving == 30 || out.evaluations >= options.max_evaluations) {
        out.status = "not converged: no step along the quasi-Newton direction lowers f";
        return out;
      }
      t *= 0.5;
    }
    const double fall = out.value - next_value;
    // BFGS update of the inverse Hessian with s = the step taken, y = the change
    // in gradient; skipped unless sᵀy is clearly positive (else it would lose
    // positive definiteness, or overflow dividing by (sᵀy)²).
    double sy = 0, ss = 0, yy = 0;
    for (std::size_t i = 0; i < n; ++i) {
      change[i] = next_g[i] - g[i];
      taken[i] = next_x[i] - x[i];
      sy += taken[i] * change[i];
      ss += taken[i] * taken[i];
      yy += change[i] * change[i];
    }
    if (sy > 1e-10 * std::sqrt(ss * yy)) {
      double yhy = 0;
      for (std::size_t i = 0; i < n; ++i) {
        double v = 0;
        for (std::size_t j = 0; j < n; ++j) v += inverse_hessian[i * n + j] * change[j];
        h_change[i] = v;
        yhy += change[i] * v;
      }
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j)
          inverse_hessian[i * n + j] += ((sy + yhy) * taken[i] * taken[j]) / (sy * sy) -
                                        (h_change[i] * taken[j] + taken[i] * h_change[j]) / sy;
    }
    x.swap(next_x);
    g.swap(next_g);
    out.value = next_value;
    // Only a whole step's small fall shows the minimum near: a halved one's
    // may only show that the estimate overshot.
    if (t == 1 && fall <= tolerance)
      return converged("the last BFGS step changed f by less than " +
                       format_shortest(options.relative_tolerance) + " relative");
  }
  out.status = "not converged: stopped after " + std::to_string(out.evaluations) + " evaluations";
  return out;
}

std::optional<minimize_result> minimize_from_sketch(
    const objective& f, const objective& sketch, const std::vector<double>& start,
    const hessian_at& sketch_hessian, const std::function<bool(std::span<const double>)>& usable) {
  int sketch_evaluations = 0;
  const objective counted = [&](std::span<const double> x, std::span<double> gradient) {
    ++sketch_evaluations;
    return sketch(x, gradient);
  };
  auto on_sketch = minimize(counted, start);
  if (!on_sketch || !on_sketch->converged || !usable(on_sketch->x)) return std::nullopt;
  auto inverse = inverse_hessian(sketch_hessian(counted, on_sketch->x), start.size());
  if (!inverse) return std::nullopt;
  auto near = minimize_near(f, on_sketch->x, std::move(*inverse), {.max_evaluations = 30});
  if (!near) return std::nullopt;
  if (!near->converged) {
    if (!usable(near->x)) return std::nullopt;  // the plain path would do better
    auto rest = minimize(f, near->x);
    if (!rest || !rest->converged) return std::nullopt;
    rest->evaluations += near->evaluations;
    near = std::move(rest);
  }
  if (!usable(near->x)) return std::nullopt;
  near->evaluations += sketch_evaluations;
  return std::move(*near);
}

std::vector<double> hessian(const objective& f, std::span<const double> x) {
  const std::size_t n = x.size();
  std::vector<double> h(n * n, 0.0);
  std::vector<double> point(x.begin(), x.end());
  std::vector<double> g_plus(n);
  std::vector<double> g_minus(n);
  // Central differences of an exact gradient: error O(step²) + O(ε/step);
  // step = ε^(1/3) · max(|x_j|, 1) balances the two (about 6e-6 relative).
  const double scale = std::cbrt(DBL_EPSILON);
  for (std::size_t j = 0; j < n; ++j) {
    const double step_wanted = scale * std::max(std::abs(x[j]), 1.0);
    // Divide by the width actually taken (x ± h rounds), not by 2h.
    const double up = x[j] + step_wanted;
    const double down = x[j] - step_wanted;
    // NaN where f returns without writing a gradient (outside its domain): an
    // honest "no standard errors" rather than the previous column's values.
    std::fill(g_plus.begin(), g_plus.end(), std::numeric_limits<double>::quiet_NaN());
    std::fill(g_minus.begin(), g_minus.end(), std::numeric_limits<double>::quiet_NaN());
    point[j] = up;
    (void)f(point, g_plus);
    point[j] = down;
    (void)f(point, g_minus);
    point[j] = x[j];
    const double width = up - down;
    for (std::size_t i = 0; i < n; ++i) h[i * n + j] = (g_plus[i] - g_minus[i]) / width;
  }
  symmetrise(h, n);
  return h;
}

std::vector<double> hessian(const objective& f, std::span<const double> x,
                            std::span<const double> gradient_at_x) {
  const std::size_t n = x.size();
  std::vector<double> h(n * n, 0.0);
  std::vector<double> point(x.begin(), x.end());
  std::vector<double> g_plus(n);
  // step = √ε · max(|x_j|, 1) balances the O(step) and O(ε/step) errors.
  const double scale = std::sqrt(DBL_EPSILON);
  if (gradient_at_x.size() != n) return hessian(f, x);
  for (std::size_t j = 0; j < n; ++j) {
    const double up = x[j] + scale * std::max(std::abs(x[j]), 1.0);
    std::fill(g_plus.begin(), g_plus.end(), std::numeric_limits<double>::quiet_NaN());
    point[j] = up;
    (void)f(point, g_plus);
    point[j] = x[j];
    const double width = up - x[j];
    for (std::size_t i = 0; i < n; ++i) h[i * n + j] = (g_plus[i] - gradient_at_x[i]) / width;
  }
  symmetrise(h, n);
  return h;
}

std::optional<error> nonpositive_parameter(
    std::initializer_list<std::pair<const char*, double>> named) {
  for (const auto& [name, v] : named)
    if (!(std::isfinite(v) && v > 0))
      return error{name,
                   std::string(name) + " must be a positive number, got " + format_shortest(v)};
  return std::nullopt;
}

std::optional<error> bad_period_stream(int periods, double period_length) {
  if (periods < 0)
    return error{"periods", "periods must be non-negative, got " + std::to_string(periods)};
  if (!(std::isfinite(period_length) && period_length > 0))
    return error{"period_length",
                 "period_length must be a positive number, got " + format_shortest(period_length)};
  return std::nullopt;
}

result<std::vector<double>> inverse_hessian(std::span<const double> hessian, std::size_t n) {
  if (hessian.size() != n * n)
    return error{"hessian", "the Hessian has " + std::to_string(hessian.size()) +
                                " entries, expected " + std::to_string(n * n)};
  // Cholesky H = L Lᵀ; then H⁻¹ = L⁻ᵀ L⁻¹: (H⁻¹)_ij = Σ_k (L⁻¹)_ki (L⁻¹)_kj.
  std::vector<double> l(n * n, 0.0);
  for (std::size_t j = 0; j < n; ++j) {
    double d = hessian[j * n + j];
    for (std::size_t k = 0; k < j; ++k) d -= l[j * n + k] * l[j * n + k];
    if (!(d > 0) || !std::isfinite(d))
      // The pivot's value is not quoted: near zero it is rounding noise.
      return error{"hessian",
                   "the log-likelihood is flat or saddle-shaped at the estimate (its Hessian is "
                   "not negative definite: Cholesky pivot " +
                       std::to_string(j) + " is not positive)"};
    l[j * n + j] = std::sqrt(d);
    for (std::size_t i = j + 1; i < n; ++i) {
      double s = hessian[i * n + j];
      for (std::size_t k = 0; k < j; ++k) s -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = s / l[j * n + j];
    }
  }
  // L⁻¹ by forward substitution, column by column.
  std::vector<double> inv(n * n, 0.0);
  for (std::size_t c = 0; c < n; ++c) {
    for (std::size_t i = c; i < n; ++i) {
      double s = i == c ? 1.0 : 0.0;
      for (std::size_t k = c; k < i; ++k) s -= l[i * n + k] * inv[k * n + c];
      inv[i * n + c] = s / l[i * n + i];
    }
  }
  std::vector<double> out(n * n, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      double v = 0;
      for (std::size_t k = std::max(i, j); k < n; ++k) v += inv[k * n + i] * inv[k * n + j];
      out[i * n + j] = v;
    }
  return out;
}

result<std::vector<double>> standard_errors(std::span<const double> hessian, std::size_t n) {
  auto inverse = inverse_hessian(hessian, n);
  if (!inverse) return std::move(inverse).error();
  std::vector<double> se(n);
  for (std::size_t i = 0; i < n; ++i) se[i] = std::sqrt((*inverse)[i * n + i]);
  return se;
}

double penalty_term::value(std::span<const double> x) const {
  double sum = 0;
  for (std::size_t k = 0; k < x.size(); ++k) {
    const double theta = std::exp(x[k]) * scales_[k];
    sum += theta * theta;
  }
  return c_ * sum;
}

void penalty_term::add_gradient(std::span<const double> x, std::span<double> gradient) const {
  for (std::size_t k = 0; k < gradient.size(); ++k) {
    const double theta = std::exp(x[k]) * scales_[k];
    gradient[k] += 2 * c_ * theta * theta;  // d/dx of c (e^x s)²
  }
}

void penalty_term::add_hessian(std::span<const double> x, std::span<double> h,
                               double weight) const {
  const std::size_t n = x.size();
  for (std::size_t k = 0; k < n; ++k) {
    const double theta = std::exp(x[k]) * scales_[k];
    h[k * n + k] += weight * 4 * c_ * theta * theta;
  }
}

objective penalised(objective f, const penalty_term& penalty) {
  if (penalty.coefficient() == 0) return f;
  return [f = std::move(f), penalty](std::span<const double> x, std::span<double> gradient) {
    const double value = f(x, gradient);
    const double extra = penalty.value(x);
    penalty.add_gradient(x, gradient);
    // Outside the model, or where the penalty overflows: "far away", as the
    // models' objectives say it (a strong penalty draws the search into
    // regions where the unpenalised likelihood was never asked to be finite).
    bool finite = value < 1e300 && std::isfinite(value) && std::isfinite(extra);
    for (const double g : gradient) finite = finite && std::isfinite(g);
    if (!finite) {
      std::fill(gradient.begin(), gradient.end(), 0.0);
      return 1e300;
    }
    return value + extra;
  };
}

result<minimize_result> minimize_penalised(const objective& f, const penalty_term& penalty,
                                           const std::vector<double>& start) {
  if (penalty.coefficient() == 0) return minimize(f, start);
  const objective with_penalty = penalised(f, penalty);
  auto from_start = minimize(with_penalty, start);
  auto plain = minimize(f, start);
  if (!plain || !plain->converged) return from_start;
  auto from_plain = minimize(with_penalty, plain->x);
  if (!from_plain) return from_start;
  if (!from_start) return from_plain;
  const auto better = [](const minimize_result& a, const minimize_result& b) {
    return a.converged != b.converged ? a.converged : a.value <= b.value;
  };
  if (better(*from_start, *from_plain)) {
    from_start->evaluations += plain->evaluations + from_plain->evaluations;
    return from_start;
  }
  from_plain->evaluations += plain->evaluations + from_start->evaluations;
  return from_plain;
}

std::vector<parameter_estimate> estimates_from_hessian(std::span<const double> x,
                                                       std::span<const double> hessian,
                                                       fit_report& report) {
  std::vector<parameter_estimate> out;
  out.reserve(x.size());
  const std::size_t n = x.size();
  report.log_hessian.assign(hessian.begin(), hessian.end());
  auto inverse = inverse_hessian(hessian, n);
  if (!inverse) {
    report.standard_errors_missing = inverse.error().message;
    for (const double v : x) out.push_back(estimate_without_error(v));
    return out;
  }
  // The delta method from ln θ to θ = e^{ln θ}: dθ/d ln θ = θ.
  report.covariance.resize(n * n);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      report.covariance[i * n + j] = std::exp(x[i]) * std::exp(x[j]) * (*inverse)[i * n + j];
  for (std::size_t i = 0; i < n; ++i)
    out.push_back(estimate_from_log(x[i], std::sqrt((*inverse)[i * n + i])));
  return out;
}

}  // namespace cltv::models::detail

namespace cltv::models {

result<fit_penalty> make_fit_penalty(double coefficient) {
  if (!(std::isfinite(coefficient) && coefficient >= 0))
    return error{"penalty", "penalty must be a number >= 0, got " + format_shortest(coefficient)};
  return fit_penalty{coefficient};
}

}  // namespace cltv::models
