#include "cltv/segments.hpp"

#include <cmath>
#include <string>
#include <utility>

#include "cltv/formulas.hpp"
#include "cltv/number.hpp"
#include "cltv/period.hpp"
#include "cltv/scenario_fields.hpp"

namespace cltv {
namespace {

constexpr double share_tolerance = 1e-9;
constexpr double months_per_year = 12.0;

std::string who(const segment_input& s, std::size_t index) {
  if (s.name.empty()) return "segment " + std::to_string(index + 1);
  return "segment \"" + s.name + "\"";
}

error about(const segment_input& s, std::size_t index, std::string field, std::string_view what) {
  return {std::move(field), who(s, index) + ": " + std::string(what)};
}

// The scenario_input that carries only a value and a lifetime source: laid
// over a segment's own fields with with_overrides, it drops whatever value
// and lifetime sources they had (whichever fields those groups hold).
scenario_input annual_sources(std::optional<double> annual_price,
                              std::optional<double> annual_churn) {
  scenario_input in;
  in.arpu = annual_price;
  in.churn = annual_churn;
  in.period = period::year;
  return in;
}

std::optional<error> check_annual_plan(const segment_input& s, std::size_t index) {
  if (s.annual_price && !(*s.annual_price >= 0 && std::isfinite(*s.annual_price)))
    return about(s, index, "annual_price",
                 "annual_price must be >= 0, got " + format_shortest(*s.annual_price));
  if (s.annual_churn && !(*s.annual_churn >= 0 && *s.annual_churn <= 1))
    return about(s, index, "annual_churn",
                 "annual_churn must be in [0, 1], got " + format_shortest(*s.annual_churn) +
                     percent_hint(*s.annual_churn));
  return std::nullopt;
}

// The top level's per-period fields (cost_to_serve, discount_rate,
// expansion, horizon) restated in the period `to`, for a segment on another
// period; `who` names what is restated in the error ("a segment per year").
result<scenario_input> restated(scenario_input top, period to, std::string_view who) {
  const period from = top.period.value_or(period::month);
  if (from == to) return top;
  const bool up = to == period::year;  // per month → per year
  const double factor = up ? months_per_year : 1.0 / months_per_year;
  if (top.cost_to_serve) *top.cost_to_serve *= factor;
  if (top.discount_rate && *top.discount_rate >= 0)
    top.discount_rate = std::pow(1.0 + *top.discount_rate, factor) - 1.0;
  // Growth compounds as discounting does; resolve refuses one <= −100 %.
  if (top.expansion && *top.expansion > -1)
    top.expansion = std::pow(1.0 + *top.expansion, factor) - 1.0;
  if (top.horizon) {
    // A count of periods: fewer, longer periods going up.
    const double h = *top.horizon / factor;
    if (std::floor(h) != h)
      return error{"horizon", std::string(who) + " needs a horizon of whole years, got " +
                                  format_shortest(*top.horizon) + " months (a multiple of 12)"};
    top.horizon = h;
  }
  top.period = to;
  return top;
}

double months_in(period p) {
  return p == period::year ? months_per_year : 1.0;
}

// An evaluated segment: its input and result, and both in months.
segment_result evaluated_segment(std::string name, double weight, billing bill,
                                 const scenario& input, const ltv_result& result) {
  segment_result r;
  r.name = std::move(name);
  r.weight = weight;
  r.bill = bill;
  r.input = input;
  r.result = result;
  r.margin_per_month = r.result.margin_per_period / months_in(r.input.period);
  if (r.result.cac_payback)
    r.cac_payback_months = *r.result.cac_payback * months_in(r.input.period);
  return r;
}

bool is_finite(const blended_result& b) {
  return std::isfinite(b.ltv) && std::isfinite(b.margin_per_month) &&
         (!b.cac || std::isfinite(*b.cac)) &&
         (!b.ltv_cac_ratio || std::isfinite(*b.ltv_cac_ratio)) &&
         (!b.cac_payback_months || std::isfinite(*b.cac_payback_months));
}

std::optional<error> check_share(double annual_share) {
  if (annual_share >= 0 && annual_share <= 1) return std::nullopt;
  return error{"annual_share",
               "annual_share must be in [0, 1], got " + format_shortest(annual_share)};
}

}  // namespace

result<std::vector<double>> segment_weights(const std::vector<segment_input>& segments) {
  if (segments.empty())
    return error{"segments", "segments must list at least one segment, got an empty list"};
  const bool counts = segments.front().customers.has_value();
  double total = 0;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const segment_input& s = segments[i];
    if (s.name.empty()) return about(s, i, "name", "name is missing");
    for (std::size_t j = 0; j < i; ++j)
      if (segments[j].name == s.name) return about(s, i, "name", "duplicate segment name");
    if (!s.customers && !s.share)
      return about(s, i, "share", "missing weight: give customers (a count) or share (0..1)");
    if (s.customers && s.share) return about(s, i, "share", "give customers or share, not both");
    if (s.customers.has_value() != counts)
      return about(s, i, counts ? "customers" : "share",
                   "give every segment customers or every segment a share, not a mix");
    const double w = counts ? *s.customers : *s.share;
    if (counts && !(w >= 0 && std::isfinite(w)))
      return about(s, i, "customers", "customers must be >= 0, got " + format_shortest(w));
    if (!counts && !(w >= 0 && w <= 1))
      return about(s, i, "share", "share must be in [0, 1], got " + format_shortest(w));
    total += w;
  }
  if (!std::isfinite(total)) return error{"customers", "the total of customers is too large"};
  if (counts && total <= 0)
    return error{"customers", "segments have 0 customers in total: give at least one customer"};
  if (!counts && std::fabs(total - 1.0) > share_tolerance) {
    std::string terms;
    for (const auto& s : segments)
      terms += (terms.empty() ? "" : " + ") + s.name + " " + format_shortest(*s.share);
    // Rounded to 12 places: 0.7 + 0.2 reads 0.9, not 0.8999999999999999.
    const double shown = std::round(total * 1e12) / 1e12;
    return error{"share", "segment shares must sum to 1, got " + format_shortest(shown) + " (" +
                              terms + ")"};
  }
  std::vector<double> weights;
  weights.reserve(segments.size());
  for (const auto& s : segments) weights.push_back(counts ? *s.customers / total : *s.share);
  return weights;
}

result<scenario_input> segment_scenario(const scenario_input& top, const segment_input& s) {
  if (auto e = check_annual_plan(s, 0)) return *std::move(e);
  if (s.bill == billing::per_period) {
    if (!s.fields.period || *s.fields.period == top.period.value_or(period::month))
      return with_overrides(top, s.fields);
    // Another period than the top level's: amounts per period cannot be
    // inherited as they are, so the segment gives its own value and lifetime.
    if (!s.fields.has_value_source() || !s.fields.has_lifetime_source())
      return about(s, 0, s.fields.has_value_source() ? "churn" : "arpu",
                   "a segment on another period than the top level's must give its own value "
                   "(arpu, value or aov with purchase_frequency) and lifetime (lifetime or churn)");
    auto base = restated(top, *s.fields.period, "a segment per year");
    if (!base) return about(s, 0, base.error().field, base.error().message);
    return with_overrides(*base, s.fields);
  }

  if (s.fields.has_value_source() || s.fields.has_lifetime_source())
    return about(s, 0, s.fields.has_value_source() ? "annual_price" : "annual_churn",
                 "billing annual takes annual_price and annual_churn, not the monthly inputs "
                 "(arpu, value, aov, lifetime, contract_length, churn)");
  if (s.fields.period == period::month)
    return about(s, 0, "period", "billing annual is computed per year: drop period \"month\"");
  if (!s.annual_price)
    return about(s, 0, "annual_price", "billing annual needs annual_price (the price of a year)");
  if (!s.annual_churn)
    return about(s, 0, "annual_churn",
                 "billing annual needs annual_churn (the share of annual customers who do not "
                 "renew)");
  auto base = restated(top, period::year, "a segment per year");
  if (!base) return about(s, 0, base.error().field, base.error().message);
  return with_overrides(with_overrides(*base, s.fields),
                        annual_sources(s.annual_price, s.annual_churn));
}

blended_result blend(const std::vector<segment_result>& segments, double target) {
  blended_result b;
  b.target = target;
  bool all_cac = true, all_counts = true;
  double cac = 0, customers = 0;
  for (const auto& s : segments) {
    b.ltv += s.weight * s.result.ltv;
    b.value_per_month += s.weight * s.input.value / months_in(s.input.period);
    b.margin_per_month += s.weight * s.margin_per_month;
    if (s.input.cac)
      cac += s.weight * *s.input.cac;
    else
      all_cac = false;
    if (s.customers)
      customers += *s.customers;
    else
      all_counts = false;
  }
  if (all_counts) b.customers = customers;
  if (!all_cac) return b;
  b.cac = cac;
  b.net_value = b.ltv - cac;
  if (cac > 0) {
    b.ltv_cac_ratio = b.ltv / cac;
    b.meets_target = meets_target(*b.ltv_cac_ratio, target);
    b.required_ltv = required_ltv(target, cac);
    if (b.ltv > 0) b.max_cac = max_cac(b.ltv, target);
  }
  if (b.margin_per_month > 0)
    b.cac_payback_months = cac / b.margin_per_month;
  else
    b.payback_undefined = true;
  return b;
}

result<segmented_result> evaluate_segments(const scenario_input& top,
                                           const std::vector<segment_input>& segments,
                                           bool for_check) {
  auto weights = segment_weights(segments);
  if (!weights) return std::move(weights).error();
  segmented_result out;
  out.segments.reserve(segments.size());
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const segment_input& in = segments[i];
    auto prefixed = [&](error e) { return about(in, i, std::move(e.field), e.message); };
    auto merged = segment_scenario(top, in);
    if (!merged) return merged.error();  // already names the segment
    auto resolved = resolve(*merged);
    if (!resolved) return prefixed(std::move(resolved).error());
    if (for_check && !resolved->cac)
      return about(in, i, "cac", "check needs cac (customer acquisition cost)");
    auto evaluated = evaluate(*resolved);
    if (!evaluated) return prefixed(std::move(evaluated).error());

    segment_result r = evaluated_segment(in.name, (*weights)[i], in.bill, *resolved, *evaluated);
    r.customers = in.customers;
    if (r.cac_payback_months && !std::isfinite(*r.cac_payback_months))
      return about(in, i, "cac", "cac_payback in months is too large to represent as a number");
    out.segments.push_back(std::move(r));
  }
  const double target = top.target.value_or(default_target);
  if (!(target > 0)) return error{"target", "target must be > 0, got " + format_shortest(target)};
  out.blended = blend(out.segments, target);
  const blended_result& b = out.blended;
  if (!is_finite(b))
    return error{"segments", "the blended result is too large to represent as a number"};
  if (for_check && !(b.cac && *b.cac > 0))
    return error{"cac",
                 "check needs a blended cac above 0, got " + format_shortest(b.cac.value_or(0))};
  return out;
}

result<annual_shift_result> shift_to_annual(const scenario_input& top,
                                            const std::vector<segment_input>& segments,
                                            const segmented_result& before, double annual_share,
                                            bool for_check) {
  if (auto e = check_share(annual_share)) return *std::move(e);
  std::vector<segment_input> moved;
  std::vector<annual_shift_result::moved_segment> copies;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const segment_input& s = segments[i];
    const segment_result& r = before.segments.at(i);
    const bool monthly = s.bill == billing::per_period && r.input.period == period::month;
    if (!monthly) {
      moved.push_back(s);
      continue;
    }
    if (!s.annual_price)
      return about(s, i, "annual_price",
                   "a move to annual billing needs this tier's annual plan: give annual_price "
                   "and annual_churn");
    const std::optional<double> derived =
        s.annual_churn ? std::nullopt : derived_annual_churn(r.input);
    if (!s.annual_churn && !derived)
      return about(s, i, "annual_churn",
                   "a move to annual billing needs this tier's annual_churn: give it, or a "
                   "monthly churn above 0 to derive it from (1 − (1 − c)^12)");
    segment_input stay = s, go = s;
    if (derived) go.annual_churn = derived;
    go.name = s.name + " (annual)";
    go.bill = billing::annual;
    // The annual copy keeps the segment's other fields (cac, margin …) but not
    // its monthly value and lifetime sources: laying sources over them drops
    // both groups, then the placeholders go too.
    go.fields = with_overrides(s.fields, annual_sources(go.annual_price, go.annual_churn));
    go.fields.arpu.reset();
    go.fields.churn.reset();
    go.fields.period.reset();
    if (s.customers) {
      stay.customers = *s.customers * (1 - annual_share);
      go.customers = *s.customers * annual_share;
    } else {
      stay.share = r.weight * (1 - annual_share);
      go.share = r.weight * annual_share;
    }
    moved.push_back(std::move(stay));
    copies.push_back(
        {s.name, moved.size(), derived ? std::optional<double>(r.input.churn) : std::nullopt});
    moved.push_back(std::move(go));
  }
  if (copies.empty())
    return error{"annual_share",
                 "annual_share: no segment is billed monthly, so there is no one to move"};
  auto after = evaluate_segments(top, moved, for_check);
  if (!after) return std::move(after).error();
  annual_shift_result out;
  out.annual_share = annual_share;
  out.ltv_change = after->blended.ltv - before.blended.ltv;
  out.after = *std::move(after);
  out.moved = std::move(copies);
  return out;
}

std::optional<double> derived_annual_churn(const scenario& monthly) noexcept {
  if (monthly.period != period::month || monthly.lifetime_from != lifetime_basis::churn ||
      !(monthly.churn > 0))
    return std::nullopt;
  return annual_churn_from_monthly(monthly.churn);
}

namespace {

// `plan` with its annual_churn derived from `monthly`'s churn when it gives
// an annual_price alone.
annual_plan_input with_derived_churn(annual_plan_input plan, const scenario& monthly) {
  if (plan.annual_price && !plan.annual_churn) plan.annual_churn = derived_annual_churn(monthly);
  return plan;
}

}  // namespace

std::optional<error> validate_annual_plan(const annual_plan_input& plan, const scenario& monthly) {
  if (plan.empty()) return std::nullopt;
  const annual_plan_input filled = with_derived_churn(plan, monthly);
  if (!filled.annual_churn)
    return error{"annual_churn",
                 "annual_price needs annual_churn (the share of annual customers who do not "
                 "renew), or a monthly churn above 0 to derive it from: the annual plan takes "
                 "both"};
  if (!filled.annual_price)
    return error{"annual_price",
                 "annual_churn needs annual_price (the price of a year): the annual plan takes "
                 "both"};
  if (!(*filled.annual_price > 0 && std::isfinite(*filled.annual_price)))
    return error{"annual_price",
                 "annual_price must be > 0, got " + format_shortest(*filled.annual_price)};
  if (!(*filled.annual_churn > 0 && *filled.annual_churn <= 1))
    return error{"annual_churn", "annual_churn must be in (0, 1], got " +
                                     format_shortest(*filled.annual_churn) +
                                     percent_hint(*filled.annual_churn)};
  if (monthly.period != period::month)
    return error{"annual_price",
                 "annual_price and annual_churn are the annual plan that a monthly plan's "
                 "customers can move to, but this plan is per year: drop them, or give the "
                 "monthly plan"};
  return std::nullopt;
}

result<plan_shift_result> shift_plan_to_annual(const scenario& today,
                                               const ltv_result& today_result,
                                               const annual_plan_input& plan, double annual_share) {
  if (auto e = check_share(annual_share)) return *std::move(e);
  const annual_plan_input filled = with_derived_churn(plan, today);
  if (plan.empty())
    return error{"annual_share",
                 "annual_share: a plan without segments moves its customers to its annual plan: "
                 "give annual_price and annual_churn (or segments with theirs)"};
  if (auto e = validate_annual_plan(plan, today)) return *std::move(e);
  // The annual plan is the plan's annual segment: every input but the value
  // and the lifetime inherited, restated per year.
  auto yearly = restated(as_input(today), period::year, "the annual plan (per year)");
  if (!yearly) return std::move(yearly).error();
  const scenario_input annual_input =
      with_overrides(*yearly, annual_sources(filled.annual_price, filled.annual_churn));
  auto prefixed = [](error e) {
    e.message = "the annual plan: " + e.message;
    return e;
  };
  auto resolved = resolve(annual_input);
  if (!resolved) return prefixed(std::move(resolved).error());
  auto evaluated = evaluate(*resolved);
  if (!evaluated) return prefixed(std::move(evaluated).error());

  plan_shift_result out;
  out.annual_share = annual_share;
  out.annual_input = *resolved;
  out.annual = *evaluated;
  out.after =
      blend({evaluated_segment("", 1 - annual_share, billing::per_period, today, today_result),
             evaluated_segment("", annual_share, billing::annual, *resolved, *evaluated)},
            today.target);
  if (!is_finite(out.after))
    return error{"annual_share", "the blend after the move is too large to represent as a number"};
  out.ltv_change = out.after.ltv - today_result.ltv;
  if (!plan.annual_churn) out.annual_churn_derived_from = today.churn;
  return out;
}

std::vector<segment_input> with_annual_plan(std::vector<segment_input> segments,
                                            const annual_plan_input& top) {
  for (segment_input& s : segments) {
    if (!s.annual_price) s.annual_price = top.annual_price;
    if (!s.annual_churn) s.annual_churn = top.annual_churn;
  }
  return segments;
}

std::optional<double>* segment_number_field(segment_input& segment, std::string_view key,
                                            number_style& style) {
  style = number_style::plain;
  if (key == "customers") return &segment.customers;
  if (key == "annual_price") return &segment.annual_price;
  if (key == "share" || key == "annual_churn") {
    style = number_style::rate;
    return key == "share" ? &segment.share : &segment.annual_churn;
  }
  const scenario_field* field = find_scenario_field(key);
  if (!field || !field->member) return nullptr;  // unknown, id or period
  style = field->style();
  return &(segment.fields.*(field->member));
}

result<bool> set_segment_word(segment_input& segment, std::string_view key, std::string_view text) {
  if (key == "billing") {
    if (text == "monthly") {
      segment.bill = billing::per_period;
    } else if (text == "annual") {
      segment.bill = billing::annual;
    } else {
      return error{"billing",
                   "billing must be \"monthly\" or \"annual\", got \"" + printable(text) + "\""};
    }
    return true;
  }
  if (key == "period") {
    auto p = parse_period("period", text);
    if (!p) return std::move(p).error();
    segment.fields.period = *p;
    return true;
  }
  return false;
}

}  // namespace cltv
