#include "cltv/solve.hpp"

#include <array>
#include <boost/math/tools/roots.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cltv/formulas.hpp"
#include "cltv/number.hpp"

namespace cltv {
namespace {

constexpr std::array solve_fields{solve_field::cac,          solve_field::churn,
                                  solve_field::lifetime,     solve_field::arpu,
                                  solve_field::gross_margin, solve_field::cost_to_serve};

// Six significant digits: enough for a reason a person reads.
std::string num(double x) {
  return format_significant(x, 6);
}

std::string pct(double rate) {
  return num(rate * 100) + "%";
}

std::optional<double> scenario_input::*member_of(solve_field f) {
  switch (f) {
    case solve_field::cac:
      return &scenario_input::cac;
    case solve_field::churn:
      return &scenario_input::churn;
    case solve_field::lifetime:
      return &scenario_input::lifetime;
    case solve_field::arpu:
      return &scenario_input::arpu;
    case solve_field::gross_margin:
      return &scenario_input::gross_margin;
    case solve_field::cost_to_serve:
      return &scenario_input::cost_to_serve;
  }
  return &scenario_input::cac;
}

// A value of the field that is always in its range.
double probe_value(solve_field f) {
  return f == solve_field::cost_to_serve ? 0.0 : 1.0;
}

scenario_input with_value(scenario_input in, solve_field f, double x) {
  in.*member_of(f) = x;
  return in;
}

// The LTV:CAC ratio that check judges (passes_check): the lowest of the churn
// interval when there is one, else the point estimate's.
std::optional<double> judged_ratio(const ltv_result& r) {
  if (!r.interval) return r.ltv_cac_ratio;
  if (!r.interval->ltv_cac_ratio) return std::nullopt;
  return r.interval->ltv_cac_ratio->low;
}

// `out` at the field's value x: the input with x, its resolved scenario and
// its evaluation (the verification of an answer).
std::optional<error> evaluate_at(solution& out, const scenario_input& given, solve_field field,
                                 double x) {
  out.value = x;
  out.input = with_value(given, field, x);
  auto s = resolve(out.input);
  if (!s) return std::move(s).error();
  out.solved = *s;
  auto r = evaluate(out.solved);
  if (!r) return std::move(r).error();
  out.check = *r;
  return std::nullopt;
}

// The parts of a solve shared by every field.
class solver {
 public:
  solver(const scenario_input& in, solve_field f) : in_(in), field_(f) {
    out_.field = f;
    out_.target = in.target.value_or(default_target);
  }

  // LTV at field value x; the error of calculate() otherwise.
  result<ltv_result> at(double x) const { return calculate(with_value(in_, field_, x)); }

  [[nodiscard]] double need() const { return out_.target * *in_.cac; }
  [[nodiscard]] double target() const { return out_.target; }

  // x moved by a few ulps, up (a minimum) or down (a maximum), until the ratio
  // is at least the target: the answer meets the target rather than missing it
  // by a rounding. Stops after 16 steps; the verification shows what is left.
  [[nodiscard]] double meeting(double x, bool up) const {
    auto r = at(x);
    for (int step = 0; step < 16 && r && ratio(*r) < out_.target; ++step) {
      const double next = std::nextafter(x, up ? HUGE_VAL : -HUGE_VAL);
      auto r_next = at(next);
      if (!r_next) break;  // the end of the valid range (gross margin 1, cost to serve 0)
      x = next;
      r = std::move(r_next);
    }
    return x;
  }
  [[nodiscard]] double ratio(const ltv_result& r) const { return r.ltv / *in_.cac; }

  // "LTV 1,100 = 2.2× CAC, below the 3× target"
  [[nodiscard]] std::string short_of(const ltv_result& r) const {
    return "LTV is " + num(r.ltv) + " = " + num(ratio(r)) + "× CAC, below the " + num(out_.target) +
           "× target";
  }

  // No lifetime helps when each period loses money.
  result<solution> never_positive(const ltv_result& r) {
    return unreachable("the margin per " + per() + " is " + num(r.margin_per_period) +
                       ", so LTV is never positive, however long customers stay");
  }

  // `needed`: the value out of the field's range that would meet the target.
  result<solution> unreachable(std::string reason, std::optional<double> needed = std::nullopt) {
    out_.reachable = false;
    out_.reason = std::move(reason);
    out_.needed = needed;
    out_.input = in_;
    return out_;
  }

  // Fills in the answer and its verification.
  result<solution> reached(double x, std::string note = {}) {
    out_.reachable = true;
    out_.note = std::move(note);
    if (auto e = evaluate_at(out_, in_, field_, x)) return *std::move(e);
    if (field_ == solve_field::churn && x > 0) out_.lifetime = 1.0 / x;
    // At a range end (out_.note) the ratio exceeds the target. Elsewhere, an
    // answer that does not reproduce the target means an input entered LTV
    // non-linearly: say so rather than print a wrong answer.
    const std::optional<double> judged = judged_ratio(out_.check);
    if (out_.note.empty() && judged && std::fabs(*judged / out_.target - 1) > 1e-9)
      return error{std::string(to_string(field_)),
                   "could not solve " + std::string(to_string(field_)) + ": the ratio at " +
                       num(x) + " is " + num(*judged) + ", not the target " + num(out_.target)};
    return out_;
  }

  [[nodiscard]] const scenario_input& input() const { return in_; }
  [[nodiscard]] std::string per() const {
    return std::string(to_string(in_.period.value_or(period::month)));
  }
  [[nodiscard]] std::string periods() const {
    return std::string(plural(in_.period.value_or(period::month)));
  }

 private:
  const scenario_input& in_;
  solve_field field_;
  solution out_;
};

// Bracketed root of `f` on [lo, hi] with f(lo), f(hi) of opposite signs, by
// TOMS 748 (Alefeld, Potra and Shi 1995). Returns the end of the final bracket
// where f >= 0, so that the answer meets the target rather than missing it by
// a rounding.
template <class F>
double root(F f, double lo, double hi, double f_lo, double f_hi) {
  std::uintmax_t max_iter = 200;
  // 50 bits: the bracket ends differ by at most ~2e-15 relative.
  const boost::math::tools::eps_tolerance<double> tol(50);
  const auto [a, b] = boost::math::tools::toms748_solve(f, lo, hi, f_lo, f_hi, tol, max_iter);
  if (a == b) return a;
  return f(a) >= 0 ? a : b;
}

result<solution> solve_cac(solver& s) {
  auto base = calculate(s.input());
  if (!base) return std::move(base).error();
  const double ltv = base->ltv;
  if (!(ltv > 0))
    return s.unreachable("LTV is " + num(ltv) + " (margin per " + s.per() + " " +
                         num(base->margin_per_period) +
                         "): no CAC above 0 is recovered, let alone " + num(s.target()) + " times");
  // CAC is no input of LTV: check the ratio at a CAC (rather than at the field).
  double cac = ltv / s.target();
  for (int step = 0; step < 16 && ltv / cac < s.target(); ++step) cac = std::nextafter(cac, 0.0);
  return s.reached(cac);
}

// value per period, gross margin and cost to serve enter LTV linearly
// (LTV = value × gm × A − cts × B for the payment sums A, B of the lifetime),
// so two evaluations give the line and the target gives the point.
result<solution> solve_linear(solver& s, solve_field f) {
  const double x0 = f == solve_field::gross_margin ? 0.5 : 0.0;
  const double x1 = 1.0;
  auto r0 = s.at(x0);
  if (!r0) return std::move(r0).error();
  auto r1 = s.at(x1);
  if (!r1) return std::move(r1).error();
  const double slope = (r1->ltv - r0->ltv) / (x1 - x0);
  const double need = s.need();
  double x = 0;
  switch (f) {
    case solve_field::arpu:
      if (!(slope > 0))
        return s.unreachable("LTV does not grow with the value per period (LTV " + num(r1->ltv) +
                             " at value 1): no value reaches the target");
      x = (need - r1->ltv) / slope + x1;
      break;
    case solve_field::gross_margin:
      if (!(slope > 0))
        return s.unreachable(
            "LTV does not grow with the gross margin: no margin reaches the target");
      x = (need - r1->ltv) / slope + x1;
      if (x > 1 && !meets_target(s.ratio(*r1), s.target()))
        return s.unreachable("even at gross margin 100% " + s.short_of(*r1), x);
      break;
    case solve_field::cost_to_serve:
      if (r0->ltv < need && !meets_target(s.ratio(*r0), s.target()))
        return s.unreachable(
            "even with cost to serve 0 " + s.short_of(*r0),
            slope < 0 ? std::optional((need - r0->ltv) / slope + x0) : std::nullopt);
      if (!(slope < 0)) return s.reached(0, "cost to serve does not lower LTV here");
      x = (need - r0->ltv) / slope + x0;
      break;
    default:
      return error{"", "internal: not a linear field"};
  }
  // The line through x0 and x1 loses digits when the intercept is large
  // (cost to serve 1,500 a year against a margin slope of 0.75): secant steps
  // through the estimate itself restore them.
  for (int step = 0; step < 3 && std::isfinite(x) && x != x0; ++step) {
    auto rx = s.at(x);
    if (!rx) break;  // out of range: the checks below report it
    const double gap = need - rx->ltv;
    if (gap == 0) break;
    x += gap / ((rx->ltv - r0->ltv) / (x - x0));
  }
  if (f == solve_field::gross_margin) x = std::fmin(x, 1.0);
  if (f == solve_field::cost_to_serve) x = std::fmax(x, 0.0);
  return s.reached(s.meeting(x, !solves_for_maximum(f)));
}

// The lowest churn at which revenue growing by `expansion` per period still
// sums to a finite LTV without a horizon: (1 + g)(1 − c) < 1 + d, i.e. above
// (g − d) / (1 + g), by more than expansion_diverges' rounding allowance.
double lowest_finite_churn(double discount_rate, double expansion) {
  double churn = std::fmax((expansion - discount_rate) / (1 + expansion), 0.0);
  double step = std::fmax(churn * 1e-12, 1e-15);
  while (churn < 1 && expansion_diverges(churn, discount_rate, expansion)) {
    churn = std::fmin(churn + step, 1.0);
    step *= 2;
  }
  return churn;
}

// Ratio decreases as churn grows (for a positive margin): the largest churn
// that still meets the target. Churn 0 is valid only with a horizon or a
// discount rate; without them the smallest churn counted is 1 / 10000, and
// with an expansion the smallest at which the LTV sum is finite (LTV grows
// without bound towards it, so the root lies above it).
result<solution> solve_churn(solver& s) {
  auto hi = s.at(1.0);
  if (!hi) return std::move(hi).error();
  if (!(hi->margin_per_period > 0)) return s.never_positive(*hi);
  double lo = 0;
  std::string lo_text = "churn 0";
  auto at_lo = s.at(lo);
  const scenario_input& given = s.input();
  const double discount_rate = given.discount_rate.value_or(0);
  const double expansion = given.expansion.value_or(0);
  if (!at_lo && !given.horizon && expansion > 0 &&
      expansion_diverges(1.0 / max_undiscounted_lifetime, discount_rate, expansion)) {
    lo = lowest_finite_churn(discount_rate, expansion);
    lo_text = "churn " + pct(lo) + " (the lowest at which an expansion of " + pct(expansion) +
              " per " + s.per() + " leaves LTV finite)";
    at_lo = s.at(lo);
    if (!at_lo) return std::move(at_lo).error();
  } else if (!at_lo) {
    lo = 1.0 / max_undiscounted_lifetime;
    while (1.0 / lo > max_undiscounted_lifetime) lo = std::nextafter(lo, 1.0);
    lo_text = "churn " + pct(lo) + " (a lifetime of " + num(1.0 / lo) + " " + s.periods() +
              ", the longest counted without a horizon or a discount rate)";
    at_lo = s.at(lo);
    if (!at_lo) return std::move(at_lo).error();
  } else {
    lo_text = "churn 0 (customers never leave";
    const scenario_input& in = s.input();
    if (in.horizon) lo_text += "; the horizon counts " + num(*in.horizon) + " " + s.periods();
    if (in.discount_rate && *in.discount_rate > 0)
      lo_text += "; discounted " + pct(*in.discount_rate) + " per " + s.per();
    lo_text += ")";
  }
  const double target = s.input().target.value_or(default_target);
  const double f_lo = s.ratio(*at_lo) - target;
  const double f_hi = s.ratio(*hi) - target;
  if (f_lo < 0 && !meets_target(s.ratio(*at_lo), target))
    return s.unreachable("even at " + lo_text + " " + s.short_of(*at_lo));
  if (f_hi >= 0 || meets_target(s.ratio(*hi), target))
    return s.reached(1.0, "even churn 100% (every customer pays once) meets the target");
  if (f_lo <= 0) return s.reached(lo);

  std::optional<error> failed;
  auto f = [&](double c) {
    auto r = s.at(c);
    if (!r) {
      if (!failed) failed = std::move(r).error();
      return -target;
    }
    return s.ratio(*r) - target;
  };
  const double c = root(f, lo, 1.0, f_lo, f_hi);
  if (failed) return *std::move(failed);
  return s.reached(c);
}

// Ratio grows with a fixed lifetime (no payments at lifetime 0): the shortest
// lifetime that meets the target, up to the horizon, or 10,000 periods.
result<solution> solve_lifetime(solver& s) {
  const scenario_input& in = s.input();
  const double hi = in.horizon ? *in.horizon : max_undiscounted_lifetime;
  auto at_hi = s.at(hi);
  if (!at_hi) return std::move(at_hi).error();
  if (!(at_hi->margin_per_period > 0)) return s.never_positive(*at_hi);
  const double target = s.input().target.value_or(default_target);
  const double f_hi = s.ratio(*at_hi) - target;
  if (f_hi < 0 && !meets_target(s.ratio(*at_hi), target))
    return s.unreachable("even a lifetime of " + num(hi) + " " + s.periods() +
                         (in.horizon ? " (the horizon)" : " (the longest counted)") + " " +
                         s.short_of(*at_hi));
  if (f_hi <= 0) return s.reached(hi);

  std::optional<error> failed;
  auto f = [&](double l) {
    if (l <= 0) return -target;  // no payments
    auto r = s.at(l);
    if (!r) {
      if (!failed) failed = std::move(r).error();
      return -target;
    }
    return s.ratio(*r) - target;
  };
  // f(a) >= 0 picks the lower end only when it meets; else the upper end.
  const double l = root(f, 0.0, hi, -target, f_hi);
  if (failed) return *std::move(failed);
  return s.reached(l);
}

result<solution> solve_point(const scenario_input& input, solve_field field) {
  solver s(input, field);
  switch (field) {
    case solve_field::cac:
      return solve_cac(s);
    case solve_field::churn:
      return solve_churn(s);
    case solve_field::lifetime:
      return solve_lifetime(s);
    case solve_field::arpu:
    case solve_field::gross_margin:
    case solve_field::cost_to_serve:
      return solve_linear(s, field);
  }
  return error{"", "internal: unknown field"};
}

// With counts and a confidence level, check judges the whole churn interval:
// its lowest LTV:CAC must meet the target (passes_check). The interval's ends
// depend on the counts alone, not on the field solved for (churn and lifetime
// are refused with counts), and at a fixed churn each field moves LTV one way,
// so the answer is the more demanding of the answers at the two ends: the
// smaller maximum, the larger minimum. An optimistic end that leaves LTV
// unbounded (see churn_interval) asks nothing.
result<solution> solve_over_interval(const scenario_input& input, solve_field field,
                                     const churn_interval& interval) {
  std::optional<solution> demanding;
  for (const double churn : {interval.churn_high, interval.churn_low}) {
    scenario_input at_end = input;
    at_end.customers_start = at_end.customers_lost = at_end.confidence = std::nullopt;
    at_end.churn = churn;
    const bool pessimistic = churn == interval.churn_high;
    if (!pessimistic && !calculate(with_value(at_end, field, probe_value(field)))) continue;
    auto answer = solve_point(at_end, field);
    if (!answer) return std::move(answer).error();
    if (!answer->reachable) {
      answer->reason = "at churn " + pct(churn) + " (the " + (pessimistic ? "top" : "bottom") +
                       " of the " + pct(interval.confidence) + " interval) " + answer->reason;
      answer->input = input;
      return answer;
    }
    if (!demanding || (solves_for_maximum(field) ? answer->value < demanding->value
                                                 : answer->value > demanding->value))
      demanding = std::move(*answer);
  }
  solver s(input, field);
  return s.reached(demanding->value, demanding->note);
}

}  // namespace

std::string_view to_string(solve_field f) noexcept {
  switch (f) {
    case solve_field::cac:
      return "cac";
    case solve_field::churn:
      return "churn";
    case solve_field::lifetime:
      return "lifetime";
    case solve_field::arpu:
      return "arpu";
    case solve_field::gross_margin:
      return "gross_margin";
    case solve_field::cost_to_serve:
      return "cost_to_serve";
  }
  return "cac";
}

std::optional<solve_field> parse_solve_field(std::string_view name) noexcept {
  std::string n(name);
  for (char& ch : n)
    if (ch == '-') ch = '_';
  if (n == "value") return solve_field::arpu;
  if (n == "contract_length") return solve_field::lifetime;
  for (auto f : solve_fields)
    if (n == to_string(f)) return f;
  return std::nullopt;
}

std::string solvable_field_names() {
  std::string names;
  for (std::size_t i = 0; i < solve_fields.size(); ++i) {
    if (i > 0) names += i + 1 < solve_fields.size() ? ", " : " or ";
    names += to_string(solve_fields[i]);
  }
  return names;
}

result<solve_field> solve_field_named(std::string_view name) {
  if (auto field = parse_solve_field(name)) return *field;
  return error{"solve",
               "cannot solve for \"" + printable(name) + "\": choose " + solvable_field_names()};
}

namespace {

// Observed counts are no choice that a churn or a lifetime could replace:
// they determine the churn. "customers_start and customers_lost are given
// (100 and 5): the counts determine churn (5 of 100 lost = 5%); there is no
// churn to solve for: leave the counts out to find the maximum churn"
error counts_given(const scenario_input& in, solve_field f) {
  const bool both = in.customers_start && in.customers_lost;
  std::string given;
  std::string values;
  if (in.customers_start) {
    given = "customers_start";
    values = format_shortest(*in.customers_start);
  }
  if (in.customers_lost) {
    given += both ? " and customers_lost" : "customers_lost";
    values += (both ? " and " : "") + format_shortest(*in.customers_lost);
  }
  std::string determined = "churn";
  if (both && *in.customers_start > 0)
    determined += " (" + format_shortest(*in.customers_lost) + " of " +
                  format_shortest(*in.customers_start) +
                  " lost = " + pct(*in.customers_lost / *in.customers_start) + ")";
  if (f == solve_field::lifetime) determined += ", and with it the lifetime";
  return error{in.customers_start ? "customers_start" : "customers_lost",
               given + (both ? " are" : " is") + " given (" + values + "): the counts determine " +
                   determined + "; there is no " + std::string(to_string(f)) +
                   " to solve for: leave the counts out to find the " + std::string(bound_name(f)) +
                   " " + std::string(to_string(f))};
}

// "sbg_alpha and sbg_beta are given (2 and 3), but solve churn finds the
// maximum churn, which replaces the sBG retention curve: leave them out"
error curve_given(const scenario_input& in, solve_field f) {
  const bool both = in.sbg_alpha && in.sbg_beta;
  std::string given = in.sbg_alpha ? "sbg_alpha" : "sbg_beta";
  std::string values = format_shortest(in.sbg_alpha ? *in.sbg_alpha : *in.sbg_beta);
  if (both) {
    given += " and sbg_beta";
    values += " and " + format_shortest(*in.sbg_beta);
  }
  return error{in.sbg_alpha ? "sbg_alpha" : "sbg_beta",
               given + (both ? " are" : " is") + " given (" + values + "), but solve " +
                   std::string(to_string(f)) + " finds the " + std::string(bound_name(f)) + " " +
                   std::string(to_string(f)) + ", which replaces the sBG retention curve: leave " +
                   (both ? "them" : "it") + " out"};
}

}  // namespace

// The given input of the solved-for field (or of another source of its group)
// is a usage error: solve would have to ignore it or contradict it.
std::optional<error> given_for_solved(const scenario_input& in, solve_field f) {
  const std::string name(to_string(f));
  // "lifetime is given (24), but solve churn finds the maximum churn, which
  // replaces lifetime: leave lifetime out"
  auto refuse = [&](const char* given, double v) {
    std::string message = std::string(given) + " is given (" + format_shortest(v) +
                          "), but solve " + name + " finds the " + std::string(bound_name(f)) +
                          " " + name;
    if (name != given) message += ", which replaces " + std::string(given);
    return error{given, message + ": leave " + given + " out"};
  };
  switch (f) {
    case solve_field::churn:
    case solve_field::lifetime:
      if (in.churn) return refuse("churn", *in.churn);
      if (in.lifetime) return refuse("lifetime", *in.lifetime);
      if (in.contract_length) return refuse("contract_length", *in.contract_length);
      if (in.customers_start || in.customers_lost) return counts_given(in, f);
      if (in.sbg_alpha || in.sbg_beta) return curve_given(in, f);
      return std::nullopt;
    case solve_field::arpu:
      if (in.arpu) return refuse("arpu", *in.arpu);
      if (in.value) return refuse("value", *in.value);
      if (in.aov) return refuse("aov", *in.aov);
      if (in.purchase_frequency) return refuse("purchase_frequency", *in.purchase_frequency);
      return std::nullopt;
    case solve_field::cac:
    case solve_field::gross_margin:
    case solve_field::cost_to_serve: {
      const auto& v = in.*member_of(f);
      if (v) return refuse(name.c_str(), *v);
      return std::nullopt;
    }
  }
  return std::nullopt;
}

scenario_input leave_out(scenario_input input, solve_field field) {
  switch (field) {
    case solve_field::churn:
    case solve_field::lifetime:
      // Observed counts stay: they are data, not a choice the answer replaces
      // (solve refuses them, saying why).
      input.churn = input.lifetime = input.contract_length = std::nullopt;
      input.sbg_alpha = input.sbg_beta = std::nullopt;
      break;
    case solve_field::arpu:
      input.arpu = input.value = input.aov = input.purchase_frequency = std::nullopt;
      break;
    case solve_field::cac:
    case solve_field::gross_margin:
    case solve_field::cost_to_serve:
      input.*member_of(field) = std::nullopt;
      break;
  }
  return input;
}

bool solves_for_maximum(solve_field f) noexcept {
  return f == solve_field::cac || f == solve_field::churn || f == solve_field::cost_to_serve;
}

std::string_view bound_name(solve_field f) noexcept {
  return solves_for_maximum(f) ? "maximum" : "minimum";
}

std::string_view label(solve_field f) noexcept {
  switch (f) {
    case solve_field::cac:
      return "CAC";
    case solve_field::churn:
      return "churn";
    case solve_field::lifetime:
      return "lifetime";
    case solve_field::arpu:
      return "ARPU";
    case solve_field::gross_margin:
      return "gross margin";
    case solve_field::cost_to_serve:
      return "cost to serve";
  }
  return "";
}

namespace {

// The value of `field` at which CAC / margin per period equals `limit`, the
// other inputs as in `at` (the scenario of the LTV:CAC answer, whose CAC is
// given unless CAC is the field): margin ≥ CAC / N, and margin = value × gm
// − cost to serve. nullopt for churn and lifetime, which the margin does not
// depend on. Out-of-range values are returned as they are (see
// payback_unreachable).
std::optional<double> payback_bound(const scenario& at, solve_field field, double limit) {
  const double needed_margin = at.cac.value_or(0) / limit;
  switch (field) {
    case solve_field::cac:
      return limit * margin_per_period(at.value, at.gross_margin, at.cost_to_serve);
    case solve_field::arpu:
      return (needed_margin + at.cost_to_serve) / at.gross_margin;
    case solve_field::gross_margin:
      return (needed_margin + at.cost_to_serve) / at.value;
    case solve_field::cost_to_serve:
      return at.value * at.gross_margin - needed_margin;
    case solve_field::churn:
    case solve_field::lifetime:
      return std::nullopt;
  }
  return std::nullopt;
}

// Why no value of the field meets the payback rule, or "" when `bound` (from
// payback_bound, or the payback of `at` for churn and lifetime) is valid.
std::string payback_unreachable(const scenario& at, solve_field field, double limit,
                                const std::optional<double>& bound) {
  const std::string per(to_string(at.period));
  const std::string needs = "the payback rule (max_payback " + num(limit) + " " +
                            std::string(plural(at.period)) + ") needs a margin per " + per +
                            " of " + num(at.cac.value_or(0) / limit) + " (CAC " +
                            num(at.cac.value_or(0)) + " / " + num(limit) + ")";
  const double margin = margin_per_period(at.value, at.gross_margin, at.cost_to_serve);
  switch (field) {
    case solve_field::cac:
      if (*bound > 0) return {};
      return "the margin per " + per + " is " + num(margin) + ", so no CAC above 0 is paid back";
    case solve_field::gross_margin:
      if (*bound <= 1) return {};
      return needs + ", more than value " + num(at.value) + " at gross margin 100% leaves";
    case solve_field::cost_to_serve:
      if (*bound >= 0) return {};
      return needs + ", more than value × gross margin " + num(at.value * at.gross_margin) +
             " leaves even with cost to serve 0";
    case solve_field::churn:
    case solve_field::lifetime:
      if (margin > 0 && payback_within(*at.cac / margin, limit)) return {};
      return needs + ", but it is " + num(margin) + " whatever the " +
             std::string(to_string(field));
    case solve_field::arpu:
      return {};
  }
  return {};
}

result<solution> solve_ltv_cac(const scenario_input& input, solve_field field);

// solve() with the payback rule: the LTV:CAC answer, then the payback
// rule's bound of the field, and the stricter of the two, evaluated.
result<solution> solve_both_rules(const scenario_input& input, solve_field field) {
  const double limit = *input.max_payback;
  if (!(limit > 0))
    return error{"max_payback", "max_payback must be > 0, got " + format_shortest(limit)};
  scenario_input ltv_only = input;
  ltv_only.max_payback.reset();
  auto ltv = solve_ltv_cac(ltv_only, field);
  if (!ltv) return ltv;
  solution out = *std::move(ltv);
  out.input.max_payback = limit;
  if (!out.reachable) return out;
  out.ltv_cac_value = out.value;
  const std::optional<double> bound = payback_bound(out.solved, field, limit);
  if (std::string reason = payback_unreachable(out.solved, field, limit, bound); !reason.empty()) {
    solution none;
    none.field = field;
    none.target = out.target;
    none.binding = check_rule::payback;
    none.ltv_cac_value = out.ltv_cac_value;
    none.reason = std::move(reason);
    none.input = input;
    return none;
  }
  double x = out.value;
  if (bound) {
    out.payback_value = *bound;
    if (solves_for_maximum(field) ? *bound < x : *bound > x) {
      x = *bound;
      out.binding = check_rule::payback;
      out.note.clear();  // a range end of the LTV:CAC rule no longer sets it
    }
  }
  if (auto e = evaluate_at(out, input, field, x)) return *std::move(e);
  return out;
}

}  // namespace

result<solution> solve(const scenario_input& input, solve_field field) {
  if (input.max_payback) return solve_both_rules(input, field);
  return solve_ltv_cac(input, field);
}

namespace {

result<solution> solve_ltv_cac(const scenario_input& input, solve_field field) {
  if (auto e = given_for_solved(input, field)) return *std::move(e);
  if (field != solve_field::cac) {
    if (!input.cac)
      return error{"cac", "solve " + std::string(to_string(field)) +
                              " needs cac (customer acquisition cost)"};
    if (!(*input.cac > 0))
      return error{"cac", "cac must be > 0 for solve, got " + format_shortest(*input.cac)};
    // The LTV to reach, target × CAC, must be a number (CAC 1e308 × 3 is not).
    const double target = input.target.value_or(default_target);
    if (!std::isfinite(target * *input.cac))
      return error{"cac", "cac " + format_shortest(*input.cac) + " × the target " +
                              format_shortest(target) +
                              " exceeds the largest number (1.8e308): no LTV can reach it"};
  }
  // Every other input must be valid on its own: probe with a value of the
  // field that is always in range, so their errors come first.
  auto probed = calculate(with_value(input, field, probe_value(field)));
  if (!probed && field != solve_field::cac) return std::move(probed).error();
  if (probed && probed->interval) return solve_over_interval(input, field, *probed->interval);
  return solve_point(input, field);
}

}  // namespace

solution rounded(const solution& s, int decimals, int lifetime_decimals) {
  if (!s.reachable) return s;
  const bool maximum = solves_for_maximum(s.field);
  double x = maximum ? rounded_maximum(s.value, decimals) : rounded_minimum(s.value, decimals);
  const double unit = std::pow(10.0, -decimals);
  for (int step = 0; step < 4; ++step) {
    solution out = s;
    out.value = x;
    out.input = with_value(s.input, s.field, x);
    auto resolved = resolve(out.input);
    if (!resolved) return s;
    auto r = evaluate(*resolved);
    if (!r) return s;
    if (judge(*r).passes().value_or(true)) {
      out.solved = *resolved;
      out.check = *r;
      // The minimum lifetime is a bound of its own: the exact one, rounded up.
      if (s.lifetime) out.lifetime = rounded_minimum(*s.lifetime, lifetime_decimals);
      return out;
    }
    // One unit of the last place on: rounded_* of the moved value is that decimal.
    x = maximum ? rounded_maximum(x - unit, decimals) : rounded_minimum(x + unit, decimals);
  }
  return s;
}

result<solution> solve_saved(const scenario_input& saved, const scenario_input& overrides,
                             solve_field field) {
  return solve(with_overrides(leave_out(saved, field), overrides), field);
}

namespace {

double current_value(const scenario& s, solve_field f) {
  switch (f) {
    case solve_field::cac:
      return s.cac.value_or(0);
    case solve_field::churn:
      return s.churn;
    case solve_field::lifetime:
      return s.lifetime;
    case solve_field::arpu:
      return s.value;
    case solve_field::gross_margin:
      return s.gross_margin;
    case solve_field::cost_to_serve:
      return s.cost_to_serve;
  }
  return 0;
}

}  // namespace

std::vector<solve_field> limit_fields(const scenario_input& input) {
  std::vector<solve_field> fields{solve_field::cac};
  const bool observed =
      input.customers_start || input.customers_lost || input.sbg_alpha || input.sbg_beta;
  if (input.lifetime || input.contract_length)
    fields.push_back(solve_field::lifetime);
  else if (!observed)
    fields.push_back(solve_field::churn);
  fields.push_back(solve_field::arpu);
  fields.push_back(solve_field::gross_margin);
  if (input.cost_to_serve) fields.push_back(solve_field::cost_to_serve);
  return fields;
}

result<std::vector<field_limit>> solve_limits(const scenario_input& input) {
  if (!input.cac || !(*input.cac > 0))
    return error{"cac", input.cac
                            ? "cac must be > 0 for the limits, got " + format_shortest(*input.cac)
                            : "solve without a field needs cac (customer acquisition cost): every "
                              "limit but CAC's is relative to it; give cac, or solve cac for the "
                              "maximum CAC alone"};
  auto given = resolve(input);
  if (!given) return std::move(given).error();
  std::vector<field_limit> limits;
  for (const solve_field field : limit_fields(input)) {
    auto s = solve(leave_out(input, field), field);
    if (!s) return std::move(s).error();
    limits.push_back(field_limit{*std::move(s), current_value(*given, field)});
  }
  return limits;
}

result<std::vector<field_limit>> solve_limits_saved(const scenario_input& saved,
                                                    const scenario_input& overrides) {
  return solve_limits(with_overrides(saved, overrides));
}

}  // namespace cltv
