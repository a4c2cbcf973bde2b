#include "commands/grid.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <optional>

#include "cltv/grid.hpp"
#include "io/messages.hpp"
#include "io/output.hpp"
#include "io/record_reader.hpp"
#include "io/scenario_json.hpp"
#include "io/scenario_options.hpp"
#include "io/segment_flags.hpp"
#include "io/single_scenario.hpp"
#include "io/text.hpp"

namespace cltv::cli {
namespace {

constexpr const char* grid_examples =
    R"(--vary FIELD=FROM..TO:COUNT   COUNT evenly spaced points, both ends included
--vary FIELD=FROM..TO          whole ends: every integer from FROM to TO
--vary FIELD=V1,V2,...         the listed values
FIELD is any numeric calc input (arpu, churn, cac, gross_margin, ...); rates
take 4% or 0.04. The first --vary makes the rows, the second the columns. The
base scenario takes every scenario input of calc, --sbg-model included.

Examples:
  cltv grid --arpu 50 --cac 300 --vary churn=2%..10%:5
  cltv grid --cac 300 --vary churn=2%..10%:5 --vary arpu=20..60:5
  cltv grid --input examples/saas.json --vary churn=2%,4%,8% --metric net_value
  cltv grid --arpu 50 --cac 300 --vary churn=2%..10%:5 --format csv
  cltv grid --arpu 50 --cac 300 --sbg-model sbg.json --discount-rate 1% --vary gross_margin=60%..100%:3
  cltv grid --arpu 49 --gross-margin 80% --cac 600 --max-payback 12 --vary churn=2%,3.5%,5% --vary arpu=49,59,69
  cltv grid --arpu 49 --churn 3.5% --gross-margin 80% --cac 600 --max-payback 12 --vary arpu=39..69:4 --metric cac_payback
  cltv grid --arpu 50 --cac 300 --vary contract_length=12..24 --metric net_value

Cells below the target ratio are marked * in the table and meets_target false
in csv/json (one record per cell). With --max-payback N, cells whose CAC
payback exceeds N periods are marked + and meets_payback false; a cac_payback
grid then marks only the payback rule. A legend line under the title names
each marker's rule. Exit codes: 0 printed, 2 bad input or usage, or a cell that
could not be computed (shown in place as an error).)";

std::string axis_text(const grid_axis& axis, double x) {
  return axis.field.style() == number_style::rate ? percent(x) : trimmed_number(x, 4);
}

std::string cell_text(const grid_cell& c, grid_metric m) {
  if (c.failure) return "error";
  if (c.payback_never) return "never";
  if (!c.value) return "—";
  switch (m) {
    case grid_metric::ltv_cac_ratio:
      return fmt::format("{:.2f}×", *c.value);
    case grid_metric::cac_payback:
      return fmt::format("{:.1f}", *c.value);
    case grid_metric::ltv:
    case grid_metric::net_value:
      break;
  }
  return money(*c.value);
}

// What the cells hold and in which unit: "LTV:CAC, a multiple of CAC
// (inputs per month)", "CAC payback in months (CAC / margin per month)".
std::string grid_title(grid_metric m, period p) {
  const std::string per(to_string(p));
  switch (m) {
    case grid_metric::ltv:
      return fmt::format("LTV per customer, in currency units (inputs per {})", per);
    case grid_metric::ltv_cac_ratio:
      return fmt::format("LTV:CAC, a multiple of CAC (inputs per {})", per);
    case grid_metric::net_value:
      return fmt::format("Net value (LTV − CAC) per customer, in currency units (inputs per {})",
                         per);
    case grid_metric::cac_payback:
      return fmt::format("CAC payback in {} (CAC / margin per {})", plural(p), per);
  }
  return "";
}

// The table's marker of a rule's failure.
char marker(check_rule rule) {
  return rule == check_rule::payback ? '+' : '*';
}

// Calls f(i, j, cell) for every cell, row by row.
template <class F>
void for_each_cell(const grid& g, F f) {
  for (std::size_t i = 0; i < g.rows(); ++i)
    for (std::size_t j = 0; j < g.columns(); ++j) f(i, j, g.at(i, j));
}

// The value of axis k at cell (i, j).
double axis_value(const grid& g, std::size_t k, std::size_t i, std::size_t j) {
  return g.axes[k].values[k == 0 ? i : j];
}

// "churn=2%, arpu=20"
std::string where(const grid& g, std::size_t i, std::size_t j) {
  std::string w;
  for (std::size_t k = 0; k < g.axes.size(); ++k)
    w += fmt::format("{}{}={}", k == 0 ? "" : ", ", g.axes[k].field.name,
                     axis_text(g.axes[k], axis_value(g, k, i, j)));
  return w;
}

// "churn=2%: churn must be …": the first cell that failed, row by row.
std::string first_failure(const grid& g) {
  for (std::size_t i = 0; i < g.rows(); ++i)
    for (std::size_t j = 0; j < g.columns(); ++j)
      if (g.at(i, j).failure) return where(g, i, j) + ": " + g.at(i, j).failure->message;
  return "";
}

// The grid in each output format.
class grid_printer {
 public:
  explicit grid_printer(const grid& g) : grid_(g) {}

  void write_table(std::string& buf) const {
    const period p = grid_.base.period.value_or(period::month);
    buf += grid_title(grid_.metric, p) + "\n";
    const std::vector<check_rule> rules = grid_.marked_rules();
    for (const check_rule rule : rules) buf += legend(rule, p) + "\n";
    buf += '\n';

    // Header: "churn \ arpu" then the column values; or "churn" and the metric.
    const std::vector<grid_axis>& axes = grid_.axes;
    std::vector<std::vector<std::string>> table;
    std::vector<std::string> header;
    if (axes.size() > 1) {
      header.push_back(fmt::format("{} \\ {}", axes[0].field.name, axes[1].field.name));
      for (double x : axes[1].values) header.push_back(axis_text(axes[1], x));
    } else {
      header.emplace_back(axes[0].field.name);
      header.emplace_back(to_string(grid_.metric));
    }
    table.push_back(header);
    for (std::size_t i = 0; i < grid_.rows(); ++i) {
      std::vector<std::string> line{axis_text(axes[0], axes[0].values[i])};
      for (std::size_t j = 0; j < grid_.columns(); ++j)
        line.push_back(cell_text(grid_.at(i, j), grid_.metric));
      table.push_back(line);
    }
    std::vector<std::size_t> w(header.size(), 0);
    for (const auto& line : table)
      for (std::size_t k = 0; k < line.size(); ++k) w[k] = std::max(w[k], display_width(line[k]));
    for (std::size_t r = 0; r < table.size(); ++r) {
      std::string text = pad_left(table[r][0], w[0]);
      for (std::size_t k = 1; k < table[r].size(); ++k) {
        text += "  " + pad_left(table[r][k], w[k]);
        // A marker per rule after the cell, a blank where the cell meets it.
        for (const check_rule rule : rules)
          text += r > 0 && grid_.at(r - 1, k - 1).fails(rule) ? marker(rule) : ' ';
      }
      while (!text.empty() && text.back() == ' ') text.pop_back();
      buf += text + "\n";
    }
    for_each_cell(grid_, [&](std::size_t i, std::size_t j, const grid_cell& c) {
      if (c.failure)
        buf += fmt::format("error at {}: {}\n", where(grid_, i, j), c.failure->message);
    });
  }

  [[nodiscard]] bool has_payback_rule() const {
    const std::vector<check_rule> rules = grid_.marked_rules();
    return std::find(rules.begin(), rules.end(), check_rule::payback) != rules.end();
  }

  // "* = below the 3× LTV:CAC target", "+ = CAC payback over the 12-month limit".
  [[nodiscard]] std::string legend(check_rule rule, period p) const {
    std::string text = std::string(1, marker(rule)) + " = ";
    if (rule == check_rule::ltv_cac) {
      const std::optional<double> target = grid_.fixed_target();
      return text + (target
                         ? fmt::format("below the {}× LTV:CAC target", trimmed_number(*target, 4))
                         : "below the target LTV:CAC");
    }
    const std::optional<double> limit = grid_.fixed_max_payback();
    return text + (limit ? fmt::format("CAC payback over the {}-{} limit (--max-payback)",
                                       trimmed_number(*limit, 2), to_string(p))
                         : "CAC payback over the max_payback limit");
  }

  void write_csv(std::string& buf) const {
    for (const auto& axis : grid_.axes) buf += std::string(axis.field.name) + ",";
    // The payback rule's column only when it applies: other grids keep their header.
    const bool payback = has_payback_rule();
    buf += payback ? "metric,period,value,meets_target,meets_payback,error\n"
                   : "metric,period,value,meets_target,error\n";
    for_each_cell(grid_, [&](std::size_t i, std::size_t j, const grid_cell& c) {
      for (std::size_t k = 0; k < grid_.axes.size(); ++k) {
        append_number(buf, axis_value(grid_, k, i, j));
        buf += ',';
      }
      buf += to_string(grid_.metric);
      buf += ',';
      buf += to_string(grid_.base.period.value_or(period::month));
      buf += ',';
      if (c.value) append_number(buf, *c.value);
      buf += ',';
      if (c.meets_target) buf += *c.meets_target ? "true" : "false";
      buf += ',';
      if (payback) {
        if (c.meets_payback) buf += *c.meets_payback ? "true" : "false";
        buf += ',';
      }
      if (c.failure) append_csv_field(buf, c.failure->message);
      buf += '\n';
    });
  }

  void write_json(std::string& buf, bool lines) const {
    if (!lines) buf += "[\n";
    bool first = true;
    for_each_cell(grid_, [&](std::size_t i, std::size_t j, const grid_cell& c) {
      if (!lines && !first) buf += ",\n";
      first = false;
      buf += '{';
      for (std::size_t k = 0; k < grid_.axes.size(); ++k) {
        append_json_string(buf, grid_.axes[k].field.name);
        buf += ':';
        append_number(buf, axis_value(grid_, k, i, j));
        buf += ',';
      }
      buf += "\"metric\":";
      append_json_string(buf, to_string(grid_.metric));
      buf += ",\"period\":";
      append_json_string(buf, to_string(grid_.base.period.value_or(period::month)));
      if (c.failure) {
        if (!c.failure->field.empty()) {
          buf += ",\"field\":";
          append_json_string(buf, c.failure->field);
        }
        buf += ",\"error\":";
        append_json_string(buf, c.failure->message);
      } else {
        buf += ",\"value\":";
        if (c.value)
          append_number(buf, *c.value);
        else
          buf += "null";
        if (c.meets_target)
          buf += *c.meets_target ? ",\"meets_target\":true" : ",\"meets_target\":false";
        if (c.meets_payback)
          buf += *c.meets_payback ? ",\"meets_payback\":true" : ",\"meets_payback\":false";
      }
      buf += '}';
      if (lines) buf += '\n';
    });
    if (!lines) buf += first ? "]\n" : "\n]\n";
  }

 private:
  const grid& grid_;
};

// The base scenario: the one record of --input (flags over it), or the flags.
result<scenario_input> base_scenario(const grid_options& options, const scenario_input& flags) {
  if (options.input.empty()) return flags;
  auto one =
      read_single_scenario(options.input, options.input_format, "grid", "base scenario", flags);
  if (!one) return std::move(one).error();
  if (one->parsed.has_segments)
    return error{"segments", fmt::format("{} ({}, line {})", segments_unsupported("grid").message,
                                         one->source, one->line)};
  if (!one->parsed.annual.empty())
    return error{"annual_price",
                 fmt::format("{} ({}, line {})", annual_plan_unsupported("grid").message,
                             one->source, one->line)};
  return one->parsed.input;
}

}  // namespace

CLI::App* setup_grid(CLI::App& app, grid_options& options) {
  CLI::App* sub = app.add_subcommand(
      "grid",
      "Sensitivity grid: a metric over one or two varied inputs, cells below target marked");
  sub->footer(grid_examples);
  // First: CLI11 ends the help with a blank line when the hidden group is its last.
  add_unsupported_segment_flag(*sub, options.segments);
  add_unsupported_annual_flags(*sub, options.annual);
  sub->add_option("--vary", options.vary,
                  "An input and its values: FIELD=FROM..TO:COUNT, FIELD=FROM..TO or "
                  "FIELD=V1,V2,... (once or twice)")
      ->type_name("SPEC")
      ->take_all()
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  sub->add_option("-m,--metric", options.metric,
                  "What each cell shows: ltv, ltv_cac_ratio (default), net_value, cac_payback")
      ->option_text("ltv|ltv_cac_ratio|net_value|cac_payback");
  add_scenario_flags(*sub, options.scenario_flags, options.scenario_options);
  add_sbg_model_option(*sub, options.sbg_model);
  add_scenario_io_options(
      *sub, options.input, options.input_format, options.format, options.json,
      "Read the base scenario from a JSON or CSV file (- for stdin); flags override its fields",
      "Output: table (default), csv, json, ndjson (one record per cell)");
  return sub;
}

int run_grid(const grid_options& options) {
  if (!options.segments.empty()) {
    print_error(segments_unsupported("grid").message);
    return 2;
  }
  if (!options.annual.empty()) {
    print_error(annual_plan_unsupported("grid").message);
    return 2;
  }
  auto metric = parse_grid_metric(options.metric);
  if (!metric) {
    print_error(metric.error().message);
    return 2;
  }
  auto axes = parse_grid_axes(options.vary);
  if (!axes) {
    print_error(axes.error().message);
    return 2;
  }
  auto flags = parse_scenario_flags(options.scenario_flags, options.scenario_options);
  if (!flags) {
    print_error(flags.error().message);
    return 2;
  }
  if (auto e = apply_sbg_model(options.sbg_model, options.input, *flags)) {
    print_error(e->message);
    return 2;
  }
  auto base = base_scenario(options, *flags);
  if (!base) {
    print_error(base.error().message);
    return 2;
  }
  auto evaluated = evaluate_grid(*base, std::move(axes).value(), *metric);
  if (!evaluated) {
    print_error(evaluated.error().message);
    return 2;
  }
  const grid_printer g(*evaluated);

  output out(STDOUT_FILENO);
  const std::string format = options.json ? "json" : options.format;
  if (format == "csv")
    g.write_csv(out.buffer());
  else if (format == "json")
    g.write_json(out.buffer(), false);
  else if (format == "ndjson")
    g.write_json(out.buffer(), true);
  else
    g.write_table(out.buffer());
  out.finish();
  if (out.failure()) {
    print_error(*out.failure());
    return 2;
  }
  if (const std::size_t n = evaluated->failures(); n > 0) {
    print_error(fmt::format("{} of {} cells could not be computed (first: {})", n,
                            evaluated->cells.size(), first_failure(*evaluated)));
    return 2;
  }
  return 0;
}

}  // namespace cltv::cli
