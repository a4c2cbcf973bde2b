#include "io/segment_flags.hpp"

#include <string>

#include "cltv/number.hpp"
#include "cltv/segments.hpp"

namespace cltv::cli {
namespace {

constexpr const char* segment_syntax =
    "expected NAME:KEY=VALUE,… (e.g. ads:arpu=5,churn=8%,share=0.7)";

std::string_view trim(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

}  // namespace

result<segment_input> parse_segment_flag(std::string_view text) {
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos)
    return error{"segment", "--segment \"" + printable(text) + "\": " + segment_syntax};
  segment_input seg;
  seg.name = trim(text.substr(0, colon));
  if (seg.name.empty())
    return error{"name", "--segment \"" + printable(text) + "\": the name before ':' is empty"};
  const std::string who = "segment \"" + printable(seg.name) + "\": ";
  std::string seen = ",";
  std::string_view rest = text.substr(colon + 1);
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    const std::string_view pair = trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    const std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos)
      return error{"segment", who + "expected KEY=VALUE, got \"" + printable(pair) +
                                  "\" (e.g. ads:arpu=5,churn=8%,share=0.7)"};
    const std::string_view key = trim(pair.substr(0, eq));
    const std::string_view value = trim(pair.substr(eq + 1));
    const std::string name(key);
    if (seen.find("," + name + ",") != std::string::npos)
      return error{name, who + name + " is given twice"};
    seen += name + ",";
    auto word = set_segment_word(seg, key, value);
    if (!word) return error{word.error().field, who + word.error().message};
    if (*word) continue;
    number_style style{};
    std::optional<double>* slot = segment_number_field(seg, key, style);
    if (!slot)
      return error{name, who + "unknown key \"" + printable(key) +
                             "\" (keys: customers, share, billing, annual_price, annual_churn, "
                             "and the scenario fields in snake_case: arpu, churn, cac …)"};
    auto number = parse_number(key, value, style);
    if (!number) return error{name, who + number.error().message};
    *slot = *number;
  }
  return seg;
}

result<double> parse_what_if(std::string_view text) {
  constexpr std::string_view key = "annual_share=";
  if (text.substr(0, key.size()) != key)
    return error{"what_if", "--what-if must be annual_share=RATE (e.g. annual_share=40%), got \"" +
                                printable(text) + "\""};
  auto share = parse_number("annual_share", text.substr(key.size()), number_style::rate);
  if (!share) return std::move(share).error();
  if (!(*share >= 0 && *share <= 1))
    return error{"annual_share", "annual_share must be in [0, 1], got " + format_shortest(*share)};
  return *share;
}

error segments_unsupported(std::string_view command) {
  return {"segments", "segments are not supported by " + std::string(command) +
                          ": it works on one plan; run calc or check on segments, or give one "
                          "segment's inputs as flags"};
}

error annual_plan_unsupported(std::string_view command) {
  return {"annual_price", "annual_price and annual_churn are not supported by " +
                              std::string(command) +
                              ": it works on the plan as it is; run calc or check with --what-if "
                              "annual_share=RATE to move customers to the annual plan"};
}

void add_unsupported_segment_flag(CLI::App& sub, std::vector<std::string>& segments) {
  sub.add_option("--segment", segments, "Not supported: segments need calc or check")
      ->type_name("SEGMENT")
      ->group("");  // hidden: refused with a plain message
}

void add_unsupported_annual_flags(CLI::App& sub, std::vector<std::string>& annual) {
  for (const char* flag : {"--what-if", "--annual-price", "--annual-churn"})
    sub.add_option(flag, annual, "Not supported: the annual what-if needs calc or check")
        ->group("");  // hidden: refused with a plain message
}

}  // namespace cltv::cli
