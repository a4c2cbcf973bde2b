#include "commands/calc.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <optional>
#include <variant>

#include "cltv/calculation.hpp"
#include "cltv/number.hpp"
#include "io/batch.hpp"
#include "io/messages.hpp"
#include "io/outcome_writers.hpp"
#include "io/record_reader.hpp"
#include "io/scenario_json.hpp"
#include "io/segment_flags.hpp"
#include "io/threads.hpp"

namespace cltv::cli {
namespace {

constexpr const char* calc_examples = R"(Examples:
  cltv calc --arpu 50 --churn 4% --cac 300
  cltv calc --aov 60 --purchase-frequency 0.5 --lifetime 24 --gross-margin 40% --cac 150
  cltv calc --arpu 600 --period year --churn 20% --discount-rate 8% --explain
  cltv calc --input examples/saas.json --churn 3%          # what-if over a saved scenario
  cat examples/batch.ndjson | cltv calc --input - --format ndjson | jq .ltv
  cltv calc --input examples/batch.ndjson --format csv > results.csv
  cltv calc --input examples/batch.ndjson --threads 1   # one core (default: all available)
  cltv calc --arpu 50 --sbg-model sbg.json --discount-rate 1% --cac 300   # sBG lifetime
  cltv calc --arpu 50 --churn 4% --expansion 1% --cac 300     # revenue grows 1 %/month
  cltv calc --arpu 50 --churn 4% --discount-rate 1% --reconcile   # other conventions
  cltv calc --arpu 50 --customers-start 300 --customers-lost 12 --confidence 95% --cac 300

Segments (tiers): each --segment is NAME:KEY=VALUE,... with the snake_case keys
of a JSON segment: any scenario input (arpu, churn, cac, ...) plus customers (a
count) or share (0..1; shares must sum to 1), billing (monthly | annual) and
annual_price, annual_churn (the annual plan; required with billing=annual,
computed per year). A segment inherits every top-level input it does not give
(flags set top-level inputs; a segment's own fields win over them).
  cltv calc --cac 40 --segment 'ads:arpu=5,churn=8%,share=0.75' --segment 'premium:arpu=20,churn=4%,share=0.25'
  cltv calc --input examples/tiers.json --what-if annual_share=40%
--what-if annual_share=RATE moves that share of every monthly segment's customers
to the segment's own annual_price (required) and annual_churn (left out: derived
from the segment's monthly churn c as 1 - (1 - c)^12, and the output says so).

Annual billing without segments: --annual-price and --annual-churn (JSON keys and
CSV columns annual_price, annual_churn) give a monthly plan its annual plan; with
--what-if the plan is shown as it is and as the blend after the move. Without
--what-if they are checked and echoed in the JSON "inputs", nothing more. Without
--annual-churn it is derived from the monthly churn (cltv convert shows the rule).
  cltv calc --arpu 49 --churn 4% --gross-margin 80% --cac 600 --annual-price 490 --annual-churn 25% --what-if annual_share=40%
  cltv calc --arpu 49 --churn 3.5% --gross-margin 80% --cac 600 --annual-price 490 --what-if annual_share=40%

Inputs can also come as JSON (--input FILE, - for stdin) with the same names in
snake_case: {"arpu": 50, "churn": "4%", "cac": 300}. Several objects (NDJSON, one
per line) or a JSON array make a batch: one output record per input record, in
order; written as ndjson or csv it is evaluated on --threads cores.
Or as CSV (*.csv, or --input-format csv): a header of the same names, one
scenario per row (arpu,churn,cac then 50,4%,300; an empty cell is not given;
segments are JSON only). Flags override the input. Exit codes: 0 ok, 2 bad
input or usage.)";

constexpr const char* check_examples = R"(Examples:
  cltv check --arpu 50 --churn 4% --cac 300          # PASS, exit 0
  cltv check --arpu 50 --churn 4% --cac 500          # FAIL, exit 1
  cltv check --arpu 50 --churn 4% --cac 500 --target 2.5
  cltv check --input examples/failing-check.json --explain   # why it fails: exit 1
  cltv check --input examples/batch.ndjson --format ndjson | jq 'select(.meets_target == false)'
      # one record fails: exit 1
  cltv check --arpu 50 --customers-start 300 --customers-lost 12 --confidence 95% --cac 300
      # the interval reaches below 3x: exit 1

A payback rule besides the ratio: --max-payback N fails the check when the
simple payback, CAC / margin per period, exceeds N periods; the verdict names
the rules that fail (LTV:CAC, payback, or both; JSON: meets_payback,
failed_rules).
  cltv check --arpu 49 --churn 2% --gross-margin 80% --cac 600 --max-payback 12
      # FAIL (payback): 3.27x meets 3x, but 600 / 39.20 = 15.31 months > 12: exit 1

With --what-if (a plan's --annual-price and --annual-churn, or segments) the exit
code follows today's verdict: the what-if is shown, not judged.
  cltv check --arpu 49 --churn 4% --gross-margin 80% --cac 600 --annual-price 490 --annual-churn 25% --what-if annual_share=40%
      # FAIL today (1.63x), 2.03x after the move: exit 1

With segments (--segment or "segments" in the JSON, see cltv calc --help) check
decides on the blend: PASS when blended LTV >= target x blended CAC, where the
blend weighs each segment's LTV and CAC by its customers; each tier's own verdict
is shown but does not change the exit code. Every segment needs a CAC. With
--what-if the exit code still follows today's blended verdict: the what-if is
shown, not judged.
  cltv check --input examples/tiers.json             # PASS (blended), ads tier FAIL

Exit codes: 0 LTV >= target x CAC (and, with --max-payback, payback within it) for
every record of a batch, 1 at least one record falls short, 2 bad input or usage
(wins over 1). With --confidence, a record passes only if its whole LTV:CAC
interval meets the target.)";

// The line a field's error points at: the record's first line, or, in a
// multi-line record, the line where the field's key appears.
std::size_t line_of_field(const record& rec, const std::string& field) {
  if (field.empty() || rec.text.find('\n') == std::string_view::npos) return rec.line;
  const std::size_t at = rec.text.find("\"" + field + "\"");
  if (at == std::string_view::npos) return rec.line;
  return rec.line +
         static_cast<std::size_t>(std::count(
             rec.text.begin(), rec.text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
}

// Segments from flags (replacing a record's), the --what-if share and the
// annual plan from --annual-price and --annual-churn (each over a record's).
struct segment_flags {
  std::vector<segment_input> segments;
  std::optional<double> annual_share;
  annual_plan_input annual_plan;
};

// A record's annual plan with the flags' fields laid over it.
annual_plan_input with_overrides(annual_plan_input base, const annual_plan_input& overrides) {
  if (overrides.annual_price) base.annual_price = overrides.annual_price;
  if (overrides.annual_churn) base.annual_churn = overrides.annual_churn;
  return base;
}

template <typename T>
void store(outcome_value& value, result<T>&& r) {
  if (r)
    value = std::move(r).value();
  else
    value = std::move(r).error();
}

// The one path every scenario takes, from flags or from a record: with
// `segments` (nullptr: none) the segments are evaluated and blended; a
// what-if moves customers to the annual plans (the library's rules).
void calculate_outcome(outcome_value& value, const scenario_input& input,
                       const std::vector<segment_input>* segments,
                       const annual_plan_input& annual_plan, const calc_options& options,
                       const segment_flags& flags) {
  const calculation_options how{options.cmd == command::check, options.reconcile,
                                flags.annual_share};
  if (segments)
    store(value, calculate_segments(input, *segments, how, annual_plan));
  else
    store(value, calculate_scenario(input, how, annual_plan));
}

output_format parse_format(const calc_options& options, bool batch) {
  if (options.json) return output_format::json;
  if (!options.format.empty()) return format_named(options.format);
  return batch && !options.explain ? output_format::ndjson : output_format::table;
}

int exit_code_for(const calc_options& options, const outcome& o) {
  if (std::holds_alternative<error>(o.value)) return 2;
  if (options.cmd != command::check) return 0;
  if (const auto* segmented = std::get_if<segmented_calculation>(&o.value)) {
    // The blended verdict decides.
    const auto& meets = segmented->segments.blended.meets_target;
    return meets && !*meets ? 1 : 0;
  }
  // With a confidence level, check asks about the whole interval; with
  // max_payback, about the payback too.
  const std::optional<bool> pass = judge(std::get<calculation>(o.value).result).passes();
  return pass && !*pass ? 1 : 0;
}

writer_options make_writer_options(const calc_options& options, const scenario_input& flags,
                                   bool batch) {
  writer_options wo{parse_format(options, batch), options.cmd, batch, options.explain,
                    use_color(options.color)};
  wo.reconcile = options.reconcile;
  // CSV columns are fixed by the header, so the command line chooses them.
  wo.expansion_columns = flags.expansion.has_value();
  wo.interval_columns = flags.confidence.has_value();
  wo.payback_columns = flags.max_payback.has_value();
  return wo;
}

// calc and check over the records of --input.
class calc_records final : public record_command {
 public:
  calc_records(const calc_options& options, const scenario_input& flags,
               const segment_flags& segment_flags)
      : options_(options),
        flags_(flags),
        segment_flags_(segment_flags),
        has_flags_(!flags.empty()),
        period_warning_(flags) {}

  record_status evaluate(const record& rec, bool from_array) override {
    outcome_.from = origin{rec.index, rec.line, from_array};
    error parse_error;
    const bool parsed = parse_record(parser_, rec, parsed_, parse_error);
    outcome_.id_json = parsed_.id_json;
    std::string period_note;  // the record's label, when the flags reinterpret its period
    if (!parsed) {
      outcome_.value = std::move(parse_error);
    } else {
      if (has_flags_ && period_warning_.applies(parsed_.input))
        period_note = record_label(outcome_.from, parsed_.id_json);
      const bool segmented = parsed_.has_segments || !segment_flags_.segments.empty();
      const auto& segments =
          segment_flags_.segments.empty() ? parsed_.segments : segment_flags_.segments;
      calculate_outcome(
          outcome_.value, has_flags_ ? with_overrides(parsed_.input, flags_) : parsed_.input,
          segmented ? &segments : nullptr,
          with_overrides(parsed_.annual, segment_flags_.annual_plan), options_, segment_flags_);
    }
    record_status status;
    status.exit_code = exit_code_for(options_, outcome_);
    if (const auto* e = std::get_if<error>(&outcome_.value)) {
      outcome_.from.line = line_of_field(rec, e->field);
      status.failure = e;
    }
    status.line = outcome_.from.line;
    status.remark = std::move(period_note);
    return status;
  }
  void start(output& out, bool batch) override {
    writer_ = make_writer(make_writer_options(options_, flags_, batch), out);
  }
  void write() override { writer_->write(outcome_); }
  void finish() override { writer_->finish(); }
  void remark(std::string label) override { period_warning_.add(std::move(label)); }
  [[nodiscard]] std::unique_ptr<record_command> fork() const override {
    const output_format format = parse_format(options_, true);
    if (format != output_format::ndjson && format != output_format::csv) return nullptr;
    return std::make_unique<calc_records>(options_, flags_, segment_flags_);
  }
  [[nodiscard]] const period_override_warning& period_warning() const { return period_warning_; }

 private:
  const calc_options& options_;
  const scenario_input& flags_;
  const segment_flags& segment_flags_;
  bool has_flags_;
  period_override_warning period_warning_;
  scenario_parser parser_;
  parsed_scenario parsed_;
  outcome outcome_;
  std::unique_ptr<result_writer> writer_;
};

int run_single_from_flags(const calc_options& options, const scenario_input& flags,
                          const segment_flags& segment_flags) {
  outcome o;
  calculate_outcome(o.value, flags,
                    segment_flags.segments.empty() ? nullptr : &segment_flags.segments,
                    segment_flags.annual_plan, options, segment_flags);
  if (const auto* e = std::get_if<error>(&o.value)) {
    print_error(e->message);
    return 2;
  }
  output out(STDOUT_FILENO);
  auto writer = make_writer(make_writer_options(options, flags, false), out);
  writer->write(o);
  writer->finish();
  return finish_output(out, exit_code_for(options, o));
}

int run_input(const calc_options& options, const scenario_input& flags,
              const segment_flags& segment_flags, int threads) {
  calc_records records(options, flags, segment_flags);
  const int code =
      run_records(options.input, records,
                  {scenario_format_of(options.input, options.input_format),
                   options.cmd == command::check, is_stream_format(options.format), threads});
  records.period_warning().print();
  return code;
}

}  // namespace

CLI::App* setup_calc(CLI::App& app, calc_options& options) {
  const bool check = options.cmd == command::check;
  CLI::App* sub =
      check ? app.add_subcommand("check", "Check LTV >= target x CAC (exit 0 pass, 1 fail)")
            : app.add_subcommand("calc", "Compute LTV, net value, LTV:CAC and payback");
  sub->footer(check ? check_examples : calc_examples);
  add_scenario_flags(*sub, options.scenario_flags, options.scenario_options);
  add_sbg_model_option(*sub, options.sbg_model);
  sub->add_option("--segment", options.segments,
                  "A customer segment, NAME:KEY=VALUE,... with the keys of a JSON segment "
                  "(repeat for each segment; replaces the input's segments)")
      ->type_name("SPEC")
      ->group("Segments");
  sub->add_option(
         "--what-if", options.what_if,
         "annual_share=RATE: move that share of the customers (of a plan without segments, "
         "or of each monthly segment) to the annual plan (annual_price, annual_churn) "
         "and show the blended LTV")
      ->type_name("annual_share=RATE")
      ->group("Segments");
  options.annual_price_option =
      sub->add_option("--annual-price", options.annual_price,
                      "The annual plan of a plan without segments: the price of a year (with "
                      "--annual-churn; for --what-if; segments without their own inherit it)")
          ->type_name("NUMBER")
          ->group("Segments");
  options.annual_churn_option =
      sub->add_option("--annual-churn", options.annual_churn,
                      "Share of annual customers who do not renew, 0.25 or 25% (with "
                      "--annual-price; default: derived from a monthly churn c, 1 - (1 - c)^12)")
          ->type_name("RATE")
          ->group("Segments");
  add_scenario_io_options(
      *sub, options.input, options.input_format, options.format, options.json,
      "Read scenarios from a JSON, NDJSON or CSV file (- for stdin); flags override its fields",
      "Output: table (default for one scenario), json, ndjson (default for a batch), csv");
  add_batch_threads_option(*sub, options.threads);
  sub->add_flag("--explain", options.explain,
                "Show each formula with the numbers substituted (table format)")
      ->group("Input and output");
  if (!check)
    sub->add_flag("--reconcile", options.reconcile,
                  "Also show the LTV under other conventions (ARPU / churn, start/end of period, "
                  "Gupta-Lehmann, Skok), each with its definition")
        ->group("Input and output");
  sub->add_option("--color", options.color, "Colour the verdict: auto (default), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->option_text("auto|always|never")
      ->group("Input and output");
  return sub;
}

CLI::App* setup_check(CLI::App& app, calc_options& options) {
  options.cmd = command::check;
  return setup_calc(app, options);
}

int run_calc(const calc_options& options) {
  auto flags = parse_scenario_flags(options.scenario_flags, options.scenario_options);
  if (!flags) {
    print_error(flags.error().message);
    return 2;
  }
  if (auto e = apply_sbg_model(options.sbg_model, options.input, *flags)) {
    print_error(e->message);
    return 2;
  }
  if (options.explain && (options.json || (!options.format.empty() && options.format != "table"))) {
    print_error("--explain needs the table format (drop --format/--json)");
    return 2;
  }
  segment_flags segments;
  for (const auto& text : options.segments) {
    auto segment = parse_segment_flag(text);
    if (!segment) {
      print_error(segment.error().message);
      return 2;
    }
    segments.segments.push_back(*std::move(segment));
  }
  if (!options.what_if.empty()) {
    auto share = parse_what_if(options.what_if);
    if (!share) {
      print_error(share.error().message);
      return 2;
    }
    segments.annual_share = *share;
  }
  struct annual_flag {
    const CLI::Option* option;
    const std::string& text;
    std::string_view key;
  };
  for (const annual_flag flag :
       {annual_flag{options.annual_price_option, options.annual_price, "annual_price"},
        annual_flag{options.annual_churn_option, options.annual_churn, "annual_churn"}}) {
    if (!flag.option || flag.option->count() == 0) continue;
    number_style style{};
    std::optional<double>* slot = annual_plan_field(segments.annual_plan, flag.key, style);
    auto number = parse_number(flag.key, flag.text, style);
    if (!number) {
      print_error(number.error().message);
      return 2;
    }
    *slot = *number;
  }
  const auto threads = parse_thread_count(options.threads);
  if (!threads) {
    print_error(threads.error().message);
    return 2;
  }
  if (options.input.empty()) return run_single_from_flags(options, *flags, segments);
  return run_input(options, *flags, segments, *threads);
}

}  // namespace cltv::cli
