#pragma once
// Tiers and segments: one scenario split into customer segments (an ad-supported
// tier next to a premium tier, monthly next to annual billing), each evaluated
// on its own and blended by customer weight.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cltv/error.hpp"
#include "cltv/ltv.hpp"
#include "cltv/number.hpp"
#include "cltv/scenario.hpp"

namespace cltv {

/// How a segment pays. `per_period`: the scenario's own period and inputs
/// (the default). `annual`: one payment of `annual_price` a year, and
/// `annual_churn` of the annual customers do not renew; computed per year.
enum class billing { per_period, annual };

/// One segment as a user gave it: its own inputs (missing ones are inherited
/// from the scenario's top level) and its weight, a customer count or a share.
struct segment_input {
  std::string name;
  scenario_input fields;  ///< only what the segment itself gives
  std::optional<double> customers, share;
  billing bill = billing::per_period;
  /// The annual plan: required with billing annual; on a monthly segment it
  /// is the plan a what-if moves customers to.
  std::optional<double> annual_price, annual_churn;
};

/// The number field `key` of a segment, as JSON "segments" and --segment
/// name it: customers, share, annual_price, annual_churn, or a scenario input
/// (snake_case, cltv/scenario_fields.hpp) but period; `style` says how its
/// text reads (share, annual_churn and rates: "8%" or 0.08). nullptr when
/// `key` names no number field of a segment.
[[nodiscard]] std::optional<double>* segment_number_field(segment_input& segment,
                                                          std::string_view key,
                                                          number_style& style);

/// Sets a word field of a segment from its text: billing ("monthly" or
/// "annual") or period ("month" or "year"). false when `key` is neither;
/// fails, naming the field and the text, on another word.
[[nodiscard]] result<bool> set_segment_word(segment_input& segment, std::string_view key,
                                            std::string_view text);

/// One evaluated segment.
struct segment_result {
  std::string name;
  double weight = 0;  ///< share of the scenario's customers (the weights sum to 1)
  std::optional<double> customers;
  billing bill = billing::per_period;
  scenario input;     ///< resolved, in the segment's own period
  ltv_result result;  ///< in the segment's own period
  double margin_per_month = 0;
  std::optional<double> cac_payback_months;
};

/// The customer-weighted blend of a scenario's segments. LTV and CAC are
/// amounts per customer, so segments on different periods blend directly.
struct blended_result {
  std::optional<double> customers;      ///< total, when the weights are counts
  double ltv = 0;                       ///< Σ weight × LTV
  double value_per_month = 0;           ///< Σ weight × value per month (a year: value / 12)
  double margin_per_month = 0;          ///< Σ weight × margin per month
  std::optional<double> cac;            ///< Σ weight × CAC, when every segment has a CAC
  std::optional<double> net_value;      ///< ltv − cac
  std::optional<double> ltv_cac_ratio;  ///< ltv / cac, when cac > 0
  double target = default_target;       ///< the scenario's top-level target
  std::optional<bool> meets_target;
  /// target × cac and ltv / target, as in ltv_result: with a ratio; max_cac
  /// only when the blended LTV is positive.
  std::optional<double> required_ltv, max_cac;
  /// cac / margin_per_month; absent without a CAC or when the blended margin
  /// is ≤ 0 (then payback_undefined).
  std::optional<double> cac_payback_months;
  bool payback_undefined = false;
};

struct segmented_result {
  std::vector<segment_result> segments;
  blended_result blended;
};

/// The weight of each segment as a share of customers, in order. Counts are
/// divided by their total; shares must sum to 1 (± 1e-9). Fails, naming the
/// segment, on: an empty list, a missing or duplicate name, a segment with
/// neither or both of customers and share, a mix of counts and shares, a
/// negative or non-finite weight, a share above 1, a zero total, or shares
/// that do not sum to 1.
///
/// Example:
///   // ads 700 customers, premium 300 → {0.7, 0.3}
///   auto w = cltv::segment_weights(segments);
[[nodiscard]] result<std::vector<double>> segment_weights(
    const std::vector<segment_input>& segments);

/// The full input of one segment: `top` with the segment's own fields laid
/// over it by with_overrides (a value or lifetime source the segment gives
/// replaces the top level's whole source group). With billing annual the
/// value and lifetime become annual_price and annual_churn per year, and the
/// per-period fields inherited from a monthly top level are converted to a
/// year: cost_to_serve × 12, discount_rate (1 + d)^12 − 1, horizon / 12 (a
/// whole number of years). Errors name the segment.
///
/// Example:
///   // top {cac 40, gross_margin 0.8}, segment {arpu 5, churn 0.08}
///   // → {arpu 5, churn 0.08, cac 40, gross_margin 0.8}
[[nodiscard]] result<scenario_input> segment_scenario(const scenario_input& top,
                                                      const segment_input& segment);

/// Blends evaluated segments (their `weight`s sum to 1) under `target`.
[[nodiscard]] blended_result blend(const std::vector<segment_result>& segments, double target);

/// Validates the weights, resolves and evaluates every segment, and blends
/// them. `for_check` adds the LTV:CAC check's rule: every segment needs a CAC
/// and the blended CAC must be above zero.
///
/// Example:
///   // ads: $5/month, churn 8 %; premium: $20/month, churn 4 %; margin 80 %;
///   // CAC 40 for both; 750 and 250 customers:
///   // LTV 50 and 400, blended 0.75 × 50 + 0.25 × 400 = 137.5, ratio 3.4375
///   auto r = cltv::evaluate_segments(top, segments);
[[nodiscard]] result<segmented_result> evaluate_segments(const scenario_input& top,
                                                         const std::vector<segment_input>& segments,
                                                         bool for_check = false);

/// The annual plan of a scenario's top level: `annual_price` (the price of a
/// year) and `annual_churn` (the share of annual customers who do not renew).
/// On a plan without segments it is the plan a what-if moves customers to;
/// with segments, each segment that gives no annual plan of its own inherits
/// these fields, as it inherits the other top-level inputs.
struct annual_plan_input {
  std::optional<double> annual_price, annual_churn;
  /// Whether neither field is given.
  [[nodiscard]] bool empty() const noexcept { return !annual_price && !annual_churn; }
};

/// The annual churn of an annual plan that gives none, from the monthly plan
/// its customers move from: that plan's churn c compounded over a year,
/// 1 − (1 − c)^12 (annual_churn_from_monthly). nullopt when `monthly` is not
/// per month, or its lifetime does not come from a churn (given, or from
/// counts) above 0: a fixed lifetime or an sBG curve says nothing of renewals.
///
/// Example:
///   // arpu 49, churn 3.5 % a month → 1 − 0.965^12 ≈ 0.3479 (34.79 %)
///   auto churn = cltv::derived_annual_churn(monthly);
[[nodiscard]] std::optional<double> derived_annual_churn(const scenario& monthly) noexcept;

/// Checks the annual plan of a plan without segments against that plan,
/// resolved: annual_price given, annual_churn given or derived from the
/// plan's monthly churn (derived_annual_churn), annual_price > 0, annual_churn in (0, 1]
/// (a bare number above 1 names its % form), and a plan billed per month
/// (a yearly plan has no monthly customers to move). Nothing to check when
/// `plan` is empty.
///
/// Example:
///   // {annual_price 490, annual_churn 0.25} on a monthly plan → no error;
///   // {annual_price 490} alone: annual_churn derived from the plan's churn;
///   // on a plan with a fixed lifetime → "annual_price needs annual_churn …"
[[nodiscard]] std::optional<error> validate_annual_plan(const annual_plan_input& plan,
                                                        const scenario& monthly);

/// What moving a share of the customers of a plan without segments to its
/// annual plan does: the plan becomes a blend of itself (1 − share) and the
/// annual plan (share), each computed as a segment would be.
struct plan_shift_result {
  double annual_share = 0;
  scenario annual_input;  ///< the annual plan, resolved, per year
  ltv_result annual;      ///< its result, per year
  blended_result after;   ///< the blend after the move (per month, as blends are)
  double ltv_change = 0;  ///< after.ltv − the plan's LTV
  /// The plan's monthly churn c when annual_churn was left out and derived
  /// from it (derived_annual_churn); nullopt when given.
  std::optional<double> annual_churn_derived_from;
};

/// Moves `annual_share` (in [0, 1]) of the customers of the monthly plan
/// `today` (resolved; `today_result` its result) to annual billing at
/// `plan`'s annual_price and annual_churn (derived from `today`'s churn when
/// left out: derived_annual_churn), and blends. The annual plan
/// inherits every other input of `today`, restated per year as an annual
/// segment's are (segment_scenario). Fails when the annual plan is missing
/// or invalid (validate_annual_plan), or the annual plan cannot be computed
/// (a horizon that is not whole years).
///
/// Example:
///   // arpu 49, churn 4 %, margin 80 %, cac 600: LTV 39.2 / 0.04 = 980;
///   // annual plan 490 a year, 25 % do not renew: LTV 392 / 0.25 = 1568;
///   // annual_share 0.4: LTV 0.6 × 980 + 0.4 × 1568 = 1215.2 (+235.2)
///   auto w = cltv::shift_plan_to_annual(today, r, {490.0, 0.25}, 0.4);
[[nodiscard]] result<plan_shift_result> shift_plan_to_annual(const scenario& today,
                                                             const ltv_result& today_result,
                                                             const annual_plan_input& plan,
                                                             double annual_share);

/// `segments` with the top level's annual plan filled into each segment that
/// gives no annual_price (or no annual_churn) of its own.
///
/// Example:
///   // top {annual_churn 0.25}; ads {annual_price 50}, premium {annual_price
///   // 200, annual_churn 0.2} → ads gets annual_churn 0.25, premium keeps 0.2
[[nodiscard]] std::vector<segment_input> with_annual_plan(std::vector<segment_input> segments,
                                                          const annual_plan_input& top);

/// What moving a share of the monthly customers to annual billing does.
struct annual_shift_result {
  double annual_share = 0;  ///< of every monthly segment's customers
  /// The segments after the move: each monthly segment that moves is split
  /// into "<name>" (1 − share of its weight) and "<name> (annual)" on its
  /// own annual_price and annual_churn.
  segmented_result after;
  /// Where the annual copies are in after.segments, and whose they are.
  struct moved_segment {
    std::string from;   ///< the monthly segment's name
    std::size_t index;  ///< of its annual copy in after.segments
    /// The segment's monthly churn c when its annual_churn was left out and
    /// derived from it (derived_annual_churn); nullopt when given.
    std::optional<double> annual_churn_derived_from = std::nullopt;
  };
  std::vector<moved_segment> moved;
  double ltv_change = 0;  ///< after.blended.ltv − before.blended.ltv
};

/// Moves `annual_share` (in [0, 1]) of the customers of every segment billed
/// monthly (billing per_period with period month) to annual billing at that
/// segment's annual_price and annual_churn (derived from the segment's own
/// churn when left out: derived_annual_churn), and re-blends. Fails, naming
/// the segment, when a monthly segment lacks its annual_price, or its
/// annual_churn with no churn to derive it from, or when there is no monthly
/// segment to move.
///
/// Example:
///   // ads 60 % (LTV 50, annual plan LTV 80), premium 30 % (LTV 400, annual
///   // plan LTV 640), premium annual 10 % (LTV 640); annual_share 0.4:
///   // ltv_change = 0.4 × (0.6 × 30 + 0.3 × 240) = 36 (214 → 250)
[[nodiscard]] result<annual_shift_result> shift_to_annual(
    const scenario_input& top, const std::vector<segment_input>& segments,
    const segmented_result& before, double annual_share, bool for_check = false);

}  // namespace cltv
