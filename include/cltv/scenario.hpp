#pragma once
// A scenario: the inputs of one LTV calculation, first as given (any field may
// be missing or conflict), then resolved and validated.

#include <optional>
#include <string_view>

#include "cltv/error.hpp"
#include "cltv/period.hpp"

namespace cltv {

/// Limits of the valid input (documented in doc/inputs.md, the input table).
inline constexpr int max_horizon = 10000;
/// A lifetime derived from churn may not exceed this many periods unless a
/// horizon or a discount rate bounds the sum.
inline constexpr double max_undiscounted_lifetime = 10000.0;
inline constexpr double default_target = 3.0;  // David Skok's LTV ≥ 3 × CAC rule

/// The inputs exactly as a user gave them, before validation. Every field is
/// optional; aliases are kept apart so that conflicts can be named.
///
/// Value per period comes from one source: `arpu`, `value` (alias), or
/// `aov` × `purchase_frequency`. Lifetime comes from one source: `lifetime`,
/// `contract_length` (alias), `churn`, `customers_start` with
/// `customers_lost` (churn = lost / start, observed over one period), or
/// `sbg_alpha` with `sbg_beta` (a shifted-beta-geometric retention curve,
/// cltv/models/sbg.hpp: churn that falls with tenure).
struct scenario_input {
  std::optional<double> arpu, value, aov, purchase_frequency;
  std::optional<double> lifetime, contract_length, churn;
  std::optional<double> customers_start, customers_lost;  ///< whole numbers; a churn source
  std::optional<double> sbg_alpha, sbg_beta;  ///< an sBG retention curve; a lifetime source
  /// Confidence level in (0, 1) of the churn interval (needs the counts).
  std::optional<double> confidence;
  /// Growth per period of the revenue of a retained customer (> −1).
  std::optional<double> expansion;
  std::optional<double> cac, gross_margin, cost_to_serve, discount_rate, target;
  std::optional<double> horizon;  ///< must hold a whole number; checked by resolve
  std::optional<cltv::period> period;
  /// The payback rule: CAC / margin per period may take at most this many
  /// periods (> 0; needs cac). A second rule of the check, next to the target.
  std::optional<double> max_payback;

  // (A new member needs its row in cltv/scenario_fields.hpp, the table that
  // names the fields for flags, JSON and with_overrides.)

  /// Whether no field is given.
  [[nodiscard]] bool empty() const noexcept;
  /// Whether a field of the value group is given (arpu, value, aov, purchase_frequency).
  [[nodiscard]] bool has_value_source() const noexcept;
  /// Whether a field that gives a lifetime is given (not confidence alone).
  [[nodiscard]] bool has_lifetime_source() const noexcept;
};

/// Layers `overrides` on top of `base` (flags over a JSON record, for what-if
/// runs): each field `overrides` gives replaces the base's; and if `overrides`
/// gives a source of a group (value: arpu | value | aov with
/// purchase_frequency; lifetime: lifetime | contract_length | churn | the
/// counts | an sBG curve; see cltv/scenario_fields.hpp), the base's other
/// sources of that group are dropped first, so `--churn 3%` over a record
/// with `lifetime` is not a conflict, and `--aov 70` over a record with aov
/// and purchase_frequency keeps its purchase_frequency (as
/// `--customers-lost 9` keeps a record's customers_start and confidence).
[[nodiscard]] scenario_input with_overrides(scenario_input base, const scenario_input& overrides);

enum class value_basis { arpu, orders };  ///< arpu (or value) / aov × purchase_frequency
/// lifetime (or contract_length) / churn (or counts) / an sBG curve
enum class lifetime_basis { fixed, churn, sbg };

/// Churn observed as counts over one period: `lost` of `start` customers left.
struct churn_counts {
  double start = 0;  ///< whole number > 0
  double lost = 0;   ///< whole number in [0, start]
};

/// A validated scenario: one source per group, every number in its range,
/// defaults filled in. Only cltv::resolve makes these.
struct scenario {
  cltv::period period = period::month;
  value_basis value_from = value_basis::arpu;
  double value = 0;                        ///< per period: arpu, or aov × purchase_frequency
  double aov = 0, purchase_frequency = 0;  ///< set when value_from == orders
  lifetime_basis lifetime_from = lifetime_basis::churn;
  double lifetime = 0;                 ///< set when lifetime_from == fixed
  double churn = 0;                    ///< set when lifetime_from == churn
  double sbg_alpha = 0, sbg_beta = 0;  ///< set when lifetime_from == sbg
  std::optional<churn_counts> counts;  ///< when churn came from counts (churn = lost / start)
  std::optional<double> confidence;    ///< level of the churn interval; only with counts
  double expansion = 0;                ///< revenue growth per period of a retained customer
  double gross_margin = 1.0;
  double cost_to_serve = 0.0;
  double discount_rate = 0.0;
  double target = default_target;
  std::optional<double> cac;
  std::optional<int> horizon;
  std::optional<double> max_payback;  ///< the payback rule's limit in periods, with a CAC
};

/// Validates `input` and fills in defaults (period month, gross_margin 1,
/// cost_to_serve 0, discount_rate 0, target 3). Fails, naming the field and
/// value, on: a missing or doubled source, a value out of range, a horizon
/// that is not a whole number in [1, 10000], churn 0 with neither a horizon
/// nor a discount rate, or a lifetime derived from churn above 10,000 periods
/// with neither; counts that are not whole numbers with 0 <= lost <= start and
/// start > 0; sbg_alpha or sbg_beta without the other, not > 0, with an
/// expansion, or with alpha <= 1 (unbounded expected lifetime) and neither a
/// horizon nor a discount rate; a confidence outside (0, 1) or without counts;
/// a max_payback not > 0, or without a cac; an expansion
/// <= −1; and, with churn and no horizon, an expansion that makes the sum of
/// payments diverge ((1 + g)(1 − c) >= 1 + d). With a fixed lifetime the sum
/// is finite for any expansion (see paid_periods_fixed_growth).
///
/// Example:
///   cltv::scenario_input in;
///   in.arpu = 50; in.churn = 0.04; in.cac = 300;
///   cltv::result<cltv::scenario> s = cltv::resolve(in);  // ok: month, margin 1
[[nodiscard]] result<scenario> resolve(const scenario_input& input);

/// The inputs `s` stands for, as resolve read them: its sources under their
/// first names (arpu for value, lifetime for contract_length), every default
/// filled in, expansion only when it is not 0. resolve(as_input(s)) gives `s`
/// back. A result's JSON echoes these as its "inputs".
///
/// Example:
///   cltv::scenario_input in;
///   in.value = 50; in.churn = 0.04;
///   cltv::as_input(*cltv::resolve(in));
///   // {period month, arpu 50, churn 0.04, gross_margin 1, cost_to_serve 0,
///   //  discount_rate 0, target 3}
[[nodiscard]] scenario_input as_input(const scenario& s);

/// Whether the churn-based sum of payments without a horizon has no finite
/// value: (1 + g)(1 − c) >= 1 + d, i.e. log q >= 0 within 1e-12 of
/// rounding (for g = 0 exactly c + d = 0, as the foundation's rule).
/// Example: expansion_diverges(0.02, 0, 0.03) == true (1.03 × 0.98 = 1.0094).
[[nodiscard]] bool expansion_diverges(double churn, double discount_rate,
                                      double expansion) noexcept;

/// The first input given out of its range (a negative CAC, churn above 100 %,
/// a payback limit not > 0, …), as resolve() reports it, or nullopt. Inputs
/// not given are not checked: a caller that fills some in later (a grid's
/// varied fields) can check the rest up front.
///
/// Example:
///   cltv::scenario_input in;
///   in.max_payback = -3;
///   cltv::out_of_range(in)->message;  // "max_payback must be > 0, got -3"
[[nodiscard]] std::optional<error> out_of_range(const scenario_input& input);

/// The extra requirement of the LTV:CAC check: a CAC above zero.
[[nodiscard]] std::optional<error> validate_for_check(const scenario& s);

}  // namespace cltv
