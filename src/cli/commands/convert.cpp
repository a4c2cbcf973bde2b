#include "commands/convert.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>
#include <utility>
#include <vector>

#include "cltv/closest_name.hpp"
#include "cltv/number.hpp"
#include "cltv/period.hpp"
#include "io/format_option.hpp"
#include "io/messages.hpp"
#include "io/output.hpp"
#include "io/text.hpp"

namespace cltv::cli {
namespace {

constexpr const char* convert_examples = R"(Examples:
  cltv convert --churn 3.5% --to year
  cltv convert --churn 3.5% --arpu 49 --discount-rate 1% --to year
  cltv convert --churn 25% --arpu 490 --to month --format csv
  cltv convert --discount-rate 10% --to month --format json

Monthly values restated per year (--to year), or annual values per month
(--to month), by the rules cltv uses when it restates a scenario's period:
                  --to year           --to month
  churn           1 - (1 - c)^12      1 - (1 - C)^(1/12)
  arpu            v x 12              V / 12
  discount_rate   (1 + d)^12 - 1      (1 + D)^(1/12) - 1
Rates take 3.5% or 0.035. The table rounds to two decimals (four below 1%); json and csv
carry the exact values, the formula in letters and with the value written in.
Exit codes: 0 ok, 2 bad input (churn must be below 100%).)";

// A value as people read it: a rate as a percentage, ARPU as money.
std::string shown(periodic_quantity q, double x, int rate_places) {
  return q == periodic_quantity::arpu ? money(x) : trimmed_number(x * 100.0, rate_places) + "%";
}

flat_record record_of(const period_conversion& c) {
  flat_record r;
  r.text("quantity", to_string(c.quantity))
      .text("from", to_string(c.from))
      .text("to", to_string(c.to))
      .number("value", c.value)
      .number("converted", c.converted)
      .text("formula", c.formula)
      .text("worked", c.worked);
  return r;
}

// One aligned line per conversion:
//   churn           3.5% per month  =  34.79% per year   1 − (1 − 0.035)^12
void write_table(const std::vector<period_conversion>& conversions, std::string& buf) {
  std::size_t name_width = 0, value_width = 0, converted_width = 0;
  std::vector<std::pair<std::string, std::string>> texts;
  for (const period_conversion& c : conversions) {
    // Two decimals of a percentage, four below 1 % (a monthly rate restated
    // from an annual one: 3.5 % a year is 0.2965 % a month, not 0.3 %).
    const int converted_places = std::abs(c.converted) < 0.01 ? 4 : 2;
    texts.emplace_back(shown(c.quantity, c.value, 4),
                       shown(c.quantity, c.converted, converted_places));
    name_width = std::max(name_width, to_string(c.quantity).size());
    value_width = std::max(value_width, display_width(texts.back().first));
    converted_width = std::max(converted_width, display_width(texts.back().second));
  }
  for (std::size_t i = 0; i < conversions.size(); ++i) {
    const period_conversion& c = conversions[i];
    buf += fmt::format("{}  {} per {}  =  {} per {}   {}\n",
                       pad_right(to_string(c.quantity), name_width),
                       pad_left(texts[i].first, value_width), to_string(c.from),
                       pad_left(texts[i].second, converted_width), to_string(c.to), c.worked);
  }
}

// --to's period; a word close to one names it.
result<period> target_period(std::string_view text) {
  auto to = parse_period("--to", text);
  if (to) return to;
  constexpr std::array<std::string_view, 5> words{"month", "year", "monthly", "yearly", "annual"};
  const std::string_view close = closest_name(text, words);
  error e = to.error();
  if (!close.empty()) e.message += fmt::format("; did you mean {}?", close);
  return e;
}

}  // namespace

CLI::App* setup_convert(CLI::App& app, convert_options& o) {
  CLI::App* cmd = app.add_subcommand(
      "convert", "Restate churn, ARPU and discount rate per year or per month, with the formulas");
  cmd->footer(convert_examples);
  cmd->add_option("--churn", o.churn, "Churn per month (--to year) or per year (--to month)")
      ->option_text("RATE");
  cmd->add_option("--arpu", o.arpu, "Revenue per customer per month or per year")
      ->option_text("AMOUNT");
  cmd->add_option("--discount-rate", o.discount_rate, "Discount rate per month or per year")
      ->option_text("RATE");
  cmd->add_option("--to", o.to,
                  "The period to restate in: year (the values are monthly) or month (they are "
                  "annual)")
      ->option_text("year|month");
  add_format_option(*cmd, o.format, {"table", "json", "csv"},
                    "Output: table (default), json or csv (one row per quantity)");
  return cmd;
}

int run_convert(const convert_options& o) {
  const std::array<std::pair<periodic_quantity, const std::optional<std::string>*>, 3> given{{
      {periodic_quantity::churn, &o.churn},
      {periodic_quantity::arpu, &o.arpu},
      {periodic_quantity::discount_rate, &o.discount_rate},
  }};
  if (!o.churn && !o.arpu && !o.discount_rate)
    return print_error(
               "nothing to convert: give --churn, --arpu or --discount-rate "
               "(see 'cltv convert --help')"),
           2;
  if (o.to.empty())
    return print_error(
               "convert needs --to: year (the values given are monthly) or month (they "
               "are annual)"),
           2;
  auto to = target_period(o.to);
  if (!to) return print_error(to.error().message), 2;

  std::vector<period_conversion> conversions;
  for (const auto& [quantity, text] : given) {
    if (!*text) continue;
    const number_style style =
        quantity == periodic_quantity::arpu ? number_style::plain : number_style::rate;
    auto value = parse_number(to_string(quantity), **text, style);
    if (!value) return print_error(value.error().message), 2;
    auto converted = convert_period(quantity, *value, *to);
    if (!converted) return print_error(converted.error().message), 2;
    conversions.push_back(std::move(*converted));
  }

  output out(STDOUT_FILENO);
  switch (format_named(o.format)) {
    case output_format::json:
      out.buffer() += fmt::format("{{\"to\":\"{}\",\"conversions\":[", to_string(*to));
      for (std::size_t i = 0; i < conversions.size(); ++i) {
        if (i > 0) out.buffer() += ',';
        record_of(conversions[i]).append_json(out.buffer());
      }
      out.buffer() += "]}\n";
      break;
    case output_format::csv:
      record_of(conversions.front()).append_csv_names(out.buffer());
      for (const period_conversion& c : conversions) record_of(c).append_csv_values(out.buffer());
      break;
    default:
      write_table(conversions, out.buffer());
  }
  out.finish();
  if (out.failure()) return print_error(*out.failure()), 2;
  return 0;
}

}  // namespace cltv::cli
