#include "io/segment_writers.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string_view>
#include <variant>
#include <vector>

#include "io/text.hpp"

namespace cltv::cli {
namespace {

std::string_view billing_name(const segment_result& s) {
  if (s.bill == billing::annual) return "annual";
  return s.input.period == period::year ? "yearly" : "monthly";
}

// The blend as a plain monthly result, so that the plain CSV row and verdict
// line print it: value and margin per month, payback in months, no lifetime.
struct plain_blend {
  scenario s;
  ltv_result r;
};

plain_blend as_plain(const blended_result& b) {
  plain_blend p;
  p.s.value = b.value_per_month;
  p.s.cac = b.cac;
  p.s.target = b.target;
  p.r.margin_per_period = b.margin_per_month;
  p.r.ltv = b.ltv;
  p.r.net_value = b.net_value;
  p.r.ltv_cac_ratio = b.ltv_cac_ratio;
  p.r.target = b.target;
  p.r.meets_target = b.meets_target;
  p.r.required_ltv = b.required_ltv;
  p.r.max_cac = b.max_cac;
  p.r.cac_payback = b.cac_payback_months;
  p.r.payback_undefined = b.payback_undefined;
  return p;
}

void key_number(std::string& out, std::string_view key, double x) {
  out += ",\"";
  out += key;
  out += "\":";
  append_number(out, x);
}

void append_blended_json(std::string& out, const blended_result& b) {
  out += '{';
  if (b.customers) {
    out += "\"customers\":";
    append_number(out, *b.customers);
    out += ',';
  }
  out += "\"ltv\":";
  append_number(out, b.ltv);
  key_number(out, "margin_per_month", b.margin_per_month);
  if (b.cac) key_number(out, "cac", *b.cac);
  if (b.net_value) key_number(out, "net_value", *b.net_value);
  if (b.ltv_cac_ratio) key_number(out, "ltv_cac_ratio", *b.ltv_cac_ratio);
  key_number(out, "target", b.target);
  if (b.meets_target) out += *b.meets_target ? ",\"meets_target\":true" : ",\"meets_target\":false";
  if (b.cac_payback_months) key_number(out, "cac_payback_months", *b.cac_payback_months);
  if (b.payback_undefined)
    out +=
        ",\"notes\":[\"cac_payback_months omitted: blended margin per month is not positive, so "
        "CAC is never paid back\"]";
  out += '}';
}

// An annual plan a what-if assumed: the monthly segment that moved to it
// (empty for a plan without segments), and the plan, per year.
struct assumed_plan {
  std::string_view from;
  const scenario& input;
  const ltv_result& result;
  /// The monthly churn its annual_churn was derived from, when left out.
  std::optional<double> churn_derived_from;
};

// What a what-if did, for its writers: segments' and a single plan's alike.
struct what_if_view {
  double annual_share = 0;
  std::vector<assumed_plan> assumes;
  double ltv_before = 0;
  std::optional<double> ratio_before;
  const blended_result& after;
  double ltv_change = 0;
};

what_if_view view_of(const segmented_calculation& sc) {
  const annual_shift_result& w = *sc.what_if;
  what_if_view v{w.annual_share,          {},
                 sc.segments.blended.ltv, sc.segments.blended.ltv_cac_ratio,
                 w.after.blended,         w.ltv_change};
  for (const auto& m : w.moved) {
    const segment_result& s = w.after.segments.at(m.index);
    v.assumes.push_back({m.from, s.input, s.result, m.annual_churn_derived_from});
  }
  return v;
}

what_if_view view_of(const calculation& c) {
  const plan_shift_result& w = *c.what_if;
  return {w.annual_share, {{"", w.annual_input, w.annual, w.annual_churn_derived_from}},
          c.result.ltv,   c.result.ltv_cac_ratio,
          w.after,        w.ltv_change};
}

void append_what_if_json(std::string& out, const what_if_view& w) {
  out += ",\"what_if\":{\"annual_share\":";
  append_number(out, w.annual_share);
  out += ",\"assumes\":[";
  bool first = true;
  for (const assumed_plan& a : w.assumes) {
    if (!first) out += ',';
    first = false;
    out += '{';
    if (!a.from.empty()) {
      out += "\"segment\":";
      append_json_string(out, a.from);
      out += ',';
    }
    out += "\"annual_price\":";
    append_number(out, a.input.value);
    key_number(out, "annual_churn", a.input.churn);
    out +=
        a.churn_derived_from ? ",\"annual_churn_derived\":true" : ",\"annual_churn_derived\":false";
    key_number(out, "ltv", a.result.ltv);
    out += '}';
  }
  out += "]";
  key_number(out, "ltv_before", w.ltv_before);
  key_number(out, "ltv_after", w.after.ltv);
  key_number(out, "ltv_change", w.ltv_change);
  out += ",\"blended\":";
  append_blended_json(out, w.after);
  out += '}';
}

// ---- table -----------------------------------------------------------------

std::string ratio(double x) {
  return fmt::format("{:.2f}×", x);
}

std::string amount_per(double x, period p) {
  return money(x) + "/" + std::string(to_string(p));
}

void append_grid(std::string& out, const std::vector<std::vector<std::string>>& grid) {
  std::vector<std::size_t> widths(grid.front().size(), 0);
  for (const auto& line : grid)
    for (std::size_t c = 0; c < line.size(); ++c)
      widths[c] = std::max(widths[c], display_width(line[c]));
  for (const auto& line : grid) {
    std::string text = "  " + pad_right(line[0], widths[0]);
    for (std::size_t c = 1; c < line.size(); ++c) text += "  " + pad_left(line[c], widths[c]);
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out += text;
    out += '\n';
  }
}

void append_side_by_side(std::string& out, const segmented_result& sr) {
  const blended_result& b = sr.blended;
  std::vector<std::vector<std::string>> grid;
  auto add = [&](const std::string& label, auto cell_of, const std::string& blended) {
    std::vector<std::string> line{label};
    for (const auto& s : sr.segments) line.push_back(cell_of(s));
    line.push_back(blended);
    grid.push_back(std::move(line));
  };
  add(
      "", [](const segment_result& s) { return s.name; }, "blended");
  if (b.customers)
    add(
        "Customers", [](const segment_result& s) { return grouped(*s.customers, 0); },
        grouped(*b.customers, 0));
  add(
      "Share", [](const segment_result& s) { return trimmed_number(s.weight * 100, 2) + "%"; },
      "100%");
  add(
      "Billing", [](const segment_result& s) { return std::string(billing_name(s)); }, "");
  add(
      "Revenue", [](const segment_result& s) { return amount_per(s.input.value, s.input.period); },
      amount_per(b.value_per_month, period::month));
  add(
      "Margin",
      [](const segment_result& s) {
        return amount_per(s.result.margin_per_period, s.input.period);
      },
      amount_per(b.margin_per_month, period::month));
  add(
      "Lifetime",
      [](const segment_result& s) {
        if (!s.result.lifetime) return std::string("unbounded");
        return trimmed_number(*s.result.lifetime, 2) + " " + std::string(plural(s.input.period));
      },
      "");
  add(
      "LTV", [](const segment_result& s) { return money(s.result.ltv); }, money(b.ltv));
  add(
      "CAC", [](const segment_result& s) { return s.input.cac ? money(*s.input.cac) : "—"; },
      b.cac ? money(*b.cac) : "—");
  add(
      "LTV:CAC",
      [](const segment_result& s) {
        return s.result.ltv_cac_ratio ? ratio(*s.result.ltv_cac_ratio) : "—";
      },
      b.ltv_cac_ratio ? ratio(*b.ltv_cac_ratio) : "—");
  add(
      "Verdict",
      [](const segment_result& s) { return target_verdict(s.result.meets_target, s.input.target); },
      target_verdict(b.meets_target, b.target));
  if (b.cac)
    add(
        "CAC payback",
        [](const segment_result& s) {
          return s.cac_payback_months ? periods_text(*s.cac_payback_months, period::month)
                                      : "never";
        },
        b.cac_payback_months ? periods_text(*b.cac_payback_months, period::month) : "never");
  append_grid(out, grid);
}

std::string blended_sentence(const blended_result& b) {
  if (!b.cac) return "Give every segment a CAC (--cac) to compare the blended LTV with it.";
  if (!b.ltv_cac_ratio) return "Blended CAC is 0: there is no LTV:CAC ratio to check.";
  return fmt::format("Blended LTV is {} CAC — {} the {}× target.", ratio(*b.ltv_cac_ratio),
                     *b.meets_target ? "meets" : "below", trimmed_number(b.target, 4));
}

// The segment column of the what-if's CSV row: "blended if 40% annual", and
// which annual_churn was derived: " (annual_churn derived)" for a plan
// without segments, " (annual_churn derived: ads, premium)" with segments.
std::string what_if_label(const what_if_view& w) {
  std::string label = "blended if " + trimmed_number(w.annual_share * 100, 2) + "% annual";
  std::string derived;
  for (const assumed_plan& a : w.assumes)
    if (a.churn_derived_from) derived += (derived.empty() ? ": " : ", ") + std::string(a.from);
  if (derived.empty()) return label;
  if (w.assumes.front().from.empty()) derived.clear();
  return label + " (annual_churn derived" + derived + ")";
}

// The what-if for people; `indent` before each line (a record of a batch).
void append_what_if_table(std::string& out, const what_if_view& w, std::string_view indent) {
  const bool segments = !w.assumes.front().from.empty();
  out += fmt::format("{}What if {}% of {} customers pay annually instead:\n", indent,
                     trimmed_number(w.annual_share * 100, 2),
                     segments ? "each monthly segment's" : "the");
  for (const assumed_plan& a : w.assumes) {
    // "(LTV 640.00)", or "(derived from 3.5% monthly: 1 − (1 − c)^12; LTV 1,126.83)"
    const std::string derived = a.churn_derived_from
                                    ? fmt::format("derived from {} monthly: 1 − (1 − c)^12; ",
                                                  percent(*a.churn_derived_from))
                                    : std::string();
    out += fmt::format("{}  {}{} annual plan at {} a year, {}% do not renew ({}LTV {})\n", indent,
                       a.from, segments ? ": its" : "the", money(a.input.value),
                       trimmed_number(a.input.churn * 100, 2), derived, money(a.result.ltv));
  }
  std::string change = fmt::format("{}  {}LTV {} → {} ({}{})", indent, segments ? "blended " : "",
                                   money(w.ltv_before), money(w.after.ltv),
                                   w.ltv_change >= 0 ? "+" : "", money(w.ltv_change));
  if (w.ratio_before && w.after.ltv_cac_ratio)
    change +=
        fmt::format(", LTV:CAC {} → {}", ratio(*w.ratio_before), ratio(*w.after.ltv_cac_ratio));
  out += change + "\n";
}

}  // namespace

void append_segmented_json(std::string& out, const outcome& o) {
  const segmented_calculation& sc = std::get<segmented_calculation>(o.value);
  const segmented_result& sr = sc.segments;
  open_json_record(out, o.id_json);
  out += "\"segments\":[";
  std::string plain;
  for (std::size_t i = 0; i < sr.segments.size(); ++i) {
    const segment_result& s = sr.segments[i];
    if (i > 0) out += ',';
    out += "{\"name\":";
    append_json_string(out, s.name);
    out += ",\"billing\":\"";
    out += billing_name(s);
    out += '"';
    key_number(out, "share", s.weight);
    if (s.customers) key_number(out, "customers", *s.customers);
    key_number(out, "margin_per_month", s.margin_per_month);
    if (s.cac_payback_months) key_number(out, "cac_payback_months", *s.cac_payback_months);
    outcome plain_outcome;
    plain_outcome.value = calculation{s.input, s.result, {}, {}, {}};
    plain.clear();
    append_json_record(plain, plain_outcome);
    out += ',';
    out.append(plain, 1);  // the plain record's keys, after its '{'
  }
  out += "],\"blended\":";
  append_blended_json(out, sr.blended);
  if (sc.what_if) append_what_if_json(out, view_of(sc));
  out += '}';
}

void append_segmented_csv(std::string& out, const outcome& o, const writer_options& options) {
  const segmented_calculation& sc = std::get<segmented_calculation>(o.value);
  outcome row{o.from, o.id_json, calculation{}};
  for (const auto& s : sc.segments.segments) {
    row.value = calculation{s.input, s.result, {}, {}, {}};
    append_csv_row(out, row, s.name, options);
  }
  const plain_blend blended = as_plain(sc.segments.blended);
  row.value = calculation{blended.s, blended.r, {}, {}, {}};
  append_csv_row(out, row, "blended", options);
  if (sc.what_if) {
    const plain_blend after = as_plain(sc.what_if->after.blended);
    row.value = calculation{after.s, after.r, {}, {}, {}};
    append_csv_row(out, row, what_if_label(view_of(sc)), options);
  }
}

void append_segmented_table(std::string& out, const outcome& o, const writer_options& options) {
  const segmented_calculation& sc = std::get<segmented_calculation>(o.value);
  const segmented_result& sr = sc.segments;
  out += batch_prefix(o, options);
  if (options.cmd == command::check) {
    const plain_blend b = as_plain(sr.blended);
    const std::string line = verdict_line(b.s, b.r);  // "PASS: LTV …"
    out += line.substr(0, 4) + " (blended)" + line.substr(4) + "\n";
    for (const auto& s : sr.segments) {
      out += "  " + s.name + ": ";
      out += s.result.meets_target ? verdict_line(s.input, s.result) : "no LTV:CAC (CAC 0)";
      out += '\n';
    }
  } else {
    out += "Customer lifetime value by segment (LTV and CAC per customer, payback in months)\n\n";
    append_side_by_side(out, sr);
    out += '\n';
    out += blended_sentence(sr.blended);
    out += '\n';
  }
  if (sc.what_if) {
    out += '\n';
    append_what_if_table(out, view_of(sc), "");
    // The what-if is shown, not judged: say which verdict the exit code is.
    if (options.cmd == command::check && sr.blended.meets_target)
      out += fmt::format("  The exit code follows today's blended verdict ({}), not the what-if.\n",
                         *sr.blended.meets_target ? "PASS" : "FAIL");
  }
  if (options.explain)
    for (const auto& s : sr.segments) out += "\n" + s.name + ": " + explain(s.input, s.result);
  if (options.batch && options.cmd != command::check) out += '\n';
}

void append_plan_what_if_json(std::string& out, const calculation& c) {
  append_what_if_json(out, view_of(c));
}

void append_plan_what_if_csv(std::string& out, const outcome& o, const writer_options& options) {
  const calculation& c = std::get<calculation>(o.value);
  const plain_blend after = as_plain(c.what_if->after);
  const outcome row{o.from, o.id_json, calculation{after.s, after.r, {}, {}, {}}};
  append_csv_row(out, row, what_if_label(view_of(c)), options);
}

void append_plan_what_if_table(std::string& out, const outcome& o, const writer_options& options) {
  const calculation& c = std::get<calculation>(o.value);
  const std::string_view indent = options.batch ? "  " : "";
  if (!options.batch) out += '\n';
  append_what_if_table(out, view_of(c), indent);
  // The what-if is shown, not judged: say which verdict the exit code is.
  if (const std::optional<bool> pass = passes_check(c.result);
      options.cmd == command::check && pass)
    out += fmt::format("{}  The exit code follows today's verdict ({}), not the what-if.\n", indent,
                       *pass ? "PASS" : "FAIL");
}

}  // namespace cltv::cli
