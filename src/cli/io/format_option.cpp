#include "io/format_option.hpp"

namespace cltv::cli {

output_format format_named(std::string_view name) noexcept {
  if (name == "json") return output_format::json;
  if (name == "ndjson") return output_format::ndjson;
  if (name == "csv") return output_format::csv;
  return output_format::table;
}

bool is_stream_format(std::string_view name) noexcept {
  const output_format format = format_named(name);
  return format == output_format::ndjson || format == output_format::csv;
}

CLI::Option* add_format_option(CLI::App& app, std::string& format,
                               const std::vector<std::string>& choices, const std::string& help,
                               const std::string& option_text, const std::string& names) {
  return app.add_option(names, format, help)
      ->transform(CLI::IsMember(choices, CLI::ignore_case))
      ->option_text(option_text);
}

}  // namespace cltv::cli
