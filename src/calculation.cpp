#include "cltv/calculation.hpp"

#include <algorithm>
#include <optional>
#include <utility>

namespace cltv {

namespace {

// calculate_scenario's steps, into the result it returns: a batch calculates
// a million records, so the calculation is built in place rather than moved.
std::optional<error> calculate_into(calculation& out, const scenario_input& input,
                                    const calculation_options& options,
                                    const annual_plan_input& annual_plan) {
  auto resolved = resolve(input);
  if (!resolved) return std::move(resolved).error();
  out.input = *resolved;
  if (options.for_check)
    if (auto e = validate_for_check(out.input)) return e;
  auto evaluated = evaluate(out.input);
  if (!evaluated) return std::move(evaluated).error();
  out.result = *evaluated;
  if (options.reconcile) {
    auto conventions = reconcile(out.input);
    if (!conventions) return std::move(conventions).error();
    out.conventions = std::move(conventions).value();
  }
  if (options.annual_share) {
    auto shifted = shift_plan_to_annual(out.input, out.result, annual_plan, *options.annual_share);
    if (!shifted) return std::move(shifted).error();
    out.what_if = std::move(shifted).value();
  } else if (auto e = validate_annual_plan(annual_plan, out.input)) {
    return e;
  }
  out.annual_plan = annual_plan;
  return std::nullopt;
}

}  // namespace

result<calculation> calculate_scenario(const scenario_input& input,
                                       const calculation_options& options,
                                       const annual_plan_input& annual_plan) {
  result<calculation> out = calculation{};
  if (auto e = calculate_into(*out, input, options, annual_plan)) out = *std::move(e);
  return out;
}

result<segmented_calculation> calculate_segments(const scenario_input& top,
                                                 const std::vector<segment_input>& segments,
                                                 const calculation_options& options,
                                                 const annual_plan_input& annual_plan) {
  // The payback rule is a plan's: a blend of segments has no margin per
  // period of its own to divide the CAC by (see cltv/segments.hpp).
  const bool segment_limit = std::any_of(segments.begin(), segments.end(), [](const auto& s) {
    return s.fields.max_payback.has_value();
  });
  if (top.max_payback || segment_limit)
    return error{"max_payback",
                 "max_payback applies to a plan without segments: check each segment as a plan"};
  if (!annual_plan.empty())
    return calculate_segments(top, with_annual_plan(segments, annual_plan), options);
  segmented_calculation out;
  auto evaluated = evaluate_segments(top, segments, options.for_check);
  if (!evaluated) return std::move(evaluated).error();
  out.segments = std::move(evaluated).value();
  if (!options.annual_share) return out;
  auto shifted =
      shift_to_annual(top, segments, out.segments, *options.annual_share, options.for_check);
  if (!shifted) return std::move(shifted).error();
  out.what_if = std::move(shifted).value();
  return out;
}

}  // namespace cltv
