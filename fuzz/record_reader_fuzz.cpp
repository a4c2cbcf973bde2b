// Input bytes → a file → record_reader::open + next() (the CLI's framing of
// every input), then each record → scenario_parser::parse. Invariants:
// - index counts 0, 1, 2, …; lines never decrease;
// - each record is non-empty and is the input's own bytes at the place the
//   shape says it starts: after a BOM and blanks (and '[' or ',' in an array),
//   on line 1 + the newlines before it — no byte of a record is lost, moved or
//   invented;
// - without a fatal error, nothing but blanks (and an array's ']') follows
//   the last record: no record is dropped;
// - a fatal error has a non-empty one-line message; after the end, next()
//   stays at the end; the loop ends (at most one record per input byte).

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include "check.hpp"
#include "io/record_reader.hpp"
#include "io/scenario_json.hpp"
#include "memory_file.hpp"

namespace {

using namespace cltv::cli;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

using cltv::fuzz::input_path;
using cltv::fuzz::write_input;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static scenario_parser parser;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  write_input(input);

  auto reader = record_reader::open(input_path());
  CLTV_FUZZ_CHECK(reader.has_value());

  // pos: where the next record may start, per the shape's grammar.
  std::size_t pos = input.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  auto skip_space = [&] {
    while (pos < input.size() && is_space(input[pos])) ++pos;
  };
  auto newlines_before = [&](std::size_t at) {
    return static_cast<std::size_t>(
        std::count(input.begin(), input.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
  };

  std::size_t count = 0;
  std::size_t last_line = 0;
  parsed_scenario parsed;
  cltv::error err;
  while (auto rec = reader->next()) {
    CLTV_FUZZ_CHECK(count <= size);  // no hang: a record has at least one byte
    CLTV_FUZZ_CHECK(rec->index == count);
    CLTV_FUZZ_CHECK(rec->line >= std::max<std::size_t>(last_line, 1));
    CLTV_FUZZ_CHECK(!rec->text.empty());
    skip_space();
    if (reader->shape() == input_shape::array) {
      const char expected = count == 0 ? '[' : ',';
      CLTV_FUZZ_CHECK(pos < input.size() && input[pos] == expected);
      ++pos;
      skip_space();
    }
    CLTV_FUZZ_CHECK(input.substr(pos, rec->text.size()) == rec->text);
    CLTV_FUZZ_CHECK(rec->line == 1 + newlines_before(pos));
    pos += rec->text.size();
    last_line = rec->line;
    ++count;

    if (!parser.parse(rec->text, parsed, err)) CLTV_FUZZ_CHECK(!err.message.empty());
  }
  CLTV_FUZZ_CHECK(!reader->next());  // the end stays the end

  if (const auto& fatal = reader->fatal()) {
    CLTV_FUZZ_CHECK(cltv::fuzz::is_one_line_message(fatal->message));
  } else {
    skip_space();
    if (reader->shape() == input_shape::array && pos < input.size()) {
      if (count == 0) {  // "[ ]"
        CLTV_FUZZ_CHECK(input[pos] == '[');
        ++pos;
        skip_space();
      }
      CLTV_FUZZ_CHECK(pos < input.size() && input[pos] == ']');
      ++pos;
      skip_space();
    }
    CLTV_FUZZ_CHECK(pos == input.size());  // no record dropped
  }
  return 0;
}
