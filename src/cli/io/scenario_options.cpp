#include "io/scenario_options.hpp"

#include <unistd.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdlib>
#include <utility>

#include "cltv/period_overrides.hpp"
#include "io/format_option.hpp"
#include "io/messages.hpp"
#include "io/model_file.hpp"

namespace cltv::cli {

void add_scenario_io_options(CLI::App& sub, std::string& input, std::string& input_format,
                             std::string& format, bool& json, const char* input_help,
                             const char* format_help) {
  auto* input_option =
      sub.add_option("-i,--input", input, input_help)->type_name("FILE")->group("Input and output");
  add_format_option(sub, input_format, {"json", "ndjson", "csv"},
                    "How --input is written: json (JSON or NDJSON, the default) or csv (a header "
                    "of JSON keys, one scenario per row; the default for *.csv files; no "
                    "segments)",
                    "json|ndjson|csv", "--input-format")
      ->needs(input_option)
      ->group("Input and output");
  auto* format_option = add_format_option(sub, format, {"table", "json", "ndjson", "csv"},
                                          format_help, "table|json|ndjson|csv", "-f,--format")
                            ->group("Input and output");
  sub.add_flag("--json", json, "Short for --format json")
      ->excludes(format_option)
      ->group("Input and output");
}

void add_batch_threads_option(CLI::App& sub, std::string& threads) {
  sub.add_option("--threads", threads,
                 "Threads that evaluate and format a batch written as ndjson or csv (default: "
                 "the available cores; the output does not depend on it)")
      ->option_text("N")
      ->group("Input and output");
}

void add_scenario_flags(CLI::App& sub, std::array<std::string, scenario_flag_count>& values,
                        std::array<CLI::Option*, scenario_flag_count>& options) {
  for (std::size_t i = 0; i < scenario_flag_order.size(); ++i) {
    const scenario_field& field = *scenario_flag_order[i];
    auto* opt = sub.add_option(flag_spelling(field), values[i], std::string(field.help));
    opt->type_name(field.kind == field_kind::period ? "month|year"
                   : field.kind == field_kind::rate ? "RATE"
                                                    : "NUMBER");
    opt->group("Scenario");
    options[i] = opt;
  }
}

void add_sbg_model_option(CLI::App& sub, std::string& path) {
  sub.add_option("--sbg-model", path,
                 "Lifetime from an sBG fit: the JSON `cltv fit sbg` writes (sets --sbg-alpha and "
                 "--sbg-beta)")
      ->type_name("FILE")
      ->group("Scenario");
}

std::optional<error> apply_sbg_model(const std::string& path, const std::string& input,
                                     scenario_input& flags) {
  auto applied = apply_sbg_model_with_counts(path, input, flags);
  if (!applied) return std::move(applied).error();
  return std::nullopt;
}

result<std::vector<std::vector<double>>> apply_sbg_model_with_counts(const std::string& path,
                                                                     const std::string& input,
                                                                     scenario_input& flags) {
  if (path.empty()) return std::vector<std::vector<double>>{};
  if (flags.sbg_alpha || flags.sbg_beta)
    return error{"sbg_model", "give --sbg-model or --sbg-alpha with --sbg-beta, not both"};
  if (path == "-" && input == "-")
    return error{"sbg_model", "the sBG model and the scenarios cannot both come from stdin"};
  fitted_models model;
  if (auto e = read_model_file(path, model)) return *e;
  if (!model.sbg)
    return error{"sbg_model",
                 fmt::format("--sbg-model {} holds a {} model, not sbg", printable(path),
                             model.purchase ? names_of(model.purchase->kind()).name
                                            : std::string_view("gamma-gamma"))};
  flags.sbg_alpha = model.sbg->alpha;
  flags.sbg_beta = model.sbg->beta;
  return std::move(model.sbg_counts);
}

result<scenario_input> parse_scenario_flags(
    const std::array<std::string, scenario_flag_count>& values,
    const std::array<CLI::Option*, scenario_flag_count>& options) {
  scenario_input in;
  for (std::size_t i = 0; i < scenario_flag_order.size(); ++i) {
    const scenario_field& field = *scenario_flag_order[i];
    if (!options[i] || options[i]->count() == 0) continue;
    const std::string& text = values[i];
    if (!field.member) {
      auto p = parse_period("period", text);
      if (!p) return std::move(p).error();
      in.period = *p;
      continue;
    }
    auto value = parse_number(field.name, text, field.style());
    if (!value) return std::move(value).error();
    in.*(field.member) = *value;
  }
  return in;
}

bool period_override_warning::applies(const scenario_input& record) const {
  return overrides_change_period(record, flags_);
}

void period_override_warning::add(std::string label) {
  constexpr std::size_t named = 5;
  if (count_++ < named) labels_.push_back(std::move(label));
}

void period_override_warning::print() const {
  if (count_ == 0) return;
  std::vector<std::string> flags;
  for (const scenario_field* field : scenario_flag_order)
    if (is_per_period(*field) && is_given(flags_, *field)) flags.push_back(flag_spelling(*field));
  std::string records = fmt::format("{}", fmt::join(labels_, ", "));
  if (count_ > labels_.size()) records += fmt::format(" and {} more", count_ - labels_.size());
  print_note(fmt::format(
      "warning: {} {} per month in this run, but read per year in {} record{} with period year "
      "({}); give --period year to run those apart",
      fmt::join(flags, ", "), flags.size() == 1 ? "is" : "are", count_, count_ == 1 ? "" : "s",
      records));
}

bool use_color(const std::string& mode) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color && *no_color) return false;
  const char* term = std::getenv("TERM");
  if (term && std::string_view(term) == "dumb") return false;
  return ::isatty(STDOUT_FILENO) != 0;
}

}  // namespace cltv::cli
