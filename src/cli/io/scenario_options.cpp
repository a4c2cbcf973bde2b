#include "io/scenario_options.hpp"

#include <unistd.h>

#include <cstdlib>

namespace cltv::cli {
namespace {

using member_ptr = std::optional<double> scenario_input::*;

struct flag_spec {
  const char* flag;
  const char* field;
  member_ptr member;  // nullptr: --period
  number_style style;
  const char* help;
};

// Index i here is index i of calc_options::scenario_flags.
constexpr std::array<flag_spec, scenario_flag_count> flag_specs{{
    {"--arpu", "arpu", &scenario_input::arpu, number_style::plain,
     "Average revenue per customer per period"},
    {"--value", "value", &scenario_input::value, number_style::plain,
     "Same as --arpu (value of a customer per period)"},
    {"--aov", "aov", &scenario_input::aov, number_style::plain,
     "Average order value (with --purchase-frequency, instead of --arpu)"},
    {"--purchase-frequency", "purchase_frequency", &scenario_input::purchase_frequency,
     number_style::plain, "Purchases per customer per period (with --aov)"},
    {"--lifetime", "lifetime", &scenario_input::lifetime, number_style::plain,
     "Average customer lifetime in periods (instead of --churn)"},
    {"--contract-length", "contract_length", &scenario_input::contract_length, number_style::plain,
     "Same as --lifetime (average contract length in periods)"},
    {"--churn", "churn", &scenario_input::churn, number_style::rate,
     "Share of customers lost per period, 0.04 or 4% (lifetime = 1 / churn)"},
    {"--cac", "cac", &scenario_input::cac, number_style::plain, "Customer acquisition cost"},
    {"--gross-margin", "gross_margin", &scenario_input::gross_margin, number_style::rate,
     "Gross margin on revenue, 0.8 or 80% (default 100%)"},
    {"--cost-to-serve", "cost_to_serve", &scenario_input::cost_to_serve, number_style::plain,
     "Cost to serve a customer per period (default 0)"},
    {"--discount-rate", "discount_rate", &scenario_input::discount_rate, number_style::rate,
     "Discount rate per period, 0.01 or 1% (default 0)"},
    {"--horizon", "horizon", &scenario_input::horizon, number_style::plain,
     "Count at most this many periods (whole number, 1..10000)"},
    {"--target", "target", &scenario_input::target, number_style::plain,
     "LTV:CAC ratio to meet (default 3)"},
    {"--period", "period", nullptr, number_style::plain,
     "Period all rates and amounts refer to: month (default) or year"},
    {"--expansion", "expansion", &scenario_input::expansion, number_style::rate,
     "Growth per period of a retained customer's revenue, 0.01 or 1% (> -100%; default 0)"},
    {"--customers-start", "customers_start", &scenario_input::customers_start, number_style::plain,
     "Customers at the start of one period (with --customers-lost)"},
    {"--customers-lost", "customers_lost", &scenario_input::customers_lost, number_style::plain,
     "Of those, customers lost during it: churn = lost / start (instead of --churn)"},
    {"--confidence", "confidence", &scenario_input::confidence, number_style::rate,
     "Confidence level of the churn interval from counts, e.g. 95% (check: whole interval)"},
    {"--sbg-alpha", "sbg_alpha", &scenario_input::sbg_alpha, number_style::plain,
     "Lifetime from an sBG retention curve (`cltv fit sbg`): its alpha (with --sbg-beta)"},
    {"--sbg-beta", "sbg_beta", &scenario_input::sbg_beta, number_style::plain,
     "The sBG curve's beta (with --sbg-alpha; or both from --sbg-model)"},
}};
static_assert(flag_specs.size() == scenario_flag_count);

}  // namespace

void add_scenario_io_options(CLI::App& sub, std::string& input, std::string& format, bool& json,
                             const char* input_help, const char* format_help) {
  sub.add_option("-i,--input", input, input_help)->type_name("FILE")->group("Input and output");
  auto* format_option =
      sub.add_option("-f,--format", format, format_help)
          ->transform(CLI::IsMember({"table", "json", "ndjson", "csv"}, CLI::ignore_case))
          ->option_text("table|json|ndjson|csv")
          ->group("Input and output");
  sub.add_flag("--json", json, "Short for --format json")
      ->excludes(format_option)
      ->group("Input and output");
}

void add_scenario_flags(CLI::App& sub, std::array<std::string, scenario_flag_count>& values,
                        std::array<CLI::Option*, scenario_flag_count>& options) {
  for (std::size_t i = 0; i < flag_specs.size(); ++i) {
    const flag_spec& spec = flag_specs[i];
    auto* opt = sub.add_option(spec.flag, values[i], spec.help);
    opt->type_name(spec.member == nullptr             ? "month|year"
                   : spec.style == number_style::rate ? "RATE"
                                                      : "NUMBER");
    opt->group("Scenario");
    options[i] = opt;
  }
}

result<scenario_input> parse_scenario_flags(
    const std::array<std::string, scenario_flag_count>& values,
    const std::array<CLI::Option*, scenario_flag_count>& options) {
  scenario_input in;
  for (std::size_t i = 0; i < flag_specs.size(); ++i) {
    const flag_spec& spec = flag_specs[i];
    if (!options[i] || options[i]->count() == 0) continue;
    const std::string& text = values[i];
    if (!spec.member) {
      auto p = parse_period(text);
      if (!p)
        return error{"period",
                     "period must be \"month\" or \"year\", got \"" + printable(text) + "\""};
      in.period = p;
      continue;
    }
    auto value = parse_number(spec.field, text, spec.style);
    if (!value) return std::move(value).error();
    in.*(spec.member) = *value;
  }
  return in;
}

std::optional<scenario_field> find_scenario_field(std::string_view name) {
  for (const flag_spec& spec : flag_specs)
    if (spec.member && name == spec.field)
      return scenario_field{spec.field, spec.member, spec.style};
  return std::nullopt;
}

std::string scenario_field_names() {
  std::string names;
  for (const flag_spec& spec : flag_specs) {
    if (!spec.member) continue;
    if (!names.empty()) names += ", ";
    names += spec.field;
  }
  return names;
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
