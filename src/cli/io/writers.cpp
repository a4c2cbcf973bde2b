#include "io/writers.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <functional>
#include <vector>

#include "cltv/conventions.hpp"
#include "cltv/formulas.hpp"
#include "cltv/number.hpp"
#include "cltv/scenario_fields.hpp"
#include "io/text.hpp"

namespace cltv::cli {

std::string times(double ratio) {
  return trimmed_number(ratio, 4) + "×";
}

std::string ratio_text(double ratio, double target, bool meets) {
  for (int places = 2; places <= 6; ++places) {
    const double shown = std::round(ratio * std::pow(10.0, places)) / std::pow(10.0, places);
    if (meets || shown < target) return fmt::format("{:.{}f}×", ratio, places);
  }
  return fmt::format("{:.6f}×", ratio);
}

namespace {

// ---- shared wording --------------------------------------------------------

// "below the 3× target: LTV must reach 900.00, or CAC fall to 291.66": the
// figures rounded so that reaching them meets the target.
std::string shortfall(const scenario& s, const ltv_result& r) {
  if (!r.max_cac)
    return fmt::format("LTV is {} (margin per {} {}), so CAC is never recovered", money(r.ltv),
                       to_string(s.period), money(r.margin_per_period));
  return fmt::format("below the {} target: LTV must reach {}, or CAC fall to {}", times(s.target),
                     money(rounded_minimum(*r.required_ltv, 2)),
                     money(rounded_maximum(*r.max_cac, 2)));
}

const char* const green = "\x1b[32m";
const char* const red = "\x1b[31m";
const char* const reset = "\x1b[0m";

// A record's id for people: a string's text (control characters escaped),
// a number as written.
std::string id_text(std::string_view id_json) {
  return id_json.front() == '"' ? printable(decode_json_string(id_json)) : std::string(id_json);
}

std::string painted(std::string text, bool color, bool good) {
  if (!color) return text;
  return (good ? green : red) + text + reset;
}

// ---- JSON --------------------------------------------------------------------

// The JSON writer is the hot path of a million-record batch: it writes
// through a raw cursor into a scratch buffer sized up front, then appends the
// record in one copy.
class cursor {
 public:
  explicit cursor(char* p) : p_(p) {}
  template <std::size_t N>
  void lit(const char (&text)[N]) {
    std::memcpy(p_, text, N - 1);
    p_ += N - 1;
  }
  void raw(std::string_view text) {
    std::memcpy(p_, text.data(), text.size());
    p_ += text.size();
  }
  template <std::size_t N>
  void raw(const std::array<char, N>& text) {
    std::memcpy(p_, text.data(), N);
    p_ += N;
  }
  void number(double x) { p_ = write_number(p_, x); }
  template <std::size_t N>
  void key_number(const char (&key)[N], double x) {
    lit(key);
    number(x);
  }
  template <std::size_t N>
  void number_or(const std::optional<double>& x, const char (&absent)[N]) {
    if (x)
      number(*x);
    else
      lit(absent);
  }
  template <std::size_t N>
  void key_verdict(const char (&key)[N], const std::optional<bool>& x) {
    if (!x) return;
    lit(key);
    if (*x)
      lit("true");
    else
      lit("false");
  }
  [[nodiscard]] char* end() const { return p_; }

 private:
  char* p_;
};

// Upper bound of a result record's size, apart from the id: about 40 keys
// and 30 numbers of at most 32 characters each, plus seven conventions of
// about 120 characters.
constexpr std::size_t max_result_json = 4096;

// `"name":` of input I, a constant that the cursor copies in a few moves.
template <std::size_t I>
constexpr auto input_key = [] {
  constexpr std::string_view name = scenario_fields[I].name;
  std::array<char, name.size() + 3> key{};
  key.front() = '"';
  std::copy(name.begin(), name.end(), key.begin() + 1);
  key[name.size() + 1] = '"';
  key.back() = ':';
  return key;
}();

// The fields `in` gives, in table order, without braces (unrolled: this
// runs once per record).
void write_field_list(cursor& c, const scenario_input& in) {
  bool first = true;
  for_each_scenario_field([&](auto i) {
    constexpr const scenario_field& field = scenario_fields[i];
    if (!is_given(in, field)) return;
    if (!first) c.lit(",");
    first = false;
    c.raw(input_key<i>);
    if constexpr (field.member != nullptr) {
      c.number(*(in.*field.member));
    } else {
      c.lit("\"");
      c.raw(to_string(*in.period));
      c.lit("\"");
    }
  });
}

// The fields `in` gives, as a JSON object in table order.
void write_fields(cursor& c, const scenario_input& in) {
  c.lit("{");
  write_field_list(c, in);
  c.lit("}");
}

// {"low":1,"high":null,"unbounded":"high"}: a missing bound is unbounded.
void write_range(cursor& c, const value_range& range) {
  c.lit("{\"low\":");
  c.number_or(range.low, "null");
  c.lit(",\"high\":");
  c.number_or(range.high, "null");
  if (!range.low) c.lit(",\"unbounded\":\"low\"");
  if (!range.high) c.lit(",\"unbounded\":\"high\"");
  c.lit("}");
}

void write_interval(cursor& c, const churn_interval& i) {
  c.key_number(",\"churn_interval\":{\"confidence\":", i.confidence);
  c.key_number(",\"low\":", i.churn_low);
  c.key_number(",\"high\":", i.churn_high);
  c.lit("},\"ltv_interval\":");
  write_range(c, i.ltv);
  if (i.ltv_cac_ratio) {
    c.lit(",\"ltv_cac_ratio_interval\":");
    write_range(c, *i.ltv_cac_ratio);
  }
  c.key_verdict(",\"interval_meets_target\":", i.meets_target);
}

// "conventions":[{"convention":"start_of_period","definition":"…","ltv":1250}, …]
void write_conventions(cursor& c, const std::vector<convention_value>& rows) {
  c.lit(",\"conventions\":[");
  bool first = true;
  for (const auto& row : rows) {
    if (!first) c.lit(",");
    first = false;
    c.lit("{\"convention\":\"");
    c.raw(row.key);
    c.lit("\",\"definition\":\"");
    c.raw(row.definition);  // our own text: no quotes or backslashes to escape
    c.lit("\",\"ltv\":");
    c.number_or(row.ltv, "null,\"unbounded\":true");
    c.lit("}");
  }
  c.lit("]");
}

void append_json_result(std::string& out, std::string_view id_json, const calculation& calc) {
  const ltv_result& r = calc.result;
  thread_local std::string scratch;
  if (scratch.size() < max_result_json + id_json.size())
    scratch.resize(max_result_json + id_json.size());
  cursor c(scratch.data());
  c.lit("{");
  if (!id_json.empty()) {
    c.lit("\"id\":");
    c.raw(id_json);
    c.lit(",");
  }
  c.lit("\"period\":\"");
  c.raw(to_string(r.period));
  c.lit("\"");
  if (r.churn) c.key_number(",\"churn\":", *r.churn);
  if (r.lifetime) c.key_number(",\"lifetime\":", *r.lifetime);
  c.key_number(",\"margin_per_period\":", r.margin_per_period);
  c.key_number(",\"ltv\":", r.ltv);
  if (r.net_value) c.key_number(",\"net_value\":", *r.net_value);
  if (r.ltv_cac_ratio) c.key_number(",\"ltv_cac_ratio\":", *r.ltv_cac_ratio);
  c.key_number(",\"target\":", r.target);
  c.key_verdict(",\"meets_target\":", r.meets_target);
  if (r.cac_payback) {
    c.key_number(",\"cac_payback\":", *r.cac_payback);
    c.lit(",\"expected_payback\":");  // with churn and discounting; null: never
    c.number_or(expected_payback(calc.input, r), "null");
  }
  if (r.meets_payback) {  // the payback rule's verdict, and the rules that fail
    c.key_verdict(",\"meets_payback\":", r.meets_payback);
    const check_verdict verdict = judge(r);
    c.lit(",\"failed_rules\":[");
    const char* comma = "";
    for (const check_rule rule : {check_rule::ltv_cac, check_rule::payback}) {
      if (!verdict.fails(rule)) continue;
      c.raw(comma);
      c.lit("\"");
      c.raw(to_string(rule));
      c.lit("\"");
      comma = ",";
    }
    c.lit("]");
  }
  if (r.interval) write_interval(c, *r.interval);
  if (!r.lifetime || r.payback_undefined) {
    c.lit(",\"notes\":[");
    if (!r.lifetime) {
      if (calc.input.lifetime_from == lifetime_basis::sbg)
        c.lit(
            "\"lifetime is unbounded (sBG alpha <= 1): LTV counts the horizon or discounting "
            "only\"");
      else
        c.lit("\"lifetime is unbounded (churn 0): LTV counts the horizon or discounting only\"");
    }
    if (r.payback_undefined) {
      if (!r.lifetime) c.lit(",");
      c.lit(
          "\"cac_payback omitted: margin per period is not positive, so CAC is never paid back\"");
    }
    c.lit("]");
  }
  c.lit(",\"inputs\":{");  // the scenario as resolve read it, and its annual plan
  write_field_list(c, as_input(calc.input));  // period, at least
  if (calc.annual_plan.annual_price)
    c.key_number(",\"annual_price\":", *calc.annual_plan.annual_price);
  if (calc.annual_plan.annual_churn)
    c.key_number(",\"annual_churn\":", *calc.annual_plan.annual_churn);
  c.lit("}");
  if (!calc.conventions.empty()) write_conventions(c, calc.conventions);
  c.lit("}");
  out.append(scratch.data(), c.end());
}

void append_json_error(std::string& out, const outcome& o, const error& failure) {
  open_json_record(out, o.id_json);
  if (o.from.from_array) {
    out += "\"index\":";
    append_number(out, static_cast<double>(o.from.index));
    out += ",\"line\":";
  } else {
    out += "\"line\":";
  }
  append_number(out, static_cast<double>(o.from.line));
  if (!failure.field.empty()) {
    out += ",\"field\":";
    append_json_string(out, failure.field);
  }
  out += ",\"error\":";
  append_json_string(out, failure.message);
  out += '}';
}

// ---- CSV ---------------------------------------------------------------------

// A cell: blank, a number, a word (a period, "unbounded") or a yes/no.
using csv_cell = std::variant<std::monostate, double, std::string_view, bool>;

// One column of a result's CSV row: the header's name and the row's cell.
template <typename Of>
struct csv_column {
  std::string_view name;
  csv_cell (*of)(const Of&);
};

template <typename T>
csv_cell maybe(const std::optional<T>& x) {
  return x ? csv_cell{*x} : csv_cell{};
}

// A bound of a range that exists: the word when unbounded, never inf.
csv_cell bound(const std::optional<double>& x) {
  return x ? csv_cell{*x} : csv_cell{std::string_view("unbounded")};
}

constexpr std::array<csv_column<calculation>, 11> result_columns{{
    {"period", [](const calculation& c) { return csv_cell{to_string(c.result.period)}; }},
    {"value_per_period", [](const calculation& c) { return csv_cell{c.input.value}; }},
    {"margin_per_period",
     [](const calculation& c) { return csv_cell{c.result.margin_per_period}; }},
    {"lifetime", [](const calculation& c) { return maybe(c.result.lifetime); }},
    {"ltv", [](const calculation& c) { return csv_cell{c.result.ltv}; }},
    {"cac", [](const calculation& c) { return maybe(c.input.cac); }},
    {"net_value", [](const calculation& c) { return maybe(c.result.net_value); }},
    {"ltv_cac_ratio", [](const calculation& c) { return maybe(c.result.ltv_cac_ratio); }},
    {"target", [](const calculation& c) { return csv_cell{c.result.target}; }},
    {"meets_target", [](const calculation& c) { return maybe(c.result.meets_target); }},
    {"cac_payback", [](const calculation& c) { return maybe(c.result.cac_payback); }},
}};

// After "churn", which a result from counts has even without an interval.
constexpr std::array<csv_column<churn_interval>, 8> interval_columns{{
    {"confidence", [](const churn_interval& i) { return csv_cell{i.confidence}; }},
    {"churn_low", [](const churn_interval& i) { return csv_cell{i.churn_low}; }},
    {"churn_high", [](const churn_interval& i) { return csv_cell{i.churn_high}; }},
    {"ltv_low", [](const churn_interval& i) { return bound(i.ltv.low); }},
    {"ltv_high", [](const churn_interval& i) { return bound(i.ltv.high); }},
    {"ltv_cac_ratio_low",
     [](const churn_interval& i) {
       return i.ltv_cac_ratio ? bound(i.ltv_cac_ratio->low) : csv_cell{};
     }},
    {"ltv_cac_ratio_high",
     [](const churn_interval& i) {
       return i.ltv_cac_ratio ? bound(i.ltv_cac_ratio->high) : csv_cell{};
     }},
    {"interval_meets_target", [](const churn_interval& i) { return maybe(i.meets_target); }},
}};

// The conventions' columns, "ltv_" and reconcile()'s key, in its order.
constexpr std::array<std::string_view, 7> convention_columns{
    "ltv_arpu_over_churn", "ltv_gross_margin", "ltv_start_of_period", "ltv_end_of_period",
    "ltv_gupta_lehmann",   "ltv_skok",         "ltv_churn_floor"};

// A convention's LTV: blank when reconcile() did not show it for this scenario.
csv_cell convention_cell(const std::vector<convention_value>& conventions, std::string_view key) {
  const auto it = std::find_if(conventions.begin(), conventions.end(),
                               [key](const convention_value& v) { return v.key == key; });
  return it == conventions.end() ? csv_cell{} : bound(it->ltv);
}

// Visits the name and cell of each column the options ask for, in the
// header's order; every cell is blank without a calculation (the header, an
// error's row).
template <typename Visit>
void for_each_column(const writer_options& options, const calculation* c, Visit visit) {
  for (const auto& column : result_columns) visit(column.name, c ? column.of(*c) : csv_cell{});
  if (options.expansion_columns) visit("expansion", c ? csv_cell{c->input.expansion} : csv_cell{});
  if (options.payback_columns) {
    visit("max_payback", c ? maybe(c->result.max_payback) : csv_cell{});
    visit("meets_payback", c ? maybe(c->result.meets_payback) : csv_cell{});
    visit("expected_payback",
          c && c->result.cac_payback ? maybe(expected_payback(c->input, c->result)) : csv_cell{});
  }
  if (options.interval_columns) {
    visit("churn", c ? maybe(c->result.churn) : csv_cell{});
    const churn_interval* i = c && c->result.interval ? &*c->result.interval : nullptr;
    for (const auto& column : interval_columns) visit(column.name, i ? column.of(*i) : csv_cell{});
  }
  if (options.reconcile)
    for (const auto name : convention_columns)
      visit(name, c ? convention_cell(c->conventions, name.substr(4)) : csv_cell{});
}

void append_cell(std::string& buf, const csv_cell& cell) {
  if (const auto* x = std::get_if<double>(&cell))
    append_number(buf, *x);
  else if (const auto* word = std::get_if<std::string_view>(&cell))
    buf += *word;
  else if (const auto* yes = std::get_if<bool>(&cell))
    buf += *yes ? "true" : "false";
}

// The id as text: a JSON string decoded ("a\"b" → a"b), a number as is.
std::string unquoted_id(std::string_view id_json) {
  if (id_json.size() >= 2 && id_json.front() == '"') return decode_json_string(id_json);
  return std::string(id_json);
}

}  // namespace

std::string csv_header(const writer_options& options) {
  std::string header = "record,line,id";
  for_each_column(options, nullptr, [&](std::string_view name, const csv_cell&) {
    header += ',';
    header += name;
  });
  return header + ",error,segment\n";
}

void append_csv_row(std::string& buf, const outcome& o, std::string_view segment,
                    const writer_options& options) {
  append_number(buf, static_cast<double>(o.from.index + 1));
  buf += ',';
  if (o.from.line > 0) append_number(buf, static_cast<double>(o.from.line));
  buf += ',';
  append_csv_field(buf, unquoted_id(o.id_json));
  for_each_column(options, std::get_if<calculation>(&o.value),
                  [&buf](std::string_view, const csv_cell& cell) {
                    buf += ',';
                    append_cell(buf, cell);
                  });
  buf += ',';
  if (const auto* failure = std::get_if<error>(&o.value)) append_csv_field(buf, failure->message);
  buf += ',';
  append_csv_field(buf, segment);
  buf += '\n';
}

namespace {

// ---- tables for people -------------------------------------------------------

struct row {
  std::string label, value, note;
};

// Labels left-aligned, values right-aligned, then the note, if any.
void append_rows(std::string& out, const std::vector<row>& rows) {
  std::size_t label_w = 0, value_w = 0;
  for (const auto& x : rows) {
    label_w = std::max(label_w, display_width(x.label));
    value_w = std::max(value_w, display_width(x.value));
  }
  for (const auto& x : rows) {
    out += "  " + pad_right(x.label, label_w) + "  " + pad_left(x.value, value_w);
    if (!x.note.empty()) out += "   " + x.note;
    out += '\n';
  }
}

std::string value_note(const scenario& s) {
  if (s.value_from == value_basis::orders)
    return fmt::format("AOV {} × {} purchases per {}", money(s.aov),
                       trimmed_number(s.purchase_frequency, 4), to_string(s.period));
  return "ARPU";
}

std::string counts_text(const churn_counts& n) {
  return fmt::format("{} of {} customers lost", trimmed_number(n.lost, 0),
                     trimmed_number(n.start, 0));
}

std::string lifetime_note(const scenario& s) {
  if (s.lifetime_from == lifetime_basis::fixed) return "fixed lifetime";
  if (s.lifetime_from == lifetime_basis::sbg)
    return fmt::format("sBG retention, alpha {}, beta {}", trimmed_number(s.sbg_alpha, 4),
                       trimmed_number(s.sbg_beta, 4));
  std::string note =
      s.churn > 0 ? "1 / churn " + percent(s.churn) : "churn 0: customers never leave";
  if (s.counts) note += " (" + counts_text(*s.counts) + ")";
  return note;
}

// "2.2432% – 6.8673%", "727.80 – unbounded"
std::string range_text(const value_range& range, const std::function<std::string(double)>& show) {
  return (range.low ? show(*range.low) : "unbounded") + " – " +
         (range.high ? show(*range.high) : "unbounded");
}

// Two decimals, more where rounding would carry a bound across the target.
std::string ratio_range_text(const scenario& s, const value_range& range) {
  return range_text(range,
                    [&](double x) { return ratio_text(x, s.target, meets_target(x, s.target)); });
}

std::string interval_verdict(const scenario& s, const churn_interval& i) {
  if (*i.meets_target) return "the whole interval meets the " + times(s.target) + " target";
  if (*i.below_target) return "the whole interval is below the " + times(s.target) + " target";
  return "part of the interval is below the " + times(s.target) + " target";
}

std::string ltv_note(const scenario& s, const ltv_result& r) {
  std::vector<std::string> parts;
  if (s.discount_rate > 0)
    parts.push_back("discounted " + percent(s.discount_rate) + " per " +
                    std::string(to_string(s.period)));
  if (s.horizon) parts.push_back("first " + periods_text(*s.horizon, s.period) + " only");
  if (s.expansion != 0) {
    // Revenue grows, cost to serve does not: two counts of payments.
    std::string note = fmt::format("revenue grows {} per {}: v × gm × {}", percent(s.expansion),
                                   to_string(s.period), trimmed_number(r.revenue_periods, 2));
    if (s.cost_to_serve != 0) note += " − cost × " + trimmed_number(r.paid_periods, 2);
    for (const auto& p : parts) note += ", " + p;
    return note;
  }
  if (parts.empty()) return "margin × lifetime";
  std::string note =
      fmt::format("margin × {} paid {}", trimmed_number(r.paid_periods, 2), plural(s.period));
  for (const auto& p : parts) note += ", " + p;
  return note;
}

// "expected payback with churn: 21.54 months" (or "never") when churn, a
// lifetime's end or discounting change the simple payback
// (cltv::expected_payback); "" otherwise.
std::string expected_payback_text(const scenario& s, const ltv_result& r) {
  if (!r.cac_payback) return "";
  const std::optional<double> expected = expected_payback(s, r);
  const std::string shown = expected ? periods_text(*expected, s.period) : "never";
  if (shown == periods_text(*r.cac_payback, s.period)) return "";
  const bool churn = s.lifetime_from != lifetime_basis::churn || s.churn > 0 || s.horizon;
  const std::string with = churn && s.discount_rate > 0 ? "with churn and discounting"
                           : churn                      ? "with churn"
                                                        : "discounted";
  return "expected payback " + with + ": " + shown;
}

// "; within the 12-month limit" / "; over the 12-month limit"; "" without one.
std::string payback_limit_note(const scenario& s, const ltv_result& r) {
  if (!r.max_payback) return "";
  return fmt::format("; {} the {}-{} limit", *r.meets_payback ? "within" : "over",
                     trimmed_number(*r.max_payback, 2), to_string(s.period));
}

std::vector<row> table_rows(const scenario& s, const ltv_result& r) {
  const std::string per(to_string(s.period));
  std::vector<row> rows;
  rows.push_back({"Value per " + per, money(s.value), value_note(s)});
  if (s.expansion != 0)
    rows.push_back(
        {"Expansion", percent(s.expansion),
         "per " + per + ": a retained customer's revenue grows; cost to serve does not"});
  if (s.gross_margin != 1.0) rows.push_back({"Gross margin", percent(s.gross_margin), ""});
  if (s.cost_to_serve != 0.0)
    rows.push_back({"Cost to serve", money(s.cost_to_serve), "per " + per});
  rows.push_back({"Margin per " + per, money(r.margin_per_period),
                  r.margin_per_period < 0 ? "negative: each period loses money" : ""});
  rows.push_back({"Lifetime", r.lifetime ? periods_text(*r.lifetime, s.period) : "unbounded",
                  lifetime_note(s)});
  if (s.discount_rate > 0)
    rows.push_back({"Discount rate", percent(s.discount_rate), "per " + per});
  if (s.horizon) rows.push_back({"Horizon", periods_text(*s.horizon, s.period), ""});
  rows.push_back({"LTV", money(r.ltv), ltv_note(s, r)});
  if (s.cac) {
    rows.push_back({"CAC", money(*s.cac), ""});
    rows.push_back({"Net value", money(*r.net_value), "LTV − CAC"});
    if (r.ltv_cac_ratio)
      rows.push_back({"LTV:CAC", ratio_text(*r.ltv_cac_ratio, s.target, *r.meets_target),
                      "target " + times(s.target)});
    if (r.cac_payback) {
      rows.push_back({"CAC payback", periods_text(*r.cac_payback, s.period),
                      "CAC / margin" + payback_limit_note(s, r)});
      if (const std::string expected = expected_payback_text(s, r); !expected.empty())
        rows.push_back({"", "", expected});
    } else {
      rows.push_back({"CAC payback", "never",
                      "margin per " + per + " is not positive" + payback_limit_note(s, r)});
    }
  }
  if (r.interval) {
    const churn_interval& i = *r.interval;
    const std::string level = percent(i.confidence);
    rows.push_back({"Churn, " + level + " CI", range_text({i.churn_low, i.churn_high}, percent),
                    "Wilson score interval, " + counts_text(*s.counts)});
    rows.push_back({"LTV, " + level + " CI", range_text(i.ltv, money),
                    "low churn ↔ high LTV" +
                        std::string(i.ltv.high ? ""
                                               : " (unbounded: lifetime over 10000 " +
                                                     std::string(plural(s.period)) + ")")});
    if (i.ltv_cac_ratio)
      rows.push_back({"LTV:CAC, " + level + " CI", ratio_range_text(s, *i.ltv_cac_ratio),
                      interval_verdict(s, i)});
  }
  return rows;
}

std::string verdict_sentence(const scenario& s, const ltv_result& r, bool color) {
  if (!s.cac) return "Give a CAC (--cac) to compare LTV with the cost of acquiring a customer.";
  if (!r.ltv_cac_ratio) return "CAC is 0: there is no LTV:CAC ratio to check.";
  const bool meets = *r.meets_target;
  std::string text = fmt::format("LTV is {} CAC — ", ratio_text(*r.ltv_cac_ratio, s.target, meets));
  text += meets ? "meets the " + times(s.target) + " target." : shortfall(s, r) + ".";
  if (r.interval && r.interval->meets_target) {
    const churn_interval& i = *r.interval;
    return painted(text, color, meets) + "\n" +
           painted(fmt::format("At {} confidence LTV:CAC is {}: {}.", percent(i.confidence),
                               ratio_range_text(s, *i.ltv_cac_ratio), interval_verdict(s, i)),
                   color, *i.meets_target);
  }
  return painted(text, color, meets);
}

// --reconcile for people: each convention's LTV next to its definition.
std::string conventions_table(const scenario& s, const ltv_result& r,
                              const std::vector<convention_value>& rows) {
  const std::string per(to_string(s.period));
  std::string out = fmt::format(
      "The same inputs under other conventions (per {}; infinite sums, so no horizon; only "
      "Skok's counts expansion):\n",
      per);
  std::vector<row> lines;
  lines.push_back({"cltv (this result)", money(r.ltv), "with the horizon and expansion, if any"});
  for (const auto& c : rows)
    lines.push_back(
        {std::string(c.name), c.ltv ? money(*c.ltv) : "unbounded", std::string(c.definition)});
  append_rows(out, lines);
  out += fmt::format(
      "  where v = {} (value per {}), m = {} (margin per {}), c = {}, r = 1 − c = {}, "
      "d = {}, G = {}",
      money(s.value), per, money(r.margin_per_period), per, percent(s.churn),
      percent(1.0 - s.churn), percent(s.discount_rate), percent(s.expansion));
  if (s.churn == 0 && s.period == period::year)
    out += fmt::format("; churn floor {} per year = 1 − (1 − 1.67%)^12",
                       percent(churn_floor(s.period)));
  out += "\n";
  return out;
}

void append_verdict(std::string& buf, const outcome& o, const writer_options& options) {
  buf += batch_prefix(o, options);
  if (const auto* failure = std::get_if<error>(&o.value)) {
    buf += painted("error: " + failure->message, options.color, false);
    buf += '\n';
    return;
  }
  const calculation& calc = std::get<calculation>(o.value);
  const ltv_result& r = calc.result;
  buf += painted(verdict_line(calc.input, r), options.color, *judge(r).passes());
  buf += '\n';
  if (options.explain) buf += explain(calc.input, r);
}

void append_single(std::string& buf, const calculation& calc, const writer_options& options) {
  const scenario& s = calc.input;
  const ltv_result& r = calc.result;
  fmt::format_to(std::back_inserter(buf),
                 "Customer lifetime value (per {}, paid at the start of each {})\n\n",
                 to_string(s.period), to_string(s.period));
  append_rows(buf, table_rows(s, r));
  buf += '\n';
  buf += verdict_sentence(s, r, options.color);
  buf += '\n';
  if (options.explain) {
    buf += '\n';
    buf += explain(s, r);
  }
  if (!calc.conventions.empty()) {
    buf += '\n';
    buf += conventions_table(s, r, calc.conventions);
  }
}

// calc's batch table: its header and each record's row. The record's id is
// the last column, as the one of any width (the table streams: no column
// can be sized to its longest cell); the line (or record) number stays
// first, so a record without an id is found too.
constexpr std::string_view batch_row = "{:>6}  {:<6}  {:>14}  {:>12}  {:>16}  {:>12}  {:>10}  {}\n";
constexpr std::size_t verdict_width = 8;  // "meets 3×"

void append_batch_row(std::string& buf, const outcome& o, const writer_options& options,
                      bool first_row) {
  if (first_row)
    buf += fmt::format(batch_row, o.from.from_array ? "record" : "line", "period", "margin/period",
                       "lifetime", "LTV", "CAC", "LTV:CAC",
                       pad_right("verdict", verdict_width) + "  id");
  const std::size_t pos = o.from.from_array ? o.from.index + 1 : o.from.line;
  const std::string id = o.id_json.empty() ? std::string() : id_text(o.id_json);
  if (const auto* failure = std::get_if<error>(&o.value)) {
    // As check's error lines: the id, then the error.
    buf += fmt::format("{:>6}  {}{}\n", pos, id.empty() ? "" : id + ": ",
                       painted("error: " + failure->message, options.color, false));
    return;
  }
  const calculation& calc = std::get<calculation>(o.value);
  const scenario& s = calc.input;
  const ltv_result& r = calc.result;
  const std::optional<bool> pass = passes_check(r);
  std::string verdict = target_verdict(pass, s.target);
  if (pass && r.interval) verdict += " (whole " + percent(r.interval->confidence) + " CI)";
  if (!id.empty()) verdict = pad_right(verdict, verdict_width);
  if (pass) verdict = painted(verdict, options.color, *pass);
  if (!id.empty()) verdict += "  " + id;
  buf += fmt::format(batch_row, pos, to_string(s.period), money(r.margin_per_period),
                     r.lifetime ? trimmed_number(*r.lifetime, 2) : "unbounded", money(r.ltv),
                     s.cac ? money(*s.cac) : "—",
                     r.ltv_cac_ratio
                         ? pad_left(ratio_text(*r.ltv_cac_ratio, s.target, *r.meets_target), 10)
                         : pad_left("—", 10),
                     verdict);
  if (options.explain) buf += explain(s, r);
  if (!calc.conventions.empty()) buf += conventions_table(s, r, calc.conventions);
}

}  // namespace

void append_table(std::string& buf, const outcome& o, const writer_options& options,
                  bool first_row) {
  if (options.cmd == command::check)
    append_verdict(buf, o, options);
  else if (options.batch)
    append_batch_row(buf, o, options, first_row);
  else
    append_single(buf, std::get<calculation>(o.value), options);
}

void append_scenario_json(std::string& out, const scenario_input& in) {
  std::array<char, max_result_json> scratch{};
  cursor c(scratch.data());
  write_fields(c, in);
  out.append(scratch.data(), c.end());
}

void open_json_record(std::string& out, std::string_view id_json) {
  out += '{';
  if (id_json.empty()) return;
  out += "\"id\":";
  out += id_json;
  out += ',';
}

std::string record_label(const origin& from, std::string_view id_json) {
  std::string where = from.from_array ? fmt::format("record {}", from.index + 1)
                                      : fmt::format("line {}", from.line);
  if (id_json.empty()) return where;
  return fmt::format("{} ({})", id_text(id_json), where);
}

std::string batch_prefix(const outcome& o, const writer_options& options) {
  if (!options.batch) return "";
  return record_label(o.from, o.id_json) + ": ";
}

std::string periods_text(double n, period p) {
  const std::string number = trimmed_number(n, 2);
  std::string unit(plural(p));
  if (number == "1") unit.pop_back();
  return number + " " + unit;
}

std::string target_verdict(const std::optional<bool>& meets, double target) {
  if (!meets) return "—";
  return (*meets ? "meets " : "below ") + times(target);
}

namespace {

// verdict_line by the LTV:CAC rule alone.
std::string ltv_cac_verdict_line(const scenario& s, const ltv_result& r) {
  if (r.interval && r.interval->meets_target) {
    const churn_interval& i = *r.interval;
    const bool point_meets = *r.meets_target;
    return fmt::format(
        "{}: at {} confidence LTV:CAC is {} (churn {}): {}; the point estimate, LTV {} = {} CAC "
        "{}, {}",
        *i.meets_target ? "PASS" : "FAIL", percent(i.confidence),
        ratio_range_text(s, *i.ltv_cac_ratio), range_text({i.churn_low, i.churn_high}, percent),
        interval_verdict(s, i), money(r.ltv), ratio_text(*r.ltv_cac_ratio, s.target, point_meets),
        money(*s.cac), point_meets ? "meets it" : "does not meet it");
  }
  const bool meets = *r.meets_target;
  const std::string head =
      fmt::format("{}: LTV {} is {} CAC {}", meets ? "PASS" : "FAIL", money(r.ltv),
                  ratio_text(*r.ltv_cac_ratio, s.target, meets), money(*s.cac));
  if (meets) return head + fmt::format(" (target {})", times(s.target));
  return head + ", " + shortfall(s, r);
}

}  // namespace

std::string verdict_line(const scenario& s, const ltv_result& r) {
  std::string line = ltv_cac_verdict_line(s, r);
  if (!r.max_payback) return line;
  // "FAIL (payback): LTV … (target 3×); payback 15.31 months, over the
  // 12-month limit": the rules that fail are named after the verdict.
  const check_verdict verdict = judge(r);
  const bool ltv_fails = verdict.fails(check_rule::ltv_cac);
  const bool payback_fails = verdict.fails(check_rule::payback);
  const std::string rules = ltv_fails && payback_fails ? " (LTV:CAC and payback)"
                            : ltv_fails                ? " (LTV:CAC)"
                            : payback_fails            ? " (payback)"
                                                       : "";
  const std::size_t colon = line.find(':');
  line = (*verdict.passes() ? "PASS" : "FAIL") + rules + line.substr(colon);
  const std::string payback =
      r.cac_payback ? periods_text(*r.cac_payback, s.period) : "never (margin not positive)";
  line +=
      fmt::format("; payback {}, {} the {}-{} limit", payback, payback_fails ? "over" : "within",
                  trimmed_number(*r.max_payback, 2), to_string(s.period));
  if (const std::string expected = expected_payback_text(s, r); !expected.empty())
    line += " (" + expected + ")";
  return line;
}

namespace {

// explain()'s LTV line: the formula evaluate() applied, with its numbers.
std::string ltv_working(const scenario& s, const ltv_result& r) {
  const ltv_explanation& how = r.explanation;
  const std::string m = money(r.margin_per_period);
  const double d = s.discount_rate;
  const bool fixed = how.formula == paid_periods_formula::fixed ||
                     how.formula == paid_periods_formula::fixed_discounted;
  if (how.revenue_ratio) {
    // Revenue payments grow by (1 + g) a period; cost-to-serve payments do not.
    const std::string q = fixed ? "(1 + g) / (1 + d)" : "(1 + g)(1 − c) / (1 + d)";
    const std::string terms = fixed ? "t < min(L, H)" : s.horizon ? "t < H" : "t ≥ 0";
    return fmt::format(
        "v × gm × R − cts × P = {} × {} × {} − {} × {} = {}, R = Σ q^t over {}, q = {} = {}",
        money(s.value), percent(s.gross_margin), trimmed_number(r.revenue_periods, 4),
        money(s.cost_to_serve), trimmed_number(r.paid_periods, 4), money(r.ltv), terms, q,
        trimmed_number(*how.revenue_ratio, 6));
  }
  const auto counted_name = [&how] { return how.capped_by_horizon ? "min(L, H)" : "L"; };
  switch (how.formula) {
    case paid_periods_formula::sbg_sum:
      return fmt::format("m × Σ S(t) / (1 + d)^t over {} = {} × {} = {}",
                         s.horizon ? fmt::format("t < H = {}", *s.horizon) : std::string("t ≥ 0"),
                         m, trimmed_number(r.paid_periods, 4), money(r.ltv));
    case paid_periods_formula::fixed:
      return fmt::format("margin × {} = {} × {} {} = {}", counted_name(), m,
                         trimmed_number(*how.counted_periods, 4), plural(s.period), money(r.ltv));
    case paid_periods_formula::fixed_discounted:
      return fmt::format(
          "m × (1 + d) × (1 − (1 + d)^−{0}) / d = {1} × {2} × (1 − {2}^−{3}) / {4} = {5}",
          counted_name(), m, trimmed_number(1 + d, 6), trimmed_number(*how.counted_periods, 4),
          percent(d), money(r.ltv));
    case paid_periods_formula::churn:
      return fmt::format("margin × lifetime = {} × {} = {}", m, periods_text(*r.lifetime, s.period),
                         money(r.ltv));
    case paid_periods_formula::churn_discounted:
      return fmt::format("m × (1 + d) / (c + d) = {} × {} / ({} + {}) = {}", m,
                         trimmed_number(1 + d, 6), percent(s.churn), percent(d), money(r.ltv));
    case paid_periods_formula::horizon:
      return fmt::format("m × H (no churn, no discount) = {} × {} = {}", m,
                         periods_text(*s.horizon, s.period), money(r.ltv));
    case paid_periods_formula::churn_horizon:
      return fmt::format(
          "m × (1 − q^H) / (1 − q), q = (1 − c) / (1 + d) = {}, H = {} = {} × {} = {}",
          trimmed_number(*how.payment_ratio, 6), *s.horizon, m, trimmed_number(r.paid_periods, 4),
          money(r.ltv));
  }
  return "";
}

}  // namespace

std::string explain(const scenario& s, const ltv_result& r) {
  const std::string per(to_string(s.period));
  const std::string m = money(r.margin_per_period);
  std::vector<std::pair<std::string, std::string>> lines;

  if (s.value_from == value_basis::orders)
    lines.emplace_back("value per " + per,
                       fmt::format("AOV × purchase frequency = {} × {} = {}", money(s.aov),
                                   trimmed_number(s.purchase_frequency, 6), money(s.value)));
  else
    lines.emplace_back("value per " + per, "ARPU = " + money(s.value));
  lines.emplace_back(
      "margin per " + per,
      fmt::format("value × gross margin − cost to serve = {} × {} − {} = {}", money(s.value),
                  percent(s.gross_margin), money(s.cost_to_serve), m));

  if (s.counts)
    lines.emplace_back("churn",
                       fmt::format("lost / start = {} / {} = {}", trimmed_number(s.counts->lost, 0),
                                   trimmed_number(s.counts->start, 0), percent(s.churn)));
  if (s.lifetime_from == lifetime_basis::fixed)
    lines.emplace_back("lifetime", "given = " + periods_text(s.lifetime, s.period) +
                                       " (every customer stays exactly this long)");
  else if (s.lifetime_from == lifetime_basis::sbg)
    lines.emplace_back(
        "lifetime",
        fmt::format("sBG: churn θ ~ Beta(α {}, β {}) across customers; S(t) = B(α, β + t) / "
                    "B(α, β); mean {}",
                    trimmed_number(s.sbg_alpha, 4), trimmed_number(s.sbg_beta, 4),
                    r.lifetime ? "1 + β / (α − 1) = " + periods_text(*r.lifetime, s.period)
                               : std::string("unbounded (α ≤ 1)")));
  else if (s.churn > 0)
    lines.emplace_back(
        "lifetime",
        fmt::format("1 / churn = 1 / {} = {} (a constant {} leave each {})", percent(s.churn),
                    periods_text(*r.lifetime, s.period), percent(s.churn), per));
  else
    lines.emplace_back("lifetime", "unbounded (churn 0)");

  lines.emplace_back("LTV", ltv_working(s, r));

  if (s.cac) {
    lines.emplace_back("net value", fmt::format("LTV − CAC = {} − {} = {}", money(r.ltv),
                                                money(*s.cac), money(*r.net_value)));
    if (r.ltv_cac_ratio)
      lines.emplace_back(
          "LTV:CAC",
          fmt::format("LTV / CAC = {} / {} = {} (target {}: {})", money(r.ltv), money(*s.cac),
                      ratio_text(*r.ltv_cac_ratio, s.target, *r.meets_target), times(s.target),
                      *r.meets_target ? "meets it" : "below it"));
    if (r.cac_payback)
      lines.emplace_back("CAC payback", fmt::format("CAC / margin = {} / {} = {}", money(*s.cac), m,
                                                    periods_text(*r.cac_payback, s.period)));
    else
      lines.emplace_back("CAC payback", "never: margin per " + per + " is not positive");
  }

  if (r.interval) {
    const churn_interval& i = *r.interval;
    lines.emplace_back(
        "churn interval",
        fmt::format(
            "Wilson score, z = {} ({}): (p + z²/2n ± z √(p(1 − p)/n + z²/4n²)) / (1 + z²/n) "
            "= {}; LTV {}",
            trimmed_number(i.z, 6), percent(i.confidence),
            range_text({i.churn_low, i.churn_high}, percent), range_text(i.ltv, money)));
  }
  std::size_t w = 0;
  for (const auto& [label, text] : lines) w = std::max(w, display_width(label));
  std::string out =
      fmt::format("How it was computed (per {}; payments at the start of each {}):\n", per, per);
  for (const auto& [label, text] : lines) out += "  " + pad_right(label, w) + "  " + text + "\n";
  if ((s.discount_rate > 0 || s.horizon) && s.lifetime_from != lifetime_basis::sbg)
    out +=
        s.lifetime_from == lifetime_basis::fixed
            ? "  Fixed lifetime: every customer pays exactly L periods. A churn rate with the same "
              "mean\n"
              "  lifetime gives a different discounted LTV (customers leave at different times).\n"
            : "  Churn-based lifetime: a constant share leaves each period (geometric survival). A "
              "fixed\n"
              "  lifetime with the same mean gives a different discounted LTV.\n";
  return out;
}

void append_json_record(std::string& out, const outcome& o) {
  if (const auto* failure = std::get_if<error>(&o.value))
    append_json_error(out, o, *failure);
  else
    append_json_result(out, o.id_json, std::get<calculation>(o.value));
}

}  // namespace cltv::cli
