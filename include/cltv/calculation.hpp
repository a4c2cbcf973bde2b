#pragma once
// A scenario from its inputs to everything `cltv calc` and `cltv check` show,
// in one call: resolve, the check's rules, evaluate, and what was asked for
// besides (the conventions of a plain scenario, the annual-billing what-if of
// a plain scenario or of one with segments). The first error stops it.

#include <optional>
#include <vector>

#include "cltv/conventions.hpp"
#include "cltv/error.hpp"
#include "cltv/ltv.hpp"
#include "cltv/scenario.hpp"
#include "cltv/segments.hpp"

namespace cltv {

/// What a calculation does besides resolving and evaluating.
struct calculation_options {
  /// The LTV:CAC check's rules: a CAC above 0 (validate_for_check; with
  /// segments, every segment's CAC and a blended CAC above 0).
  bool for_check = false;
  /// A plain scenario: also its LTV under other conventions (reconcile).
  bool reconcile = false;
  /// Also move this share of the monthly customers to annual billing: of a
  /// plain scenario, to its annual plan (shift_plan_to_annual); of a scenario
  /// with segments, each monthly segment to its own (shift_to_annual).
  std::optional<double> annual_share;
};

/// A plain scenario, calculated.
struct calculation {
  scenario input;  ///< resolved
  ltv_result result;
  std::vector<convention_value> conventions;  ///< with options.reconcile
  annual_plan_input annual_plan;              ///< as given (validated); empty when not
  std::optional<plan_shift_result> what_if;   ///< with options.annual_share
};

/// A scenario with segments, calculated.
struct segmented_calculation {
  segmented_result segments;
  std::optional<annual_shift_result> what_if;  ///< with options.annual_share
};

/// resolve → validate_for_check (for_check) → evaluate → reconcile
/// (reconcile) → validate_annual_plan (`annual_plan` given) →
/// shift_plan_to_annual (annual_share): the path of a plain scenario. Errors
/// are those of each step. Without annual_share, an annual plan is checked
/// and kept (calculation::annual_plan), nothing more.
///
/// Example:
///   // arpu 50, churn 4 %, cac 500, for_check: LTV 1250, ratio 2.5, below
///   // the 3× target (required LTV 1500, max CAC 416.67)
///   auto c = cltv::calculate_scenario(in, {.for_check = true});
[[nodiscard]] result<calculation> calculate_scenario(const scenario_input& input,
                                                     const calculation_options& options,
                                                     const annual_plan_input& annual_plan = {});

/// evaluate_segments (with the check's rules when for_check) →
/// shift_to_annual (annual_share): the path of a scenario with segments, whose
/// top level `top` they inherit, and `annual_plan` the segments that give no
/// annual plan of their own (with_annual_plan). `options.reconcile` does not
/// apply; a max_payback (at the top or in a segment) is refused.
///
/// Example:
///   // ads $5, churn 8 %; premium $20, churn 4 %; margin 80 %; CAC 40; 75/25 %:
///   // blended LTV 0.75 × 50 + 0.25 × 400 = 137.5
///   auto c = cltv::calculate_segments(top, segments, {});
[[nodiscard]] result<segmented_calculation> calculate_segments(
    const scenario_input& top, const std::vector<segment_input>& segments,
    const calculation_options& options, const annual_plan_input& annual_plan = {});

}  // namespace cltv
