#include "cltv/scenario.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "cltv/formulas.hpp"
#include "cltv/number.hpp"
#include "cltv/scenario_fields.hpp"

namespace cltv {
namespace {

error invalid(std::string_view field, std::string_view requirement, double got) {
  return {std::string(field), std::string(field) + " must be " + std::string(requirement) +
                                  ", got " + format_shortest(got)};
}

// A share above 1 and up to 100 is most likely a percentage typed without
// its sign (--churn 3.5 for 3.5 %): the message names the form that says so.
error invalid_rate(std::string_view field, std::string_view range, double v) {
  error e = invalid(field, range, v);
  e.message += percent_hint(v);
  return e;
}

std::optional<error> check_non_negative(std::string_view field, const std::optional<double>& v) {
  if (v && !(*v >= 0)) return invalid(field, ">= 0", *v);
  return std::nullopt;
}

std::optional<error> check_positive(std::string_view field, const std::optional<double>& v) {
  if (v && !(*v > 0)) return invalid(field, "> 0", *v);
  return std::nullopt;
}

// The fields of one source group that a user gave (at most four); a fixed
// array, since this runs once per record of a million-record batch.
struct given_names {
  std::array<std::string_view, 4> names{};
  std::size_t count = 0;
  void add(std::string_view name) { names[count++] = name; }
  // "lifetime and churn", "arpu, value and aov"
  [[nodiscard]] std::string joined() const {
    std::string out;
    for (std::size_t i = 0; i < count; ++i) {
      if (i > 0) out += i + 1 == count ? " and " : ", ";
      out += names[i];
    }
    return out;
  }
};

std::optional<error> check_ranges(const scenario_input& in) {
  for (auto [field, v] : {std::pair{"arpu", in.arpu},
                          {"value", in.value},
                          {"aov", in.aov},
                          {"purchase_frequency", in.purchase_frequency},
                          {"cost_to_serve", in.cost_to_serve},
                          {"cac", in.cac},
                          {"discount_rate", in.discount_rate}}) {
    if (auto e = check_non_negative(field, v)) return e;
  }
  for (auto [field, v] : {std::pair{"lifetime", in.lifetime},
                          {"contract_length", in.contract_length},
                          {"target", in.target},
                          {"max_payback", in.max_payback}}) {
    if (auto e = check_positive(field, v)) return e;
  }
  if (in.churn && !(*in.churn >= 0 && *in.churn <= 1))
    return invalid_rate("churn", "in [0, 1]", *in.churn);
  if (in.gross_margin && !(*in.gross_margin > 0 && *in.gross_margin <= 1))
    return invalid_rate("gross_margin", "in (0, 1]", *in.gross_margin);
  if (in.horizon) {
    const double h = *in.horizon;
    if (!(h >= 1 && h <= max_horizon && std::floor(h) == h))
      return invalid("horizon", "a whole number of periods in [1, 10000]", h);
  }
  if (in.expansion && !(*in.expansion > -1))
    return invalid("expansion", "> -1 (-100%: revenue cannot shrink below zero)", *in.expansion);
  // Counts above 2^53 would not be whole numbers a double can hold exactly.
  constexpr double max_count = 9007199254740992.0;
  if (in.customers_start) {
    const double n = *in.customers_start;
    if (!(n >= 1 && n <= max_count && std::floor(n) == n))
      return invalid("customers_start", "a whole number of customers > 0", n);
  }
  if (in.customers_lost) {
    const double k = *in.customers_lost;
    if (!(k >= 0 && k <= max_count && std::floor(k) == k))
      return invalid("customers_lost", "a whole number of customers >= 0", k);
    if (in.customers_start && k > *in.customers_start)
      return error{"customers_lost", "customers_lost must be <= customers_start (" +
                                         format_shortest(*in.customers_start) + "), got " +
                                         format_shortest(k)};
  }
  if (in.confidence && !(*in.confidence > 0 && *in.confidence < 1))
    return invalid_rate("confidence", "a level in (0, 1) such as 95%", *in.confidence);
  return std::nullopt;
}

std::optional<error> resolve_value(const scenario_input& in, scenario& out) {
  given_names given;
  if (in.arpu) given.add("arpu");
  if (in.value) given.add("value");
  if (in.aov || in.purchase_frequency) given.add(in.aov ? "aov" : "purchase_frequency");
  if (given.count > 1)
    return error{std::string(given.names[1]),
                 "give only one of arpu, value, or aov with purchase_frequency (got " +
                     given.joined() + ")"};
  if (given.count == 0)
    return error{"arpu",
                 "missing value per period: give arpu, value, or aov with purchase_frequency"};
  if (in.aov && !in.purchase_frequency)
    return error{"purchase_frequency", "aov needs purchase_frequency (purchases per period)"};
  if (in.purchase_frequency && !in.aov)
    return error{"aov", "purchase_frequency needs aov (average order value)"};
  if (in.aov) {
    out.value_from = value_basis::orders;
    out.aov = *in.aov;
    out.purchase_frequency = *in.purchase_frequency;
    out.value = value_from_orders(out.aov, out.purchase_frequency);
    if (!std::isfinite(out.value))
      return error{"aov", "aov × purchase_frequency is too large to represent (" +
                              format_shortest(out.aov) + " × " +
                              format_shortest(out.purchase_frequency) + ")"};
  } else {
    out.value_from = value_basis::arpu;
    out.value = in.arpu ? *in.arpu : *in.value;
  }
  return std::nullopt;
}

std::optional<error> resolve_lifetime(const scenario_input& in, scenario& out) {
  given_names given;
  if (in.lifetime) given.add("lifetime");
  if (in.contract_length) given.add("contract_length");
  if (in.churn) given.add("churn");
  if (in.customers_start || in.customers_lost)
    given.add(in.customers_start ? "customers_start" : "customers_lost");
  if (in.sbg_alpha || in.sbg_beta) given.add(in.sbg_alpha ? "sbg_alpha" : "sbg_beta");
  if (given.count > 1)
    return error{std::string(given.names[1]),
                 "give only one of lifetime, contract_length, churn, customers_start with "
                 "customers_lost, or sbg_alpha with sbg_beta (got " +
                     given.joined() + ")"};
  if (given.count == 0)
    return error{"churn",
                 "missing lifetime: give lifetime, contract_length, churn, customers_start "
                 "with customers_lost, or sbg_alpha with sbg_beta"};
  if (in.sbg_alpha || in.sbg_beta) {
    if (!in.sbg_beta) return error{"sbg_beta", "sbg_alpha needs sbg_beta (the sBG curve's beta)"};
    if (!in.sbg_alpha)
      return error{"sbg_alpha", "sbg_beta needs sbg_alpha (the sBG curve's alpha)"};
    if (!(*in.sbg_alpha > 0)) return invalid("sbg_alpha", "> 0", *in.sbg_alpha);
    if (!(*in.sbg_beta > 0)) return invalid("sbg_beta", "> 0", *in.sbg_beta);
    out.lifetime_from = lifetime_basis::sbg;
    out.sbg_alpha = *in.sbg_alpha;
    out.sbg_beta = *in.sbg_beta;
  }
  if (in.customers_start && !in.customers_lost)
    return error{"customers_lost", "customers_start needs customers_lost (customers who left)"};
  if (in.customers_lost && !in.customers_start)
    return error{"customers_start",
                 "customers_lost needs customers_start (customers at the period's start)"};
  if (in.confidence && !in.customers_start)
    return error{"confidence",
                 "confidence needs churn as counts (customers_start and customers_lost): a "
                 "churn rate alone has no sample size"};
  if (out.lifetime_from == lifetime_basis::sbg) {
    // set above
  } else if (in.customers_start) {
    out.lifetime_from = lifetime_basis::churn;
    out.counts = churn_counts{*in.customers_start, *in.customers_lost};
    out.churn = out.counts->lost / out.counts->start;
    out.confidence = in.confidence;
  } else if (in.churn) {
    out.lifetime_from = lifetime_basis::churn;
    out.churn = *in.churn;
  } else {
    out.lifetime_from = lifetime_basis::fixed;
    out.lifetime = in.lifetime ? *in.lifetime : *in.contract_length;
  }
  return std::nullopt;
}

}  // namespace

std::optional<error> out_of_range(const scenario_input& input) {
  return check_ranges(input);
}

bool expansion_diverges(double churn, double discount_rate, double expansion) noexcept {
  if (expansion == 0) return churn + discount_rate == 0;
  // log q within rounding of 0 counts as q = 1: the closed form 1 / (1 − q)
  // would otherwise turn a rounding error into a 1e16-period LTV.
  return std::log1p(expansion) + std::log1p(-churn) - std::log1p(discount_rate) >= -1e-12;
}

namespace {

// The first field of `group`, in table order, that `in` gives as a source
// (confidence gives none); nullptr if there is none.
const scenario_field* first_source(const scenario_input& in, source_group group) noexcept {
  const auto* it =
      std::find_if(scenario_fields.begin(), scenario_fields.end(), [&](const scenario_field& f) {
        return f.group == group && f.gives_source && is_given(in, f);
      });
  return it == scenario_fields.end() ? nullptr : it;
}

// Drops from `in` the fields of scenario_fields[I]'s group that are not of
// its source (unrolled, as with_overrides runs once per record of a batch).
template <std::size_t I>
void drop_other_sources(scenario_input& in) {
  for_each_scenario_field([&in](auto j) {
    constexpr const scenario_field& other = scenario_fields[j];
    if constexpr (other.group == scenario_fields[I].group &&
                  other.source != scenario_fields[I].source)
      in.*other.member = std::nullopt;
  });
}

}  // namespace

bool scenario_input::empty() const noexcept {
  return std::none_of(scenario_fields.begin(), scenario_fields.end(),
                      [this](const scenario_field& f) { return is_given(*this, f); });
}

bool scenario_input::has_value_source() const noexcept {
  return first_source(*this, source_group::value) != nullptr;
}

bool scenario_input::has_lifetime_source() const noexcept {
  return first_source(*this, source_group::lifetime) != nullptr;
}

scenario_input with_overrides(scenario_input base, const scenario_input& overrides) {
  // The source of a group the overrides give drops the base's other sources
  // of that group; the fields of its own source stay (--aov 70 over {"aov":
  // 60, "purchase_frequency": 2} keeps the purchase_frequency). Overrides
  // that give two sources of a group conflict, and resolve will say so; the
  // first of them in the table decides what the base keeps.
  unsigned decided_groups = 0;  // bit g: group g's first source has decided
  for_each_scenario_field([&](auto i) {
    constexpr const scenario_field& given = scenario_fields[i];
    if constexpr (given.group != source_group::none && given.gives_source) {
      const unsigned group_bit = 1U << static_cast<unsigned>(given.group);
      if (!(overrides.*given.member) || (decided_groups & group_bit) != 0) return;
      decided_groups |= group_bit;
      drop_other_sources<i>(base);
    }
  });
  for_each_scenario_field([&](auto i) {
    constexpr const scenario_field& field = scenario_fields[i];
    if constexpr (field.member != nullptr) {
      if (overrides.*field.member) base.*field.member = overrides.*field.member;
    } else if (overrides.period) {
      base.period = overrides.period;
    }
  });
  return base;
}

scenario_input as_input(const scenario& s) {
  scenario_input in;
  in.period = s.period;
  if (s.value_from == value_basis::orders) {
    in.aov = s.aov;
    in.purchase_frequency = s.purchase_frequency;
  } else {
    in.arpu = s.value;
  }
  if (s.lifetime_from == lifetime_basis::fixed) {
    in.lifetime = s.lifetime;
  } else if (s.lifetime_from == lifetime_basis::sbg) {
    in.sbg_alpha = s.sbg_alpha;
    in.sbg_beta = s.sbg_beta;
  } else if (s.counts) {
    in.customers_start = s.counts->start;
    in.customers_lost = s.counts->lost;
    in.confidence = s.confidence;
  } else {
    in.churn = s.churn;
  }
  if (s.expansion != 0) in.expansion = s.expansion;
  in.gross_margin = s.gross_margin;
  in.cost_to_serve = s.cost_to_serve;
  in.cac = s.cac;
  in.discount_rate = s.discount_rate;
  if (s.horizon) in.horizon = *s.horizon;
  in.target = s.target;
  in.max_payback = s.max_payback;
  return in;
}

result<scenario> resolve(const scenario_input& in) {
  if (auto e = check_ranges(in)) return *std::move(e);
  scenario out;
  if (auto e = resolve_value(in, out)) return *std::move(e);
  if (auto e = resolve_lifetime(in, out)) return *std::move(e);
  out.period = in.period.value_or(period::month);
  out.gross_margin = in.gross_margin.value_or(1.0);
  out.cost_to_serve = in.cost_to_serve.value_or(0.0);
  out.discount_rate = in.discount_rate.value_or(0.0);
  out.target = in.target.value_or(default_target);
  out.cac = in.cac;
  if (in.horizon) out.horizon = static_cast<int>(*in.horizon);
  if (in.max_payback && !in.cac)
    return error{"max_payback", "max_payback " + format_shortest(*in.max_payback) +
                                    " needs cac: the payback rule limits CAC / margin per period"};
  out.max_payback = in.max_payback;

  // Without a horizon or a discount rate the sum of payments is bounded only by
  // churn itself: refuse churn 0 (infinite) and absurdly long lifetimes.
  const bool bounded = out.horizon || out.discount_rate > 0;
  // Errors about churn from counts name the count that set it (built only
  // on the error paths: resolve runs once per record of a batch).
  const char* churn_field = out.counts ? "customers_lost" : "churn";
  auto churn_text = [&out] {
    return out.counts ? "churn " + format_shortest(out.counts->lost) + " / " +
                            format_shortest(out.counts->start) + " = " + format_shortest(out.churn)
                      : "churn " + format_shortest(out.churn);
  };
  if (out.lifetime_from == lifetime_basis::churn && !bounded) {
    if (out.churn == 0)
      return error{churn_field, (out.counts ? "customers_lost 0 gives churn 0, which" : "churn 0") +
                                    std::string(" means customers never leave: give a horizon "
                                                "or a discount rate")};
    if (1.0 / out.churn > max_undiscounted_lifetime)
      return error{churn_field, churn_text() + " implies a lifetime of " +
                                    format_shortest(1.0 / out.churn) + " " +
                                    std::string(plural(out.period)) +
                                    " (over 10000): give a horizon or a discount rate"};
  }
  // An sBG curve with α ≤ 1 has an unbounded expected lifetime (Fader &
  // Hardie 2007; both of their published segments): only a horizon or a
  // discount rate makes the LTV finite.
  if (out.lifetime_from == lifetime_basis::sbg && !bounded && out.sbg_alpha <= 1)
    return error{"sbg_alpha", "sbg_alpha " + format_shortest(out.sbg_alpha) +
                                  " <= 1 means an unbounded expected lifetime (the sBG curve's "
                                  "churn falls too fast with tenure): give a horizon or a "
                                  "discount rate"};
  if (out.lifetime_from == lifetime_basis::sbg && !bounded &&
      1.0 + out.sbg_beta / (out.sbg_alpha - 1.0) > max_undiscounted_lifetime)
    return error{"sbg_alpha", "sbg_alpha " + format_shortest(out.sbg_alpha) + " and sbg_beta " +
                                  format_shortest(out.sbg_beta) +
                                  " imply an expected lifetime of " +
                                  format_shortest(1.0 + out.sbg_beta / (out.sbg_alpha - 1.0)) +
                                  " " + std::string(plural(out.period)) +
                                  " (over 10000): give a horizon or a discount rate"};
  out.expansion = in.expansion.value_or(0.0);
  if (out.lifetime_from == lifetime_basis::sbg && out.expansion != 0)
    return error{"expansion",
                 "expansion applies to a churn rate or a fixed lifetime, not to an "
                 "sBG retention curve"};
  // With churn and no horizon the payments form an infinite geometric series
  // of ratio q = (1 + g)(1 − c) / (1 + d): it has a sum only when q < 1.
  if (out.lifetime_from == lifetime_basis::churn && !out.horizon &&
      expansion_diverges(out.churn, out.discount_rate, out.expansion)) {
    const double grown = (1.0 + out.expansion) * (1.0 - out.churn);
    return error{"expansion", "expansion " + format_shortest(out.expansion) + " with " +
                                  churn_text() + " and discount_rate " +
                                  format_shortest(out.discount_rate) +
                                  " grows the revenue expected from a customer every " +
                                  std::string(to_string(out.period)) +
                                  " ((1 + g)(1 - c) = " + format_shortest(grown) +
                                  " >= 1 + d = " + format_shortest(1.0 + out.discount_rate) +
                                  "), so the LTV sum diverges: give a horizon"};
  }
  return out;
}

std::optional<error> validate_for_check(const scenario& s) {
  if (!s.cac) return error{"cac", "check needs cac (customer acquisition cost)"};
  if (!(*s.cac > 0)) return invalid("cac", "> 0 for check", *s.cac);
  return std::nullopt;
}

}  // namespace cltv
