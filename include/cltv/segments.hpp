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
  };
  std::vector<moved_segment> moved;
  double ltv_change = 0;  ///< after.blended.ltv − before.blended.ltv
};

/// Moves `annual_share` (in [0, 1]) of the customers of every segment billed
/// monthly (billing per_period with period month) to annual billing at that
/// segment's annual_price and annual_churn, and re-blends. Fails, naming the
/// segment, when a monthly segment lacks its annual plan, or when there is no
/// monthly segment to move.
///
/// Example:
///   // ads 60 % (LTV 50, annual plan LTV 80), premium 30 % (LTV 400, annual
///   // plan LTV 640), premium annual 10 % (LTV 640); annual_share 0.4:
///   // ltv_change = 0.4 × (0.6 × 30 + 0.3 × 240) = 36 (214 → 250)
[[nodiscard]] result<annual_shift_result> shift_to_annual(
    const scenario_input& top, const std::vector<segment_input>& segments,
    const segmented_result& before, double annual_share, bool for_check = false);

}  // namespace cltv
