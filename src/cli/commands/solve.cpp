#include "commands/solve.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <optional>

#include "cltv/formulas.hpp"
#include "cltv/solve.hpp"
#include "io/batch.hpp"
#include "io/messages.hpp"
#include "io/outcome_writers.hpp"
#include "io/record_reader.hpp"
#include "io/scenario_json.hpp"
#include "io/segment_flags.hpp"
#include "io/text.hpp"
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
With --max-payback N the answer also keeps CAC / margin per period within N
periods: the stricter rule binds and is named (max CAC = min(LTV / target,
N x margin)); churn and lifetime do not move the payback.

Examples:
  cltv solve cac --arpu 50 --churn 4%                  # max CAC 416.66 for 3x
  cltv solve churn --arpu 50 --cac 300                 # max churn 5.5555%, min lifetime 18
  cltv solve --for arpu --churn 4% --cac 300 --gross-margin 80% --target 4
  cltv solve churn --arpu 50 --cac 300 --horizon 12    # unreachable: exit 1
  cltv solve cac --input examples/batch.ndjson --format csv
  cltv solve cac --arpu 49 --churn 3.5% --gross-margin 80% --max-payback 6
      # max CAC 235.20: the payback rule binds (LTV:CAC 3x alone allows 373.33)

Exit codes: 0 solved (every record of a batch), 1 the target (or the payback
limit) is unreachable for at least one record (the reason is printed), 2 bad
input or usage (wins over 1).)";

// One record's answer: a solution or an input error.
struct solved_outcome {
  origin from;
  std::string id_json;
  std::optional<solution> answer;
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
// rounded on its safe side as the answer is: " (the payback rule binds;
// LTV:CAC 3× alone allows 373.33)".
std::string binding_text(const solution& s, period p) {
  const bool payback_binds = s.binding == check_rule::payback;
  const std::optional<double>& other = payback_binds ? s.ltv_cac_value : s.payback_value;
  std::string text = payback_binds ? " (the payback rule binds" : " (the LTV:CAC rule binds";
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
  return text + ")";
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
  if (s.input.max_payback) head += binding_text(s, p);
  return head;
}

// ---- writers -----------------------------------------------------------------

// With max_payback: "binding" (the rule that sets the answer, or that cannot
// be met) and each rule's own answer, when it has one.
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

void append_solution_json(std::string& buf, const solved_outcome& o) {
  if (o.failure) {
    append_json_record(buf, outcome{o.from, o.id_json, *o.failure});
    return;
  }
  const solution& s = *o.answer;
  buf += '{';
  if (!o.id_json.empty()) {
    buf += "\"id\":";
    buf += o.id_json;
    buf += ',';
  }
  buf += "\"solve\":";
  append_json_string(buf, to_string(s.field));
  buf += ",\"bound\":";
  append_json_string(buf, bound_name(s.field));
  buf += ",\"target\":";
  append_number(buf, s.target);
  buf += ",\"reachable\":";
  buf += s.reachable ? "true" : "false";
  if (s.input.max_payback) append_binding_json(buf, s);
  if (!s.reachable) {
    buf += ",\"period\":";
    append_json_string(buf, to_string(s.input.period.value_or(period::month)));
    buf += ",\"reason\":";
    append_json_string(buf, s.reason);
    buf += '}';
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
  buf += '}';
}

class solve_writer {
 public:
  solve_writer(output& out, output_format format, bool batch, bool color)
      : out_(out), format_(format), batch_(batch), color_(color) {
    if (format_ == output_format::csv)
      out_.write(
          "record,line,id,solve,bound,period,reachable,value,min_lifetime,ltv,cac,ltv_cac_ratio,"
          "target,note,reason,error\n");
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

  void write_csv(std::string& buf, const solved_outcome& o) const {
    append_number(buf, static_cast<double>(o.from.index + 1));
    buf += ',';
    if (o.from.line > 0) append_number(buf, static_cast<double>(o.from.line));
    buf += ',';
    if (o.id_json.size() >= 2 && o.id_json.front() == '"')
      append_csv_field(buf, decode_json_string(o.id_json));
    else
      buf += o.id_json;
    if (o.failure) {
      buf += ",,,,,,,,,,,,,";
      append_csv_field(buf, o.failure->message);
      buf += '\n';
      return;
    }
    const solution& s = *o.answer;
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
    append_csv_field(buf, s.note);
    buf += ',';
    append_csv_field(buf, s.reason);
    buf += ",\n";
  }

  void write_table(const solved_outcome& o) {
    std::string& buf = out_.buffer();
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
  bool color_;
  std::size_t count_ = 0;
};

// ---- running -------------------------------------------------------------------

output_format parse_format(const solve_options& options, bool batch) {
  if (options.json) return output_format::json;
  if (!options.format.empty()) return format_named(options.format);
  return batch ? output_format::ndjson : output_format::table;
}

int code_of(const solved_outcome& o) {
  if (o.failure) return 2;
  return o.answer->reachable ? 0 : 1;
}

void solve_into(result<solution> r, solved_outcome& o) {
  if (r)
    o.answer = std::move(*r);
  else
    o.failure = std::move(r).error();
}

int run_from_flags(const solve_options& options, const scenario_input& flags, solve_field field) {
  solved_outcome o;
  solve_into(solve(flags, field), o);
  if (o.failure) {
    print_error(o.failure->message);
    return 2;
  }
  output out(STDOUT_FILENO);
  solve_writer writer(out, parse_format(options, false), false, use_color(options.color));
  writer.write(o);
  writer.finish();
  return finish_output(out, code_of(o));
}

// solve over the records of --input.
class solve_records final : public record_command {
 public:
  solve_records(const solve_options& options, const scenario_input& flags, solve_field field)
      : options_(options), flags_(flags), field_(field), period_warning_(flags) {}

  record_status evaluate(const record& rec, bool from_array) override {
    outcome_ = solved_outcome{};
    outcome_.from = origin{rec.index, rec.line, from_array};
    error parse_error;
    const bool parsed = parse_record(parser_, rec, parsed_, parse_error);
    outcome_.id_json = parsed_.id_json;
    if (!parsed) {
      outcome_.failure = std::move(parse_error);
    } else if (parsed_.has_segments) {
      outcome_.failure = segments_unsupported("solve");
    } else if (!parsed_.annual.empty()) {
      outcome_.failure = annual_plan_unsupported("solve");
    } else {
      if (period_warning_.applies(parsed_.input))
        period_warning_.add(record_label(outcome_.from, parsed_.id_json));
      solve_into(solve_saved(parsed_.input, flags_, field_), outcome_);
    }
    return {code_of(outcome_), outcome_.failure ? &*outcome_.failure : nullptr, outcome_.from.line};
  }
  void start(output& out, bool batch) override {
    writer_.emplace(out, parse_format(options_, batch), batch, use_color(options_.color));
  }
  void write() override { writer_->write(outcome_); }
  void finish() override { writer_->finish(); }
  [[nodiscard]] const period_override_warning& period_warning() const { return period_warning_; }

 private:
  const solve_options& options_;
  const scenario_input& flags_;
  solve_field field_;
  period_override_warning period_warning_;
  scenario_parser parser_;
  parsed_scenario parsed_;
  solved_outcome outcome_;
  std::optional<solve_writer> writer_;
};

int run_from_input(const solve_options& options, const scenario_input& flags, solve_field field) {
  solve_records records(options, flags, field);
  const int code = run_records(options.input, records,
                               {scenario_format_of(options.input, options.input_format), true,
                                is_stream_format(options.format)});
  records.period_warning().print();
  return code;
}

}  // namespace

CLI::App* setup_solve(CLI::App& app, solve_options& options) {
  CLI::App* sub = app.add_subcommand(
      "solve", "Goal-seek one input (cac, churn, lifetime, arpu, ...) so that LTV:CAC = target");
  sub->footer(solve_examples);
  // First: CLI11 ends the help with a blank line when the hidden group is its last.
  add_unsupported_segment_flag(*sub, options.segments);
  sub->add_option("field", options.field,
                  "The input to solve for: cac, churn, lifetime, arpu, gross_margin, cost_to_serve")
      ->type_name("FIELD");
  sub->add_option("--for", options.for_field, "Same as the FIELD argument")->type_name("FIELD");
  add_scenario_flags(*sub, options.scenario_flags, options.scenario_options);
  add_scenario_io_options(
      *sub, options.input, options.input_format, options.format, options.json,
      "Read scenarios from a JSON, NDJSON or CSV file (- for stdin); flags override its fields",
      "Output: table (default for one scenario), json, ndjson (default for a batch), csv");
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
  const std::string& name = options.field.empty() ? options.for_field : options.field;
  if (name.empty()) {
    print_error(
        fmt::format("solve needs the field to solve for: {} (e.g. 'cltv solve cac --arpu "
                    "50 --churn 4%')",
                    solvable_field_names()));
    return 2;
  }
  auto field = solve_field_named(name);
  if (!field) {
    print_error(field.error().message);
    return 2;
  }
  auto flags = parse_scenario_flags(options.scenario_flags, options.scenario_options);
  if (!flags) {
    print_error(flags.error().message);
    return 2;
  }
  if (auto e = given_for_solved(*flags, *field)) {  // once, not once per record
    print_error(e->message);
    return 2;
  }
  if (options.input.empty()) return run_from_flags(options, *flags, *field);
  return run_from_input(options, *flags, *field);
}

}  // namespace cltv::cli
