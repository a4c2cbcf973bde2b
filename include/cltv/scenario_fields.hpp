#pragma once
// The fields of a scenario_input, listed once.
//
// Everything that names the inputs reads this table: the command-line flags
// (--churn …, in flag_position order), the JSON keys and the "inputs" echoed
// in a result (in table order), "did you mean" suggestions, grid's --vary
// names and groups, and with_overrides. Adding an input field is one row here
// plus its member in scenario_input: a row naming no member does not compile,
// and the static_asserts at the end refuse a member without a row, two rows
// with one name or member, and a gap in the flag positions.

#include <algorithm>
#include <array>
#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "cltv/number.hpp"
#include "cltv/scenario.hpp"

namespace cltv {

/// What a field's value is; a rate's text may be a percentage ("4%").
enum class field_kind {
  amount,    ///< money: arpu, cac, cost_to_serve
  rate,      ///< a share or a growth per period: 0.04 or "4%"
  count,     ///< a whole number: customers, the periods of a horizon
  duration,  ///< a number of periods, not necessarily whole: lifetime
  multiple,  ///< a ratio to meet: 3, "3x" or "3×" (the target)
  number,    ///< any other number: a frequency, a curve parameter
  period,    ///< "month" or "year": the one field that is not a number
};

/// The groups a scenario takes exactly one source of (see resolve).
enum class source_group {
  none,      ///< not an alternative to any other field
  value,     ///< value per period: arpu, value, or aov with purchase_frequency
  lifetime,  ///< lifetime, contract_length, churn, churn counts or an sBG curve
};

/// "value per period", "lifetime" ("" for none).
[[nodiscard]] std::string_view to_string(source_group group) noexcept;

/// One input of a scenario.
struct scenario_field {
  std::string_view name{};  ///< the JSON key; the flag is the name with dashes
  /// The member it sets; nullptr only for `period`, which is not a number.
  std::optional<double> scenario_input::*member = nullptr;
  field_kind kind = field_kind::number;
  source_group group = source_group::none;
  /// The source of its group this field is part of: the fields of one source
  /// are given together ("orders": aov with purchase_frequency), and giving
  /// one source of a group replaces the others (with_overrides). Empty
  /// outside a group.
  std::string_view source{};
  /// False for a field that belongs to a source but is not one by itself
  /// (confidence qualifies the churn counts; alone it gives no lifetime).
  bool gives_source = true;
  /// Where its flag is listed in --help and in grid's list of fields: the
  /// order the flags were added in, so a new field takes the next number.
  std::size_t flag_position = 0;
  std::string_view help{};  ///< the flag's help text

  /// How the field's text reads: a rate also takes a percentage.
  [[nodiscard]] constexpr number_style style() const noexcept {
    return kind == field_kind::rate       ? number_style::rate
           : kind == field_kind::multiple ? number_style::multiple
                                          : number_style::plain;
  }
};

/// Every input of a scenario, in the order JSON keys are documented and
/// echoed in.
inline constexpr auto scenario_fields = std::to_array<scenario_field>({
    {.name = "period",
     .kind = field_kind::period,
     .flag_position = 13,
     .help = "Period all rates and amounts refer to: month (default) or year"},
    {.name = "arpu",
     .member = &scenario_input::arpu,
     .kind = field_kind::amount,
     .group = source_group::value,
     .source = "arpu",
     .flag_position = 0,
     .help = "Average revenue per customer per period"},
    {.name = "value",
     .member = &scenario_input::value,
     .kind = field_kind::amount,
     .group = source_group::value,
     .source = "value",
     .flag_position = 1,
     .help = "Same as --arpu (value of a customer per period)"},
    {.name = "aov",
     .member = &scenario_input::aov,
     .kind = field_kind::amount,
     .group = source_group::value,
     .source = "orders",
     .flag_position = 2,
     .help = "Average order value (with --purchase-frequency, instead of --arpu)"},
    {.name = "purchase_frequency",
     .member = &scenario_input::purchase_frequency,
     .kind = field_kind::number,
     .group = source_group::value,
     .source = "orders",
     .flag_position = 3,
     .help = "Purchases per customer per period (with --aov)"},
    {.name = "lifetime",
     .member = &scenario_input::lifetime,
     .kind = field_kind::duration,
     .group = source_group::lifetime,
     .source = "lifetime",
     .flag_position = 4,
     .help = "Average customer lifetime in periods (instead of --churn)"},
    {.name = "contract_length",
     .member = &scenario_input::contract_length,
     .kind = field_kind::duration,
     .group = source_group::lifetime,
     .source = "contract_length",
     .flag_position = 5,
     .help = "Same as --lifetime (average contract length in periods)"},
    {.name = "churn",
     .member = &scenario_input::churn,
     .kind = field_kind::rate,
     .group = source_group::lifetime,
     .source = "churn",
     .flag_position = 6,
     .help = "Share of customers lost per period, 0.04 or 4% (lifetime = 1 / churn)"},
    {.name = "customers_start",
     .member = &scenario_input::customers_start,
     .kind = field_kind::count,
     .group = source_group::lifetime,
     .source = "counts",
     .flag_position = 15,
     .help = "Customers at the start of one period (with --customers-lost)"},
    {.name = "customers_lost",
     .member = &scenario_input::customers_lost,
     .kind = field_kind::count,
     .group = source_group::lifetime,
     .source = "counts",
     .flag_position = 16,
     .help = "Of those, customers lost during it: churn = lost / start (instead of --churn)"},
    {.name = "confidence",
     .member = &scenario_input::confidence,
     .kind = field_kind::rate,
     .group = source_group::lifetime,
     .source = "counts",
     .gives_source = false,
     .flag_position = 17,
     .help = "Confidence level of the churn interval from counts, e.g. 95% (check: whole "
             "interval)"},
    {.name = "sbg_alpha",
     .member = &scenario_input::sbg_alpha,
     .kind = field_kind::number,
     .group = source_group::lifetime,
     .source = "sbg",
     .flag_position = 18,
     .help = "Lifetime from an sBG retention curve (`cltv fit sbg`): its alpha (with --sbg-beta)"},
    {.name = "sbg_beta",
     .member = &scenario_input::sbg_beta,
     .kind = field_kind::number,
     .group = source_group::lifetime,
     .source = "sbg",
     .flag_position = 19,
     .help = "The sBG curve's beta (with --sbg-alpha; or both from --sbg-model)"},
    {.name = "expansion",
     .member = &scenario_input::expansion,
     .kind = field_kind::rate,
     .flag_position = 14,
     .help = "Growth per period of a retained customer's revenue, 0.01 or 1% (> -100%; default "
             "0)"},
    {.name = "gross_margin",
     .member = &scenario_input::gross_margin,
     .kind = field_kind::rate,
     .flag_position = 8,
     .help = "Gross margin on revenue, 0.8 or 80% (default 100%)"},
    {.name = "cost_to_serve",
     .member = &scenario_input::cost_to_serve,
     .kind = field_kind::amount,
     .flag_position = 9,
     .help = "Cost to serve a customer per period (default 0)"},
    {.name = "cac",
     .member = &scenario_input::cac,
     .kind = field_kind::amount,
     .flag_position = 7,
     .help = "Customer acquisition cost"},
    {.name = "discount_rate",
     .member = &scenario_input::discount_rate,
     .kind = field_kind::rate,
     .flag_position = 10,
     .help = "Discount rate per period, 0.01 or 1% (default 0)"},
    {.name = "horizon",
     .member = &scenario_input::horizon,
     .kind = field_kind::count,
     .flag_position = 11,
     .help = "Count at most this many periods (whole number, 1..10000)"},
    {.name = "target",
     .member = &scenario_input::target,
     .kind = field_kind::multiple,
     .flag_position = 12,
     .help = "LTV:CAC ratio to meet: 3, 3x or 3× (default 3)"},
    {.name = "max_payback",
     .member = &scenario_input::max_payback,
     .kind = field_kind::duration,
     .flag_position = 20,
     .help = "Payback rule: CAC / margin per period may take at most this many periods (needs "
             "--cac)"},
});

/// The fields in the order of their flags (flag_position): entry i is the
/// field whose flag_position is i.
inline constexpr std::array<const scenario_field*, scenario_fields.size()> scenario_flag_order =
    [] {
      std::array<const scenario_field*, scenario_fields.size()> order{};
      for (const scenario_field& f : scenario_fields)
        if (f.flag_position < order.size()) order[f.flag_position] = &f;
      return order;
    }();

/// The field whose JSON key is `name` ("gross_margin"), or nullptr.
/// (Inline: it runs for every key of every record of a batch.)
///
/// Example: find_scenario_field("churn")->style() == cltv::number_style::rate
[[nodiscard]] constexpr const scenario_field* find_scenario_field(std::string_view name) noexcept {
  const auto* it = std::find_if(scenario_fields.begin(), scenario_fields.end(),
                                [name](const scenario_field& f) { return f.name == name; });
  return it == scenario_fields.end() ? nullptr : it;
}

/// The name a mistyped key most likely meant: a field (or one of `others`,
/// the other keys of a record, looked at first) within two edits ("chrun" →
/// "churn"), or whose name is inside the key ("churn_rate" → "churn"); empty
/// when none is that close.
///
/// Example: closest_field_name("gros_margin", {"id"}) == "gross_margin"
[[nodiscard]] std::string_view closest_field_name(std::string_view key,
                                                  std::initializer_list<std::string_view> others);

/// Its command-line flag: "--gross-margin" for gross_margin.
[[nodiscard]] std::string flag_spelling(const scenario_field& field);

/// Whether `input` gives `field`.
[[nodiscard]] constexpr bool is_given(const scenario_input& input,
                                      const scenario_field& field) noexcept {
  return field.member ? (input.*field.member).has_value() : input.period.has_value();
}

/// Calls `visit(index)` for each row of scenario_fields, in table order,
/// where `index` is a std::integral_constant: `scenario_fields[index]` is a
/// constant expression, so each call compiles to code for its own member.
/// For the loops that run once per record of a batch (with_overrides, the
/// JSON "inputs" of a result); elsewhere a plain loop over the table reads
/// better.
///
/// Example:
///   int given = 0;
///   cltv::for_each_scenario_field([&](auto i) {
///     if constexpr (cltv::scenario_fields[i].member != nullptr)
///       given += (input.*cltv::scenario_fields[i].member).has_value();
///   });
template <class Visit>
constexpr void for_each_scenario_field(Visit&& visit);

/// Whether `a` and `b` give different sources of one group (arpu and value;
/// churn and customers_start), so that a scenario cannot take both. Fields of
/// one source (aov and purchase_frequency), and confidence, which gives no
/// source, are not alternatives.
[[nodiscard]] constexpr bool are_alternatives(const scenario_field& a,
                                              const scenario_field& b) noexcept {
  return a.group != source_group::none && a.group == b.group && a.gives_source && b.gives_source &&
         a.source != b.source;
}

namespace detail {

// The number of members of the aggregate T: the most initializers T{…}
// takes. (`any_value` converts to anything but an optional, so that an
// optional member is built from the value rather than ambiguously.)
template <class T>
inline constexpr bool is_optional = false;
template <class T>
inline constexpr bool is_optional<std::optional<T>> = true;
struct any_value {
  template <class T>
  requires(!is_optional<T>) operator T() const;  // declared, never called
};
template <class T, class... Given>
consteval std::size_t member_count() {
  if constexpr (requires { T{Given{}..., any_value{}}; })
    return member_count<T, Given..., any_value>();
  else
    return sizeof...(Given);
}

consteval bool names_are_unique() {
  for (std::size_t i = 0; i < scenario_fields.size(); ++i)
    for (std::size_t j = i + 1; j < scenario_fields.size(); ++j)
      if (scenario_fields[i].name == scenario_fields[j].name ||
          (scenario_fields[i].member && scenario_fields[i].member == scenario_fields[j].member))
        return false;
  return true;
}

consteval bool rows_are_complete() {
  return std::all_of(scenario_fields.begin(), scenario_fields.end(), [](const scenario_field& f) {
    return !f.name.empty() && !f.help.empty() &&
           (f.member == nullptr) == (f.kind == field_kind::period) &&
           f.source.empty() == (f.group == source_group::none);
  });
}

// By index, not through scenario_flag_order's pointers: GCC 12 cannot compare
// a pointer to a global with nullptr in a constant expression under UBSan.
consteval bool flag_positions_are_a_permutation() {
  for (std::size_t position = 0; position < scenario_fields.size(); ++position) {
    std::size_t rows = 0;
    for (const scenario_field& f : scenario_fields)
      if (f.flag_position == position) ++rows;
    if (rows != 1) return false;
  }
  return true;
}

template <class Visit, std::size_t... I>
constexpr void visit_fields(Visit& visit, std::index_sequence<I...> /*rows*/) {
  (visit(std::integral_constant<std::size_t, I>{}), ...);
}

}  // namespace detail

template <class Visit>
constexpr void for_each_scenario_field(Visit&& visit) {
  detail::visit_fields(visit, std::make_index_sequence<scenario_fields.size()>{});
}

static_assert(detail::member_count<scenario_input>() == scenario_fields.size(),
              "every member of scenario_input needs its row in scenario_fields");
static_assert(detail::names_are_unique(), "two rows of scenario_fields share a name or a member");
static_assert(detail::rows_are_complete(),
              "a row of scenario_fields lacks its name, help, member (only period has none) or "
              "source (exactly the fields of a group have one)");
static_assert(detail::flag_positions_are_a_permutation(),
              "the flag_positions of scenario_fields must be 0, 1, … with none twice");

}  // namespace cltv
