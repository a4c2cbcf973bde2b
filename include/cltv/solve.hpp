#pragma once
// Goal-seek: the one input left out of a scenario that makes LTV:CAC equal
// the target (default 3) — the budget-meeting questions "how much may we pay
// for a customer?", "how much churn can we afford?", "what must we charge?".

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cltv/error.hpp"
#include "cltv/ltv.hpp"
#include "cltv/scenario.hpp"

namespace cltv {

/// The inputs solve() can solve for, and which way the answer bounds it.
enum class solve_field {
  cac,            ///< maximum CAC
  churn,          ///< maximum churn (and the matching minimum lifetime 1 / churn)
  lifetime,       ///< minimum fixed lifetime (lifetime / contract_length)
  arpu,           ///< minimum value per period (arpu or value)
  gross_margin,   ///< minimum gross margin
  cost_to_serve,  ///< maximum cost to serve per period
};

/// "cac", "churn", "lifetime", "arpu", "gross_margin", "cost_to_serve".
[[nodiscard]] std::string_view to_string(solve_field f) noexcept;
/// The inverse of to_string; also accepts the aliases "value" (arpu) and
/// "contract_length" (lifetime), and dashes for underscores.
[[nodiscard]] std::optional<solve_field> parse_solve_field(std::string_view name) noexcept;
/// Whether the answer is an upper bound (cac, churn, cost_to_serve) or a lower
/// bound (lifetime, arpu, gross_margin) of the field.
[[nodiscard]] bool solves_for_maximum(solve_field f) noexcept;
/// "maximum" for an upper bound (solves_for_maximum), "minimum" for a lower one.
[[nodiscard]] std::string_view bound_name(solve_field f) noexcept;
/// The field as people name it: "CAC", "churn", "lifetime", "ARPU", "gross
/// margin", "cost to serve" (bound_name + label: "maximum CAC").
[[nodiscard]] std::string_view label(solve_field f) noexcept;
/// The fields solve() solves for, as a user reads them: "cac, churn, lifetime,
/// arpu, gross_margin or cost_to_serve".
[[nodiscard]] std::string solvable_field_names();
/// parse_solve_field, or the error that names the fields there are.
///
/// Example:
///   auto field = cltv::solve_field_named("ltv");
///   // field.error().message: cannot solve for "ltv": choose cac, churn, lifetime,
///   // arpu, gross_margin or cost_to_serve
[[nodiscard]] result<solve_field> solve_field_named(std::string_view name);

/// What solve() found. Either `reachable` with `value`, the scenario at that
/// value and its evaluation (the ratio check judges = target), or not
/// reachable with a reason.
struct solution {
  solve_field field = solve_field::cac;
  double target = default_target;
  bool reachable = false;
  double value = 0;  ///< the solved value, when reachable
  /// solve_field::churn: the matching minimum average lifetime 1 / churn
  /// (nullopt when the solved churn is 0).
  std::optional<double> lifetime;
  /// Set when every value of the field in its valid range meets the target
  /// (e.g. even churn 100 % does), so `value` is the range's end.
  std::string note;
  /// Why no value of the field reaches the target, with the best ratio there is.
  std::string reason;
  /// When not reachable and the field enters LTV linearly: the value that
  /// would meet the target, outside the field's range (a gross margin above
  /// 100 %, a negative cost to serve).
  std::optional<double> needed;
  scenario_input input;  ///< the given input, with `value` filled in when reachable
  scenario solved;       ///< resolve(input), when reachable
  /// evaluate(solved): ltv_cac_ratio equals target when reachable and the
  /// LTV:CAC rule binds; with the payback rule binding, cac_payback equals
  /// max_payback and the ratio exceeds the target.
  ltv_result check;
  /// The rule that sets the answer (or, unreachable, that cannot be met):
  /// ltv_cac unless the input gives max_payback and the payback rule is the
  /// stricter one.
  check_rule binding = check_rule::ltv_cac;
  /// With max_payback, each rule's answer on its own (the answer is the
  /// stricter): the value at which LTV:CAC equals the target (absent when no
  /// value reaches it) …
  std::optional<double> ltv_cac_value;
  /// … and the value at which CAC / margin per period equals max_payback
  /// (absent when the field does not move the payback: churn, lifetime; or
  /// when no value of the field meets it).
  std::optional<double> payback_value;
};

/// `input` without `field` and the other sources of its group (churn,
/// lifetime, contract_length and an sBG curve; arpu, value, aov and
/// purchase_frequency): a saved scenario's current value made the unknown.
/// Churn counts stay: they are observations, which solve churn refuses.
///
/// Example:
///   auto in = cltv::leave_out(saved, cltv::solve_field::churn);  // drops churn or lifetime
[[nodiscard]] scenario_input leave_out(scenario_input input, solve_field field);

/// The error solve() gives when `input` holds `field` (or another source of
/// its group), or nullopt: lets a caller refuse such flags once, up front.
[[nodiscard]] std::optional<error> given_for_solved(const scenario_input& input, solve_field field);

/// Finds the value of `field` at which LTV / CAC equals the target
/// (input.target, default 3), every other input as given in `input`.
///
/// CAC is LTV / target. Value per period, gross margin and cost to serve enter
/// LTV linearly, so they are solved in closed form from two evaluations and
/// checked by a third; churn and a fixed lifetime are found with Boost.Math's
/// bracketed TOMS 748 root finder over cltv::calculate, to a relative
/// precision of about 1e-15. The result is "not reachable" (with the reason)
/// when no valid value of the field meets the target, e.g. CAC exceeds what
/// the margin can ever earn within the horizon.
///
/// With churn counts and a confidence level the answer holds for the whole
/// churn interval, as check judges it (passes_check): its lowest LTV:CAC
/// equals the target.
///
/// With max_payback (the payback rule: CAC / margin per period ≤ N) the answer
/// meets both rules: the stricter of the two bounds, and `binding` names the
/// rule that set it. The payback rule bounds CAC (N × margin), ARPU ((CAC / N
/// + cost to serve) / gross margin), gross margin ((CAC / N + cost to serve) /
/// value) and cost to serve (value × gross margin − CAC / N); it does not
/// depend on churn or lifetime, so there it is met or not whatever the answer.
///
/// Fails (an input error) when `input` gives the field being solved for (or
/// another source of the same group; for churn and lifetime also churn counts,
/// which determine the churn, or an sBG curve), when another input is missing
/// or invalid, or when a CAC > 0 is needed and missing.
///
/// Example:
///   cltv::scenario_input in;
///   in.arpu = 50; in.churn = 0.04;             // LTV 50 / 0.04 = 1250
///   auto s = cltv::solve(in, cltv::solve_field::cac);
///   // s->value == 1250 / 3 == 416.666…, s->check.ltv_cac_ratio == 3
///   in.max_payback = 6;                        // CAC / 50 ≤ 6: CAC ≤ 300
///   // s->value == 300, s->binding == cltv::check_rule::payback
[[nodiscard]] result<solution> solve(const scenario_input& input, solve_field field);

/// `s` as a person reads it: the solved value rounded to `decimals` places
/// on the safe side of its bound (rounded_maximum or rounded_minimum:
/// cltv/formulas.hpp), the scenario and its check evaluated there, so that the
/// rounded value, given back to `cltv check`, passes. When that evaluation
/// misses the target (a field that enters LTV non-linearly), the value moves
/// on by one unit of the last place, up to three times. The matching minimum
/// lifetime of a churn (1 / the exact churn) is rounded up to
/// `lifetime_decimals`. An unreachable
/// solution, or one whose rounded value is out of range (churn rounded down
/// to 0 without a horizon), is returned as it is.
///
/// Example:
///   // arpu 50, churn 4 %: max CAC 1250 / 3 = 416.666…; 416.67 would miss 3×
///   auto shown = cltv::rounded(*cltv::solve(in, cltv::solve_field::cac), 2, 4);
///   // shown.value == 416.66, shown.check.ltv_cac_ratio == 1250 / 416.66 = 3.00005
[[nodiscard]] solution rounded(const solution& s, int decimals, int lifetime_decimals);

/// solve() for a saved scenario (a record of a batch) with `overrides` over
/// it. The saved scenario's own value of `field` (and of the other sources of
/// its group, as leave_out) is its current value, which the answer replaces:
/// it is left out, so that `solve cac` answers for every saved record. The
/// field given in `overrides` is still refused (given_for_solved).
///
/// Example:
///   // saved arpu 50, churn 4 %, cac 300; overrides arpu 60: max CAC 60 / 0.04 / 3 = 500
///   auto s = cltv::solve_saved(saved, overrides, cltv::solve_field::cac);
[[nodiscard]] result<solution> solve_saved(const scenario_input& saved,
                                           const scenario_input& overrides, solve_field field);

/// One input's limit in solve_limits: its solution (whose `binding` names the
/// rule that sets it: LTV:CAC, or payback when the scenario gives max_payback
/// and that rule is the stricter) and the scenario's value of the field today.
struct field_limit {
  solution answer;
  /// The scenario's value of the field today (its default when not given:
  /// gross margin 100 %): what the limit is compared with.
  double current = 0;
};

/// The inputs solve_limits answers for `input`, in this order: cac; churn,
/// or lifetime when the scenario gives a lifetime or a contract length (none
/// when churn counts or an sBG curve give it: those are observations, not a
/// choice); arpu; gross_margin; and cost_to_serve when the scenario gives
/// one (without it there is no cost to bound).
///
/// Example:
///   // arpu 49, churn 3.5 %, gross margin 80 %, cac 600
///   auto fields = cltv::limit_fields(in);  // cac, churn, arpu, gross_margin
[[nodiscard]] std::vector<solve_field> limit_fields(const scenario_input& input);

/// Every limit of a scenario at once: for each of limit_fields(input), the
/// solve() of that input with every other input held as given (its own value
/// left out, as leave_out). A limit no valid value reaches is in the list,
/// not reachable, with its reason.
///
/// Fails (an input error) when the scenario gives no CAC > 0 (every limit but
/// CAC's is relative to it) or when the scenario does not resolve (a missing
/// or invalid input), or with the first error of the fields' solves.
///
/// Example:
///   // arpu 49, churn 3.5 %, gross margin 80 %, cac 600: LTV 49 × 0.8 / 0.035 = 1120
///   auto all = cltv::solve_limits(in);
///   // (*all)[0].answer.value == 1120 / 3 = 373.33 (max CAC)
///   // (*all)[1].answer.value == 39.2 / 1800 = 2.18 % (max churn)
///   // (*all)[2].answer.value == 3 × 600 × 0.035 / 0.8 = 78.75 (min ARPU)
///   // (*all)[3].answer.reachable == false: it takes 128.6 % gross margin
[[nodiscard]] result<std::vector<field_limit>> solve_limits(const scenario_input& input);

/// solve_limits for a saved scenario (a record of a batch) with `overrides`
/// over it: every input, saved or overridden, is held as given.
[[nodiscard]] result<std::vector<field_limit>> solve_limits_saved(const scenario_input& saved,
                                                                  const scenario_input& overrides);

}  // namespace cltv
