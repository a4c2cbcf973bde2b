#include "io/messages.hpp"

#include "io/progress.hpp"

#include <cstdio>
#include <string>

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

}  // namespace cltv::cli
