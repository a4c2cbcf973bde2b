#include "io/messages.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <string>

#include "cltv/closest_name.hpp"
#include "io/progress.hpp"

namespace cltv::cli {

void print_error(std::string_view message) {
  erase_progress_line();
  std::string line = "cltv: ";
  line += message;
  line += '\n';
  std::fputs(line.c_str(), stderr);
}

void print_note(std::string_view message) {
  if (!message.empty()) print_error(message);
}

std::string did_you_mean(std::string_view word, std::span<const std::string_view> names) {
  const std::string_view best = closest_name(word, names);
  return best.empty() ? std::string() : fmt::format(" (did you mean {}?)", best);
}

}  // namespace cltv::cli
