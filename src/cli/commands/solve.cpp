#include "commands/solve.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <optional>
#include <vector>

#include "cltv/formulas.hpp"
#include "cltv/solve.hpp"
#include "io/batch.hpp"
#include "io/messages.hpp"
#include "io/outcome_writers.hpp"
#include "io/record_reader.hpp"
#include "io/scenario_json.hpp"
#include "io/segment_flags.hpp"
#include "io/text.hpp"
#include "io/threads.hpp"
#include "io/writers.hpp"

namespace cltv::cli {
namespace {

constexpr const char* solve_examples =
    R"(Fields (the one input left out; every other input as for calc):
  cac            maximum CAC (= LTV / target)
  churn          maximum churn per period, and the matching minimum lifetime 1 / churn
  lifetime       minimum fixed lifetime (contract_length)
  arpu           minimum value per period (value)
  gross_margin   minimum gross margin
  cost_to_serve  maximum cost to serve per period
cac, arpu, gross_margin and cost_to_serve are solved in closed form (LTV is
linear in them); churn and lifetime with a bracketed root finder (TOMS 748).
Without FIELD, solve answers every limit at once, each with the other inputs as
given: max CAC, max churn (or min lifetime when one is given; none when counts
or an sBG curve give the churn), min ARPU, min gross margin, and max cost to
serve when one is given. Table: a row per field with today's value; json: one
record with "limits" keyed by field; csv: a row per field.
With --max-payback N the answer also keeps CAC / margin per period within N
periods: the stricter rule binds and is named (max CAC = min(LTV / target,
N x margin)); churn and lifetime do not move the payback.

Examples:
  cltv solve --arpu 49 --churn 3.5% --gross-margin 80% --cac 600   # all limits: exit 1
  cltv solve cac --arpu 50 --churn 4%                  # max CAC 416.66 for 3x
  cltv solve churn --arpu 50 --cac 300                 # max churn 5.5555%, min lifetime 18
  cltv solve --for arpu --churn 4% --cac 300 --gross-margin 80% --target 4
  cltv solve churn --arpu 50 --cac 300 --horizon 12    # unreachable: exit 1
  cltv solve cac --input examples/batch.ndjson --format csv
  cltv solve cac --input examples/batch.ndjson --threads 1   # one core (default: all available)
  cltv solve cac --arpu 50 --sbg-model sbg.json --discount-rate 1%   # sBG lifetime
  cltv solve cac --arpu 49 --churn 3.5% --gross-margin 80% --max-payback 6
      # max CAC 235.20: the payback rule binds (LTV:CAC 3x alone allows 373.33)
  cltv solve --arpu 49 --churn 3.5% --gross-margin 80% --cac 600 --max-payback 12
      # every limit under both rules, each naming the rule that binds: exit 1

Exit codes: 0 solved (every record of a batch, every limit), 1 the target (or
the payback limit) is unreachable for at least one record or limit (the reason
is printed), 2 bad input or usage (wins over 1).)";

// One record's answer: a solution (solve FIELD), its limits (solve without a
// field) or an input error.
struct solved_outcome {
  origin from;
  std::string id_json;
  std::optional<solution> answer;
  std::optional<std::vector<field_limit>> limits;
  std::optional<error> failure;
};

// The solved value for people: rates as percentages, amounts as money.
std::string value_text(solve_field f, double x, period p) {
  switch (f) {
    case solve_field::churn:
      return percent(x) + " per " + std::string(to_string(p));
    case solve_field::gross_margin:
      return percent(x);
    case solve_field::lifetime:
      return trimmed_number(x, 4) + " " + std::string(plural(p));
    case solve_field::cac:
      return money(x);
    case solve_field::arpu:
    case solve_field::cost_to_serve:
      return money(x) + " per " + std::string(to_string(p));
  }
  return money(x);
}

// The decimals value_text prints of the field's value: a percentage's four
// are six of the rate.
int printed_decimals(solve_field f) {
  switch (f) {
    case solve_field::churn:
    case solve_field::gross_margin:
      return 6;
    case solve_field::lifetime:
      return 4;
    case solve_field::cac:
    case solve_field::arpu:
    case solve_field::cost_to_serve:
      return 2;
  }
  return 2;
}

// The solution as a person reads it: the printed value passes check, and the
// verification is evaluated at it (JSON and CSV keep the exact value).
solution as_printed(const solution& s) {
  return rounded(s, printed_decimals(s.field), printed_decimals(solve_field::lifetime));
}

// With max_payback: which rule binds, and what the other alone would allow,
// rounded on its safe side as the answer is: "the payback rule binds;
// LTV:CAC 3× alone allows 373.33".
std::string binding_text(const solution& s, period p) {
  const bool payback_binds = s.binding == check_rule::payback;
  const std::optional<double>& other = payback_binds ? s.ltv_cac_value : s.payback_value;
  std::string text = payback_binds ? "the payback rule binds" : "the LTV:CAC rule binds";
  if (other) {
    const int decimals = printed_decimals(s.field);
    const double shown = solves_for_maximum(s.field) ? rounded_maximum(*other, decimals)
                                                     : rounded_minimum(*other, decimals);
    const char* verb = solves_for_maximum(s.field) ? "allows" : "needs";
    text += payback_binds
                ? fmt::format("; LTV:CAC {}× alone {} ", trimmed_number(s.target, 4), verb)
                : fmt::format("; payback within {} alone {} ",
                              periods_text(*s.input.max_payback, p), verb);
    text += value_text(s.field, shown, p);
  } else if (!payback_binds) {
    text += fmt::format("; payback is within {} whatever the {}",
                        periods_text(*s.input.max_payback, p), label(s.field));
  }
  return text;
}

// "Maximum CAC: 416.66 (LTV:CAC = 3×)" or "Maximum churn: unreachable — …"
std::string headline(const solution& s, period p) {
  std::string head = fmt::format("{} {}: ", bound_name(s.field), label(s.field));
  head[0] = static_cast<char>(head[0] - 'a' + 'A');
  if (!s.reachable) return head + "unreachable — " + s.reason + ".";
  head += value_text(s.field, s.value, p);
  if (s.lifetime) {
    std::string unit(plural(p));
    if (trimmed_number(*s.lifetime, 4) == "1") unit.pop_back();
    head += fmt::format(" (minimum lifetime {} {})", trimmed_number(*s.lifetime, 4), unit);
  }
  if (s.binding == check_rule::payback)
    head += fmt::format(" for payback = {}", periods_text(*s.input.max_payback, p));
  else
    head += fmt::format(" for LTV:CAC = {}×", trimmed_number(s.target, 4));
  if (!s.note.empty()) head += " — " + s.note;
  if (s.input.max_payback) head += " (" + binding_text(s, p) + ")";
  return head;
}

// A limit's number as the limits table prints it (its title names the period).
std::string table_value(solve_field f, double x, period p) {
  switch (f) {
    case solve_field::churn:
    case solve_field::gross_margin:
      return percent(x);
    case solve_field::lifetime:
      return trimmed_number(x, 4) + " " + std::string(plural(p));
    case solve_field::cac:
    case solve_field::arpu:
    case solve_field::cost_to_serve:
      break;
  }
  return money(x);
}

// The limits of one scenario: a title, then a row per input with its limit,
// its value today and what else there is to say (the minimum lifetime, a
// note, or why it is unreachable).
//
//   Limits for LTV:CAC = 3× (per month), each input with the others as given:
//
//                               limit      now
//     Maximum CAC              373.33   600.00
//     Minimum gross margin  unreachable    80%   needs 128.5714%: even at …
//
// In a batch the title starts with the record's label ("basic (line 1): limits …").
std::string limits_table(const std::vector<field_limit>& limits, const std::string& record) {
  struct row {
    std::string label, limit, now, detail;
  };
  std::vector<row> rows{{"", "limit", "now", ""}};
  double target = default_target;
  std::optional<double> max_payback;
  period p = period::month;
  for (const field_limit& l : limits) {
    const solution s = as_printed(l.answer);
    target = s.target;
    max_payback = s.input.max_payback;
    p = s.input.period.value_or(period::month);
    row r{fmt::format("{} {}", bound_name(s.field), label(s.field)), "unreachable",
          table_value(s.field, l.current, p), ""};
    r.label[0] = static_cast<char>(r.label[0] - 'a' + 'A');
    if (s.reachable) {
      r.limit = table_value(s.field, s.value, p);
      if (s.lifetime)
        r.detail = "minimum lifetime " + table_value(solve_field::lifetime, *s.lifetime, p);
      if (!s.note.empty()) r.detail += (r.detail.empty() ? "" : "; ") + s.note;
      if (s.input.max_payback) r.detail += (r.detail.empty() ? "" : "; ") + binding_text(s, p);
    } else {
      if (s.needed) r.detail = "needs " + table_value(s.field, *s.needed, p) + ": ";
      r.detail += s.reason;
      if (s.binding == check_rule::payback && s.ltv_cac_value) {  // the other rule alone
        const int decimals = printed_decimals(s.field);
        const bool maximum = solves_for_maximum(s.field);
        const double shown = maximum ? rounded_maximum(*s.ltv_cac_value, decimals)
                                     : rounded_minimum(*s.ltv_cac_value, decimals);
        r.detail += fmt::format("; LTV:CAC {}× alone {} {}", trimmed_number(s.target, 4),
                                maximum ? "allows" : "needs", table_value(s.field, shown, p));
      }
    }
    rows.push_back(std::move(r));
  }
  std::size_t label_width = 0, limit_width = 0, now_width = 0;
  for (const row& r : rows) {
    label_width = std::max(label_width, display_width(r.label));
    limit_width = std::max(limit_width, display_width(r.limit));
    now_width = std::max(now_width, display_width(r.now));
  }
  const std::string payback_rule =
      max_payback ? " and payback within " + periods_text(*max_payback, p) : std::string();
  std::string text = fmt::format(
      "{} for LTV:CAC = {}×{} (per {}), each input with the others as "
      "given:\n\n",
      record.empty() ? "Limits" : record + ": limits", trimmed_number(target, 4), payback_rule,
      to_string(p));
  for (const row& r : rows) {
    std::string line = "  " + pad_right(r.label, label_width) + "  " +
                       pad_left(r.limit, limit_width) + "  " + pad_left(r.now, now_width);
    if (!r.detail.empty()) line += "   " + r.detail;
    while (!line.empty() && line.back() == ' ') line.pop_back();
    text += line + '\n';
  }
  return text;
}

// ---- writers -----------------------------------------------------------------

// "binding": the rule that sets the answer (or that cannot be met), and with
// max_payback each rule's own answer, when it has one.
void append_binding_json(std::string& buf, const solution& s) {
  buf += ",\"binding\":";
  append_json_string(buf, to_string(s.binding));
  if (s.ltv_cac_value) {
    buf += ",\"ltv_cac_value\":";
    append_number(buf, *s.ltv_cac_value);
  }
  if (s.payback_value) {
    buf += ",\"payback_value\":";
    append_number(buf, *s.payback_value);
  }
}

// The keys of one solution, "solve" first, without the braces; a limit of
// solve without a field adds the rule that binds it, the current value and,
// when unreachable, the value it would take.
void append_solution_keys(std::string& buf, const solution& s, const field_limit* limit) {
  buf += "\"solve\":";
  append_json_string(buf, to_string(s.field));
  buf += ",\"bound\":";
  append_json_string(buf, bound_name(s.field));
  if (limit) {
    buf += ",\"current\":";
    append_number(buf, limit->current);
  }
  buf += ",\"target\":";
  append_number(buf, s.target);
  buf += ",\"reachable\":";
  buf += s.reachable ? "true" : "false";
  if (limit || s.input.max_payback) append_binding_json(buf, s);
  if (!s.reachable) {
    buf += ",\"period\":";
    append_json_string(buf, to_string(s.input.period.value_or(period::month)));
    buf += ",\"reason\":";
    append_json_string(buf, s.reason);
    if (limit && s.needed) {
      buf += ",\"needed\":";
      append_number(buf, *s.needed);
    }
    return;
  }
  buf += ",\"value\":";
  append_number(buf, s.value);
  buf += ",\"period\":";
  append_json_string(buf, to_string(s.solved.period));
  if (s.lifetime) {
    buf += ",\"min_lifetime\":";
    append_number(buf, *s.lifetime);
  }
  if (!s.note.empty()) {
    buf += ",\"note\":";
    append_json_string(buf, s.note);
  }
  buf += ",\"verification\":";
  append_json_record(buf, outcome{{}, {}, calculation{s.solved, s.check, {}, {}, {}}});
}

// {"id":…,"solve":"cac",…} for solve FIELD; {"id":…,"limits":{"cac":{…},…}}
// without a field.
void append_solution_json(std::string& buf, const solved_outcome& o) {
  if (o.failure) {
    append_json_record(buf, outcome{o.from, o.id_json, *o.failure});
    return;
  }
  buf += '{';
  if (!o.id_json.empty()) {
    buf += "\"id\":";
    buf += o.id_json;
    buf += ',';
  }
  if (!o.limits) {
    append_solution_keys(buf, *o.answer, nullptr);
    buf += '}';
    return;
  }
  buf += "\"limits\":{";
  for (const field_limit& l : *o.limits) {
    if (&l != &o.limits->front()) buf += ',';
    append_json_string(buf, to_string(l.answer.field));
    buf += ":{";
    append_solution_keys(buf, l.answer, &l);
    buf += '}';
  }
  buf += "}}";
}

class solve_writer {
 public:
  // `limits`: solve without a field (a table per record in a batch).
  solve_writer(output& out, output_format format, bool batch, bool limits, bool color)
      : out_(out), format_(format), batch_(batch), limits_(limits), color_(color) {
    if (format_ == output_format::csv)
      out_.write(
          "record,line,id,solve,bound,period,reachable,value,min_lifetime,ltv,cac,ltv_cac_ratio,"
          "target,binding,current,needed,note,reason,error\n");
  }

  void write(const solved_outcome& o) {
    std::string& buf = out_.buffer();
    switch (format_) {
      case output_format::ndjson:
        append_solution_json(buf, o);
        buf += '\n';
        break;
      case output_format::json:
        if (batch_) buf += count_ == 0 ? "[\n" : ",\n";
        append_solution_json(buf, o);
        if (!batch_) buf += '\n';
        break;
      case output_format::csv:
        write_csv(buf, o);
        break;
      case output_format::table:
        write_table(o);
        break;
    }
    ++count_;
    out_.maybe_flush();
  }

  void finish() {
    if (format_ == output_format::json && batch_) out_.write(count_ == 0 ? "[]\n" : "\n]\n");
  }

 private:
  static void cell(std::string& buf, std::optional<double> x) {
    buf += ',';
    if (x) append_number(buf, *x);
  }

  static void write_csv(std::string& buf, const solved_outcome& o) {
    // The record's columns: record, line, id.
    std::string record;
    append_number(record, static_cast<double>(o.from.index + 1));
    record += ',';
    if (o.from.line > 0) append_number(record, static_cast<double>(o.from.line));
    record += ',';
    if (o.id_json.size() >= 2 && o.id_json.front() == '"')
      append_csv_field(record, decode_json_string(o.id_json));
    else
      record += o.id_json;
    if (o.failure) {
      buf += record;
      buf += ",,,,,,,,,,,,,,,,";
      append_csv_field(buf, o.failure->message);
      buf += '\n';
      return;
    }
    if (!o.limits) {
      buf += record;
      write_csv_solution(buf, *o.answer, nullptr);
      return;
    }
    for (const field_limit& l : *o.limits) {  // a row per limit
      buf += record;
      write_csv_solution(buf, l.answer, &l);
    }
  }

  // The columns from "solve" on, and the end of the row; `limit` for a row of
  // solve without a field (its current value and, unreachable, the value needed).
  static void write_csv_solution(std::string& buf, const solution& s, const field_limit* limit) {
    buf += ',';
    buf += to_string(s.field);
    buf += ',';
    buf += bound_name(s.field);
    buf += ',';
    buf += to_string(s.input.period.value_or(period::month));
    buf += s.reachable ? ",true" : ",false";
    if (s.reachable) {
      cell(buf, s.value);
      cell(buf, s.lifetime);
      cell(buf, s.check.ltv);
      cell(buf, s.solved.cac);
      cell(buf, s.check.ltv_cac_ratio);
    } else {
      buf += ",,,,,";
    }
    cell(buf, s.target);
    buf += ',';
    buf += to_string(s.binding);
    cell(buf, limit ? std::optional<double>(limit->current) : std::nullopt);
    cell(buf, limit && !s.reachable ? s.needed : std::nullopt);
    buf += ',';
    append_csv_field(buf, s.note);
    buf += ',';
    append_csv_field(buf, s.reason);
    buf += ",\n";
  }

  void write_table(const solved_outcome& o) {
    std::string& buf = out_.buffer();
    // A batch of limits: each record's table under its label, a blank line between.
    if (limits_ && batch_ && count_ > 0) buf += '\n';
    if (o.limits) {
      buf += limits_table(*o.limits, batch_ ? record_label(o.from, o.id_json) : std::string());
      return;
    }
    if (batch_) {
      buf += record_label(o.from, o.id_json) + ": ";
      if (o.failure)
        buf += "error: " + o.failure->message;
      else
        buf += headline(as_printed(*o.answer), o.answer->input.period.value_or(period::month));
      buf += '\n';
      return;
    }
    const solution s = as_printed(*o.answer);
    if (!s.reachable) {
      buf += headline(s, s.input.period.value_or(period::month)) + "\n";
      return;
    }
    buf += headline(s, s.solved.period) + "\n\n";
    buf += fmt::format("Check at {} {}:\n", label(s.field),
                       value_text(s.field, s.value, s.solved.period));
    // The verification is the calc table at the solved value.
    writer_options wo{output_format::table, command::calc, false, false, color_};
    auto calc = make_writer(wo, out_);
    calc->write(outcome{{}, {}, calculation{s.solved, s.check, {}, {}, {}}});
    calc->finish();
  }

  output& out_;
  output_format format_;
  bool batch_;
  bool limits_;
  bool color_;
  std::size_t count_ = 0;
};

// ---- running -------------------------------------------------------------------

output_format parse_format(const solve_options& options, bool batch) {
  if (options.json) return output_format::json;
  if (!options.format.empty()) return format_named(options.format);
  return batch ? output_format::ndjson : output_format::table;
}

// The worst of the record: an error, an unreachable limit (as in a batch), or 0.
int code_of(const solved_outcome& o) {
  if (o.failure) return 2;
  if (o.limits)
    return std::all_of(o.limits->begin(), o.limits->end(),
                       [](const field_limit& l) { return l.answer.reachable; })
               ? 0
               : 1;
  return o.answer->reachable ? 0 : 1;
}

template <class T>
void solve_into(result<T> r, std::optional<T>& answer, solved_outcome& o) {
  if (r)
    answer = std::move(*r);
  else
    o.failure = std::move(r).error();
}

// solve FIELD, or every limit when `field` is nullopt.
void solve_into(const scenario_input& saved, const scenario_input& flags,
                std::optional<solve_field> field, solved_outcome& o) {
  if (field)
    solve_into(solve_saved(saved, flags, *field), o.answer, o);
  else
    solve_into(solve_limits_saved(saved, flags), o.limits, o);
}

int run_from_flags(const solve_options& options, const scenario_input& flags,
                   std::optional<solve_field> field) {
  solved_outcome o;
  if (field)
    solve_into(solve(flags, *field), o.answer, o);
  else
    solve_into(solve_limits(flags), o.limits, o);
  if (o.failure) {
    print_error(o.failure->message);
    return 2;
  }
  output out(STDOUT_FILENO);
  solve_writer writer(out, parse_format(options, false), false, !field, use_color(options.color));
  writer.write(o);
  writer.finish();
  return finish_output(out, code_of(o));
}

// solve over the records of --input.
class solve_records final : public record_command {
 public:
  solve_records(const solve_options& options, const scenario_input& flags,
                std::optional<solve_field> field)
      : options_(options), flags_(flags), field_(field), period_warning_(flags) {}

  record_status evaluate(const record& rec, bool from_array) override {
    outcome_ = solved_outcome{};
    outcome_.from = origin{rec.index, rec.line, from_array};
    error parse_error;
    const bool parsed = parse_record(parser_, rec, parsed_, parse_error);
    outcome_.id_json = parsed_.id_json;
    std::string period_note;  // the record's label, when the flags reinterpret its period
    if (!parsed) {
      outcome_.failure = std::move(parse_error);
    } else if (parsed_.has_segments) {
      outcome_.failure = segments_unsupported("solve");
    } else if (!parsed_.annual.empty()) {
      outcome_.failure = annual_plan_unsupported("solve");
    } else {
      if (period_warning_.applies(parsed_.input))
        period_note = record_label(outcome_.from, parsed_.id_json);
      solve_into(parsed_.input, flags_, field_, outcome_);
    }
    return {code_of(outcome_), outcome_.failure ? &*outcome_.failure : nullptr, outcome_.from.line,
            std::move(period_note)};
  }
  void start(output& out, bool batch) override {
    writer_.emplace(out, parse_format(options_, batch), batch, !field_, use_color(options_.color));
  }
  void write() override { writer_->write(outcome_); }
  void finish() override { writer_->finish(); }
  void remark(std::string label) override { period_warning_.add(std::move(label)); }
  [[nodiscard]] std::unique_ptr<record_command> fork() const override {
    const output_format format = parse_format(options_, true);
    if (format != output_format::ndjson && format != output_format::csv) return nullptr;
    return std::make_unique<solve_records>(options_, flags_, field_);
  }
  [[nodiscard]] const period_override_warning& period_warning() const { return period_warning_; }

 private:
  const solve_options& options_;
  const scenario_input& flags_;
  std::optional<solve_field> field_;  // nullopt: every limit
  period_override_warning period_warning_;
  scenario_parser parser_;
  parsed_scenario parsed_;
  solved_outcome outcome_;
  std::optional<solve_writer> writer_;
};

int run_from_input(const solve_options& options, const scenario_input& flags,
                   std::optional<solve_field> field, int threads) {
  solve_records records(options, flags, field);
  const int code = run_records(options.input, records,
                               {scenario_format_of(options.input, options.input_format), true,
                                is_stream_format(options.format), threads});
  records.period_warning().print();
  return code;
}

}  // namespace

CLI::App* setup_solve(CLI::App& app, solve_options& options) {
  CLI::App* sub = app.add_subcommand(
      "solve",
      "Goal-seek one input (cac, churn, lifetime, arpu, ...) so that LTV:CAC = target, or all "
      "limits at once");
  sub->footer(solve_examples);
  // First: CLI11 ends the help with a blank line when the hidden group is its last.
  add_unsupported_segment_flag(*sub, options.segments);
  add_unsupported_annual_flags(*sub, options.annual);
  sub->add_option("field", options.field,
                  "The input to solve for: cac, churn, lifetime, arpu, gross_margin, cost_to_serve "
                  "(none: every limit)")
      ->type_name("FIELD");
  sub->add_option("--for", options.for_field, "Same as the FIELD argument")->type_name("FIELD");
  add_scenario_flags(*sub, options.scenario_flags, options.scenario_options);
  add_sbg_model_option(*sub, options.sbg_model);
  add_scenario_io_options(
      *sub, options.input, options.input_format, options.format, options.json,
      "Read scenarios from a JSON, NDJSON or CSV file (- for stdin); flags override its fields",
      "Output: table (default for one scenario), json, ndjson (default for a batch), csv");
  add_batch_threads_option(*sub, options.threads);
  sub->add_option("--color", options.color,
                  "Colour the verification: auto (default), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->option_text("auto|always|never")
      ->group("Input and output");
  return sub;
}

int run_solve(const solve_options& options) {
  if (!options.field.empty() && !options.for_field.empty() && options.field != options.for_field) {
    print_error(fmt::format("give the field to solve for once (got \"{}\" and --for \"{}\")",
                            printable(options.field), printable(options.for_field)));
    return 2;
  }
  if (!options.segments.empty()) {
    print_error(segments_unsupported("solve").message);
    return 2;
  }
  if (!options.annual.empty()) {
    print_error(annual_plan_unsupported("solve").message);
    return 2;
  }
  const std::string& name = options.field.empty() ? options.for_field : options.field;
  std::optional<solve_field> field;  // none: every limit at once
  if (!name.empty()) {
    auto named = solve_field_named(name);
    if (!named) {
      print_error(named.error().message);
      return 2;
    }
    field = *named;
  }
  auto flags = parse_scenario_flags(options.scenario_flags, options.scenario_options);
  if (!flags) {
    print_error(flags.error().message);
    return 2;
  }
  if (field && (*field == solve_field::churn || *field == solve_field::lifetime) &&
      !options.sbg_model.empty()) {
    print_error(fmt::format(
        "--sbg-model gives the lifetime (an sBG retention curve), but solve {} finds the {} {}, "
        "which replaces it: leave --sbg-model out",
        to_string(*field), bound_name(*field), to_string(*field)));
    return 2;
  }
  if (auto e = apply_sbg_model(options.sbg_model, options.input, *flags)) {
    print_error(e->message);
    return 2;
  }
  if (field) {
    if (auto e = given_for_solved(*flags, *field)) {  // once, not once per record
      print_error(e->message);
      return 2;
    }
  }
  const auto threads = parse_thread_count(options.threads);
  if (!threads) {
    print_error(threads.error().message);
    return 2;
  }
  if (options.input.empty()) return run_from_flags(options, *flags, field);
  return run_from_input(options, *flags, field, *threads);
}

}  // namespace cltv::cli
