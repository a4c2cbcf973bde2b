#include "commands/grid.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <optional>

#include "cltv/ltv.hpp"
#include "io/grid_spec.hpp"
#include "io/messages.hpp"
#include "io/output.hpp"
#include "io/record_reader.hpp"
#include "io/scenario_json.hpp"
#include "io/text.hpp"

namespace cltv::cli {
namespace {

constexpr const char* grid_examples =
    R"(--vary FIELD=FROM..TO:COUNT   COUNT evenly spaced points, both ends included
--vary FIELD=V1,V2,...         the listed values
FIELD is any numeric calc input (arpu, churn, cac, gross_margin, ...); rates
take 4% or 0.04. The first --vary makes the rows, the second the columns.

Examples:
  cltv grid --arpu 50 --cac 300 --vary churn=2%..10%:5
  cltv grid --cac 300 --vary churn=2%..10%:5 --vary arpu=20..60:5
  cltv grid --input examples/saas.json --vary churn=2%,4%,8% --metric net_value
  cltv grid --arpu 50 --cac 300 --vary churn=2%..10%:5 --format csv

Cells below the target ratio are marked * in the table and meets_target false
in csv/json (one record per cell). Exit codes: 0 printed, 2 bad input or usage,
or a cell that could not be computed (shown in place as an error).)";

struct cell {
  std::optional<double> value;  // nullopt: not defined (no CAC, payback never)
  std::optional<bool> meets_target;
  std::optional<error> failure;
  bool payback_never = false;
};

std::string metric_title(grid_metric m) {
  switch (m) {
    case grid_metric::ltv:
      return "LTV";
    case grid_metric::ltv_cac_ratio:
      return "LTV:CAC";
    case grid_metric::net_value:
      return "Net value (LTV − CAC)";
    case grid_metric::cac_payback:
      return "CAC payback";
  }
  return "";
}

cell compute(const scenario_input& base, const std::vector<vary_spec>& varies,
             const std::array<std::size_t, 2>& at, grid_metric metric) {
  scenario_input change;
  for (std::size_t k = 0; k < varies.size(); ++k)
    change.*(varies[k].field.member) = varies[k].values[at[k]];
  cell c;
  auto r = calculate(with_overrides(base, change));
  if (!r) {
    c.failure = std::move(r).error();
    return c;
  }
  c.meets_target = r->meets_target;
  switch (metric) {
    case grid_metric::ltv:
      c.value = r->ltv;
      break;
    case grid_metric::ltv_cac_ratio:
      c.value = r->ltv_cac_ratio;
      break;
    case grid_metric::net_value:
      c.value = r->net_value;
      break;
    case grid_metric::cac_payback:
      c.value = r->cac_payback;
      c.payback_never = r->payback_undefined;
      break;
  }
  return c;
}

std::string axis_text(const vary_spec& v, double x) {
  return v.field.style() == number_style::rate ? percent(x) : trimmed_number(x, 4);
}

std::string cell_text(const cell& c, grid_metric m) {
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

class grid {
 public:
  grid(const scenario_input& base, std::vector<vary_spec> varies, grid_metric metric)
      : base_(base), varies_(std::move(varies)), metric_(metric) {
    const std::size_t n_rows = varies_[0].values.size();
    const std::size_t n_cols = varies_.size() > 1 ? varies_[1].values.size() : 1;
    cells_.reserve(n_rows * n_cols);
    for (std::size_t i = 0; i < n_rows; ++i)
      for (std::size_t j = 0; j < n_cols; ++j)
        cells_.push_back(compute(base_, varies_, {i, j}, metric_));
  }

  [[nodiscard]] std::size_t rows() const { return varies_[0].values.size(); }
  [[nodiscard]] std::size_t cols() const {
    return varies_.size() > 1 ? varies_[1].values.size() : 1;
  }
  [[nodiscard]] const cell& at(std::size_t i, std::size_t j) const {
    return cells_[i * cols() + j];
  }

  // "churn=2%, arpu=20"
  [[nodiscard]] std::string where(std::size_t i, std::size_t j) const {
    std::string w =
        fmt::format("{}={}", varies_[0].field.name, axis_text(varies_[0], varies_[0].values[i]));
    if (varies_.size() > 1)
      w += fmt::format(", {}={}", varies_[1].field.name,
                       axis_text(varies_[1], varies_[1].values[j]));
    return w;
  }

  [[nodiscard]] std::size_t failures() const {
    return static_cast<std::size_t>(std::count_if(
        cells_.begin(), cells_.end(), [](const cell& c) { return c.failure.has_value(); }));
  }
  [[nodiscard]] std::optional<std::string> first_failure() const {
    for (std::size_t i = 0; i < rows(); ++i)
      for (std::size_t j = 0; j < cols(); ++j)
        if (at(i, j).failure) return where(i, j) + ": " + at(i, j).failure->message;
    return std::nullopt;
  }

  void write_table(std::string& buf) const {
    const std::string per(to_string(base_.period.value_or(period::month)));
    const bool any_verdict = std::any_of(cells_.begin(), cells_.end(),
                                         [](const cell& c) { return c.meets_target.has_value(); });
    std::string title = fmt::format("{} per customer (per {})", metric_title(metric_), per);
    if (metric_ == grid_metric::ltv_cac_ratio) title = fmt::format("LTV:CAC (per {})", per);
    if (metric_ == grid_metric::cac_payback) title = fmt::format("CAC payback in {}s", per);
    buf += title + "\n";
    if (any_verdict) {
      const bool target_varies =
          std::any_of(varies_.begin(), varies_.end(),
                      [](const vary_spec& v) { return v.field.name == "target"; });
      buf += target_varies ? "* = below the target LTV:CAC\n"
                           : fmt::format("* = below the {}× LTV:CAC target\n",
                                         trimmed_number(base_.target.value_or(default_target), 4));
    }
    buf += '\n';

    // Header: "churn \ arpu" then the column values; or "churn" and the metric.
    std::vector<std::vector<std::string>> table;
    std::vector<std::string> header;
    if (varies_.size() > 1) {
      header.push_back(fmt::format("{} \\ {}", varies_[0].field.name, varies_[1].field.name));
      for (double x : varies_[1].values) header.push_back(axis_text(varies_[1], x));
    } else {
      header.emplace_back(varies_[0].field.name);
      header.emplace_back(to_string(metric_));
    }
    table.push_back(header);
    for (std::size_t i = 0; i < rows(); ++i) {
      std::vector<std::string> line{axis_text(varies_[0], varies_[0].values[i])};
      for (std::size_t j = 0; j < cols(); ++j) line.push_back(cell_text(at(i, j), metric_));
      table.push_back(line);
    }
    std::vector<std::size_t> w(header.size(), 0);
    for (const auto& line : table)
      for (std::size_t k = 0; k < line.size(); ++k) w[k] = std::max(w[k], display_width(line[k]));
    for (std::size_t r = 0; r < table.size(); ++r) {
      std::string text = pad_left(table[r][0], w[0]);
      for (std::size_t k = 1; k < table[r].size(); ++k) {
        text += "  " + pad_left(table[r][k], w[k]);
        // The marker sits after the cell, a blank where the cell meets the target.
        const bool below = r > 0 && at(r - 1, k - 1).meets_target == false;
        if (any_verdict) text += below ? "*" : " ";
      }
      while (!text.empty() && text.back() == ' ') text.pop_back();
      buf += text + "\n";
    }
    for (std::size_t i = 0; i < rows(); ++i)
      for (std::size_t j = 0; j < cols(); ++j)
        if (at(i, j).failure)
          buf += fmt::format("error at {}: {}\n", where(i, j), at(i, j).failure->message);
  }

  void write_csv(std::string& buf) const {
    for (const auto& v : varies_) buf += std::string(v.field.name) + ",";
    buf += "metric,period,value,meets_target,error\n";
    for_each_cell([&](std::size_t i, std::size_t j, const cell& c) {
      for (std::size_t k = 0; k < varies_.size(); ++k) {
        append_number(buf, varies_[k].values[k == 0 ? i : j]);
        buf += ',';
      }
      buf += to_string(metric_);
      buf += ',';
      buf += to_string(base_.period.value_or(period::month));
      buf += ',';
      if (c.value) append_number(buf, *c.value);
      buf += ',';
      if (c.meets_target) buf += *c.meets_target ? "true" : "false";
      buf += ',';
      if (c.failure) append_csv_field(buf, c.failure->message);
      buf += '\n';
    });
  }

  void write_json(std::string& buf, bool lines) const {
    if (!lines) buf += "[\n";
    bool first = true;
    for_each_cell([&](std::size_t i, std::size_t j, const cell& c) {
      if (!lines && !first) buf += ",\n";
      first = false;
      buf += '{';
      for (std::size_t k = 0; k < varies_.size(); ++k) {
        append_json_string(buf, varies_[k].field.name);
        buf += ':';
        append_number(buf, varies_[k].values[k == 0 ? i : j]);
        buf += ',';
      }
      buf += "\"metric\":";
      append_json_string(buf, to_string(metric_));
      buf += ",\"period\":";
      append_json_string(buf, to_string(base_.period.value_or(period::month)));
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
      }
      buf += '}';
      if (lines) buf += '\n';
    });
    if (!lines) buf += first ? "]\n" : "\n]\n";
  }

 private:
  template <class F>
  void for_each_cell(F f) const {
    for (std::size_t i = 0; i < rows(); ++i)
      for (std::size_t j = 0; j < cols(); ++j) f(i, j, at(i, j));
  }

  scenario_input base_;
  std::vector<vary_spec> varies_;
  grid_metric metric_;
  std::vector<cell> cells_;
};

// The base scenario: the one record of --input (flags over it), or the flags.
result<scenario_input> base_scenario(const grid_options& options, const scenario_input& flags) {
  if (options.input.empty()) return flags;
  auto reader = record_reader::open(options.input);
  if (!reader) return std::move(reader).error();
  std::optional<record> first = reader->next();
  if (!first) {
    if (reader->fatal()) return *reader->fatal();
    return error{"input", "no scenario in " + reader->name()};
  }
  scenario_parser parser;
  parsed_scenario parsed;
  error parse_error;
  if (!parser.parse(first->text, parsed, parse_error))
    return error{parse_error.field,
                 fmt::format("{} ({}, line {})", parse_error.message, reader->name(), first->line)};
  if (reader->shape() == input_shape::array || reader->next())
    return error{"input", "grid takes one base scenario; " + reader->name() +
                              " holds more than one (run grid once per scenario)"};
  if (reader->fatal()) return *reader->fatal();
  return with_overrides(parsed.input, flags);
}

}  // namespace

CLI::App* setup_grid(CLI::App& app, grid_options& options) {
  CLI::App* sub = app.add_subcommand(
      "grid",
      "Sensitivity grid: a metric over one or two varied inputs, cells below target marked");
  sub->footer(grid_examples);
  sub->add_option(
         "--vary", options.vary,
         "An input and its values: FIELD=FROM..TO:COUNT or FIELD=V1,V2,... (once or twice)")
      ->type_name("SPEC")
      ->take_all()
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  sub->add_option("-m,--metric", options.metric,
                  "What each cell shows: ltv, ltv_cac_ratio (default), net_value, cac_payback")
      ->option_text("ltv|ltv_cac_ratio|net_value|cac_payback");
  add_scenario_flags(*sub, options.scenario_flags, options.scenario_options);
  add_scenario_io_options(
      *sub, options.input, options.format, options.json,
      "Read the base scenario from a JSON file (- for stdin); flags override its fields",
      "Output: table (default), csv, json, ndjson (one record per cell)");
  return sub;
}

int run_grid(const grid_options& options) {
  auto metric = parse_grid_metric(options.metric);
  if (!metric) {
    print_error(
        fmt::format("unknown metric \"{}\" (metrics: ltv, ltv_cac_ratio, net_value, cac_payback)",
                    printable(options.metric)));
    return 2;
  }
  std::vector<vary_spec> varies;
  for (const auto& text : options.vary) {
    auto v = parse_vary(text);
    if (!v) {
      print_error(v.error().message);
      return 2;
    }
    varies.push_back(std::move(*v));
  }
  if (auto e = check_varies(varies)) {
    print_error(e->message);
    return 2;
  }
  auto flags = parse_scenario_flags(options.scenario_flags, options.scenario_options);
  if (!flags) {
    print_error(flags.error().message);
    return 2;
  }
  auto base = base_scenario(options, *flags);
  if (!base) {
    print_error(base.error().message);
    return 2;
  }
  // A metric that needs a CAC, with none given nor varied: every cell would be empty.
  const bool cac_varied = std::any_of(varies.begin(), varies.end(),
                                      [](const vary_spec& v) { return v.field.name == "cac"; });
  if (*metric != grid_metric::ltv && !base->cac && !cac_varied) {
    print_error(fmt::format("metric {} needs cac (give --cac or vary it)", to_string(*metric)));
    return 2;
  }

  const grid g(*base, std::move(varies), *metric);
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
  if (const std::size_t n = g.failures(); n > 0) {
    print_error(fmt::format("{} of {} cells could not be computed (first: {})", n,
                            g.rows() * g.cols(), *g.first_failure()));
    return 2;
  }
  return 0;
}

}  // namespace cltv::cli
