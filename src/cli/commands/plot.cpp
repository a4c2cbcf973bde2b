#include "commands/plot.hpp"

#include <fmt/format.h>

#include <array>
#include <string_view>

#include "cltv/grid.hpp"
#include "cltv/payback_curve.hpp"
#include "cltv/segments.hpp"
#include "cltv/survival_curve.hpp"
#include "io/format_option.hpp"
#include "io/messages.hpp"
#include "io/segment_flags.hpp"
#include "io/single_scenario.hpp"
#include "io/whole_file.hpp"
#include "plot/charts.hpp"

namespace cltv::cli {
namespace {

constexpr const char* plot_examples = R"(Kinds:
  payback   the cumulative expected margin per acquired customer by period
            (survival-weighted, discounted), against the CAC and target x CAC;
            marks the expected payback (where it crosses the CAC) and calc's
            simple payback (CAC / margin per period)
  survival  the share of a cohort still active and the retention rate by
            tenure: constant churn, or an sBG curve (--sbg-model, whose fit
            records the counts: drawn as markers)
  grid      a heatmap of a metric over one or two varied inputs, as cltv grid
            (--vary, --metric): cells below the target hatched, and the
            boundary between passing and failing cells drawn
  segments  the LTV of each segment and of the blend, each against its own
            target x CAC (--segment, or "segments" in the --input record)

Of a customer base and its fitted models, each with its own inputs (see
'cltv plot KIND --help'; the subcommands above):
  tracking, holdout   a log split at --calibration-end, the model fitted to
                      the calibration period
  frequency, matrix   an RFM summary (or --log) and a purchase model (--model
                      FILE, or fitted on the spot)
  cohorts             a log
  clv                 what cltv clv reads: a summary and models (or fitted)

The scenario is given as for calc: flags, or one record of --input (flags
override its fields). The chart is SVG; --format csv or json writes the
plotted numbers instead, and vega-lite a Vega-Lite v5 spec with the data
inline. -o FILE writes the file whole or not at all.

Examples:
  cltv plot payback --arpu 50 --churn 4% --cac 300 -o payback.svg
  cltv plot payback --input examples/saas.json --discount-rate 1% > saas-payback.svg
  cltv plot payback --arpu 50 --churn 4% --cac 300 --format csv
  cltv plot payback --arpu 50 --churn 4% --cac 300 --format vega-lite > payback.vl.json
  cltv plot survival --churn 4% -o survival.svg
  cltv plot survival --sbg-alpha 0.668 --sbg-beta 3.806 --period year --periods 12 -o sbg.svg
  cltv plot survival --sbg-model sbg.json --period year -o survival.svg
  cltv plot grid --cac 300 --vary churn=2%..10%:5 --vary arpu=20..60:5 -o grid.svg
  cltv plot grid --arpu 50 --cac 300 --vary churn=1%..10%:10 --metric net_value --format csv
  cltv plot segments --input examples/tiers.json -o tiers.svg
  cltv plot segments --cac 40 --segment 'ads:arpu=5,churn=8%,share=0.75' --segment 'premium:arpu=20,churn=4%,share=0.25'
  cltv plot tracking log.csv --calibration-end 2024-03-31 --freq W -o tracking.svg
  cltv plot frequency summary.csv --model bgnbd.json -o frequency.svg

Exit codes: 0 written, 2 bad input or usage (nothing is written).)";

constexpr std::array<std::string_view, 4> kinds{"payback", "survival", "grid", "segments"};

// The scenario to chart: the flags, or the one record of --input with the
// flags over it (and its segments, which only the segments chart takes).
result<parsed_scenario> plotted_scenario(const plot_options& options, const scenario_input& flags) {
  if (options.input.empty()) return parsed_scenario{flags, {}, {}, false, {}};
  auto one = read_single_scenario(options.input, options.input_format, "plot", "scenario", flags);
  if (!one) return std::move(one).error();
  if (one->parsed.has_segments && options.kind != "segments")
    return error{"segments",
                 fmt::format("plot {} does not take segments ({}, line {}): plot segments does",
                             options.kind, one->source, one->line)};
  return std::move(one->parsed);
}

// `counts`: the observed active counts (of the --sbg-model file), for survival.
result<std::string> chart_text(const plot_options& options, const parsed_scenario& parsed,
                               const std::vector<std::vector<double>>& counts,
                               plot::chart_format format) {
  const scenario_input& input = parsed.input;
  if (options.kind == "segments") {
    std::vector<segment_input> segments = parsed.segments;
    if (!options.segments.empty()) {
      segments.clear();
      for (const std::string& text : options.segments) {
        auto segment = parse_segment_flag(text);
        if (!segment) return std::move(segment).error();
        segments.push_back(*std::move(segment));
      }
    }
    if (segments.empty())
      return error{"segments",
                   "plot segments needs segments: --segment NAME:KEY=VALUE,... (repeat), or "
                   "\"segments\" in the --input record"};
    auto evaluated = evaluate_segments(input, segments);
    if (!evaluated) return std::move(evaluated).error();
    return plot::segments_chart(*evaluated, format);
  }
  if (options.kind == "payback") {
    auto s = resolve(input);
    if (!s) return std::move(s).error();
    auto curve = make_payback_curve(*s, options.periods);
    if (!curve) return std::move(curve).error();
    return plot::payback_chart(*curve, format);
  }
  if (options.kind == "survival") {
    auto curve = make_survival_curve(input, counts, options.periods);
    if (!curve) return std::move(curve).error();
    return plot::survival_chart(*curve, format);
  }
  auto metric = parse_grid_metric(options.metric.empty() ? "ltv_cac_ratio" : options.metric);
  if (!metric) return std::move(metric).error();
  auto axes = parse_grid_axes(options.vary);
  if (!axes) return std::move(axes).error();
  auto evaluated = evaluate_grid(input, std::move(axes).value(), *metric);
  if (!evaluated) return std::move(evaluated).error();
  // A chart with holes would hide them: as `cltv grid`, a cell that cannot be
  // computed is an error (nothing is written).
  if (const std::size_t failed = evaluated->failures(); failed > 0) {
    const auto first = std::find_if(evaluated->cells.begin(), evaluated->cells.end(),
                                    [](const grid_cell& c) { return c.failure.has_value(); });
    return error{first->failure->field,
                 fmt::format("{} of {} cells could not be computed (first: {})", failed,
                             evaluated->cells.size(), first->failure->message)};
  }
  return plot::grid_chart(*evaluated, format);
}

}  // namespace

CLI::App* setup_plot(CLI::App& app, plot_options& options) {
  CLI::App* sub =
      app.add_subcommand("plot", "Chart a scenario or a customer base and its models (SVG)");
  sub->footer(plot_examples);
  sub->add_option("kind", options.kind,
                  "A scenario's chart: payback, survival, grid, segments (or a subcommand)")
      ->type_name("KIND");
  add_data_plots(*sub, options.data);
  add_scenario_flags(*sub, options.scenario_flags, options.scenario_options);
  add_sbg_model_option(*sub, options.sbg_model);
  auto* input_option = sub->add_option("-i,--input", options.input,
                                       "Read the scenario from a JSON or CSV file (- for stdin); "
                                       "flags override its fields")
                           ->type_name("FILE")
                           ->group("Input and output");
  add_format_option(*sub, options.input_format, {"json", "ndjson", "csv"},
                    "How --input is written: json (JSON or NDJSON, the default) or csv",
                    "json|ndjson|csv", "--input-format")
      ->needs(input_option)
      ->group("Input and output");
  add_format_option(*sub, options.format, {"svg", "csv", "json", "vega-lite"},
                    "Output: svg (default), csv or json (the plotted numbers), vega-lite (a "
                    "Vega-Lite v5 spec with the data inline)",
                    "svg|csv|json|vega-lite", "-f,--format")
      ->group("Input and output");
  sub->add_option("-o,--output", options.output,
                  "Write to FILE (whole or not at all) instead of stdout")
      ->type_name("FILE")
      ->group("Input and output");
  sub->add_option("--segment", options.segments,
                  "segments: a customer segment, NAME:KEY=VALUE,... with the keys of a JSON "
                  "segment (repeat; replaces the input's segments; see cltv calc --help)")
      ->type_name("SPEC")
      ->group("Segments");
  sub->add_option("--vary", options.vary,
                  "grid: an input and its values, FIELD=FROM..TO:COUNT, FIELD=FROM..TO or "
                  "FIELD=V1,V2,... (once or twice)")
      ->type_name("SPEC")
      ->take_all()
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->group("Grid");
  sub->add_option("-m,--metric", options.metric,
                  "grid: what each cell shows: ltv, ltv_cac_ratio (default), net_value, "
                  "cac_payback")
      ->option_text("ltv|ltv_cac_ratio|net_value|cac_payback")
      ->group("Grid");
  sub->add_option("--periods", options.periods,
                  "Periods to draw (1..10000; default: the horizon, or until the curve settles)")
      ->type_name("N")
      ->group("Input and output");
  return sub;
}

int run_plot(const plot_options& options) {
  if (!options.data.kind.empty()) return run_data_plot(options.data);
  if (options.kind.empty()) {
    print_error(
        "plot needs a KIND: payback, survival, grid, segments (a scenario) or tracking, "
        "frequency, holdout, matrix, cohorts, clv (a customer base; see 'cltv plot --help')");
    return 2;
  }
  if (std::find(kinds.begin(), kinds.end(), options.kind) == kinds.end()) {
    std::vector<std::string_view> every(kinds.begin(), kinds.end());
    every.insert(every.end(), data_plot_kinds.begin(), data_plot_kinds.end());
    print_error(fmt::format("unknown chart \"{}\"{}: plot {}", options.kind,
                            did_you_mean(options.kind, every), fmt::join(every, ", ")));
    return 2;
  }
  // The grid's flags mean nothing to the other charts: refused, not ignored;
  // and the periods drawn mean nothing to a grid.
  if (options.kind != "grid" && (!options.vary.empty() || !options.metric.empty())) {
    print_error(fmt::format("--{} is for plot grid, not plot {}",
                            options.vary.empty() ? "metric" : "vary", options.kind));
    return 2;
  }
  if (options.kind != "segments" && !options.segments.empty()) {
    print_error(fmt::format("--segment is for plot segments, not plot {}", options.kind));
    return 2;
  }
  if (options.kind == "segments" && options.periods) {
    print_error("--periods is for plot payback and survival, not plot segments");
    return 2;
  }
  if (options.kind == "grid" && options.periods) {
    print_error("--periods is for plot payback and survival, not plot grid");
    return 2;
  }
  if (options.kind == "grid" && options.vary.empty()) {
    print_error("plot grid needs --vary FIELD=VALUES (once or twice), as cltv grid does");
    return 2;
  }
  auto format = plot::parse_chart_format(options.format);
  if (!format) {
    print_error(format.error().message);
    return 2;
  }
  auto flags = parse_scenario_flags(options.scenario_flags, options.scenario_options);
  if (!flags) {
    print_error(flags.error().message);
    return 2;
  }
  auto counts = apply_sbg_model_with_counts(options.sbg_model, options.input, *flags);
  if (!counts) {
    print_error(counts.error().message);
    return 2;
  }
  auto parsed = plotted_scenario(options, *flags);
  if (!parsed) {
    print_error(parsed.error().message);
    return 2;
  }
  auto text = chart_text(options, *parsed, *counts, *format);
  if (!text) {
    print_error(text.error().message);
    return 2;
  }
  if (auto e = write_whole_file(options.output, *text)) {
    print_error(e->message);
    return 2;
  }
  return 0;
}

}  // namespace cltv::cli
