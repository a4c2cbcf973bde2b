#include "io/format_option.hpp"

namespace cltv::cli {

CLI::Option* add_format_option(CLI::App& app, std::string& format,
                               const std::vector<std::string>& choices, const std::string& help,
                               const std::string& option_text, const std::string& names) {
  return app.add_option(names, format, help)
      ->transform(CLI::IsMember(choices, CLI::ignore_case))
      ->option_text(option_text);
}

}  // namespace cltv::cli
