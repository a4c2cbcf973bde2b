#include "io/single_scenario.hpp"

#include <fmt/format.h>

#include <optional>

#include "io/record_reader.hpp"
#include "io/scenario_options.hpp"

namespace cltv::cli {

result<single_scenario> read_single_scenario(const std::string& path,
                                             const std::string& input_format,
                                             std::string_view command, std::string_view noun,
                                             const scenario_input& flags) {
  auto reader = record_reader::open(path, scenario_format_of(path, input_format));
  if (!reader) return std::move(reader).error();
  std::optional<record> first = reader->next();
  if (!first) {
    if (reader->fatal()) return *reader->fatal();
    return error{"input", "no scenario in " + reader->name()};
  }
  scenario_parser parser;
  single_scenario out;
  error parse_error;
  if (!parse_record(parser, *first, out.parsed, parse_error))
    return error{parse_error.field,
                 fmt::format("{} ({}, line {})", parse_error.message, reader->name(), first->line)};
  if (reader->shape() == input_shape::array || reader->next())
    return error{"input", fmt::format("{} takes one {}; {} holds more than one (run {} once "
                                      "per scenario)",
                                      command, noun, reader->name(), command)};
  if (reader->fatal()) return *reader->fatal();
  out.source = reader->name();
  out.line = first->line;
  period_override_warning period_warning(flags);
  if (period_warning.applies(out.parsed.input))
    period_warning.add(fmt::format("line {}", first->line));
  period_warning.print();
  out.parsed.input = with_overrides(out.parsed.input, flags);
  return out;
}

}  // namespace cltv::cli
