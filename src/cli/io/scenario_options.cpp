#include "io/scenario_options.hpp"

#include <unistd.h>

#include <cstdlib>

#include "io/format_option.hpp"

namespace cltv::cli {

void add_scenario_io_options(CLI::App& sub, std::string& input, std::string& format, bool& json,
                             const char* input_help, const char* format_help) {
  sub.add_option("-i,--input", input, input_help)->type_name("FILE")->group("Input and output");
  auto* format_option = add_format_option(sub, format, {"table", "json", "ndjson", "csv"},
                                          format_help, "table|json|ndjson|csv", "-f,--format")
                            ->group("Input and output");
  sub.add_flag("--json", json, "Short for --format json")
      ->excludes(format_option)
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
