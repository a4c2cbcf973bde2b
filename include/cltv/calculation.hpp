#pragma once
// A scenario from its inputs to everything `cltv calc` and `cltv check` show,
// in one call: resolve, the check's rules, evaluate, and what was asked for
// besides (the conventions of a plain scenario, the annual-billing what-if of
// one with segments). The first error stops it.

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
  /// A scenario with segments: also move this share of the monthly customers
  /// to annual billing (shift_to_annual).
  std::optional<double> annual_share;
};

/// A plain scenario, calculated.
struct calculation {
  scenario input;  ///< resolved
  ltv_result result;
  std::vector<convention_value> conventions;  ///< with options.reconcile
};

/// A scenario with segments, calculated.
struct segmented_calculation {
  segmented_result segments;
  std::optional<annual_shift_result> what_if;  ///< with options.annual_share
};

/// resolve → validate_for_check (for_check) → evaluate → reconcile
/// (reconcile): the path of a plain scenario. Errors are those of each step.
///
/// Example:
///   // arpu 50, churn 4 %, cac 500, for_check: LTV 1250, ratio 2.5, below
///   // the 3× target (required LTV 1500, max CAC 416.67)
///   auto c = cltv::calculate_scenario(in, {.for_check = true});
[[nodiscard]] result<calculation> calculate_scenario(const scenario_input& input,
                                                     const calculation_options& options);

/// evaluate_segments (with the check's rules when for_check) →
/// shift_to_annual (annual_share): the path of a scenario with segments, whose
/// top level `top` they inherit. `options.reconcile` does not apply.
///
/// Example:
///   // ads $5, churn 8 %; premium $20, churn 4 %; margin 80 %; CAC 40; 75/25 %:
///   // blended LTV 0.75 × 50 + 0.25 × 400 = 137.5
///   auto c = cltv::calculate_segments(top, segments, {});
[[nodiscard]] result<segmented_calculation> calculate_segments(
    const scenario_input& top, const std::vector<segment_input>& segments,
    const calculation_options& options);

}  // namespace cltv
