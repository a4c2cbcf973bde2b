// CSV scenario bytes → scenario_csv_reader (the CLI's reader of *.csv
// scenarios) → parse_record of each row. Checked against the rows that
// table_reader (fuzzed on its own) reads from the same bytes. Invariants:
// - a header that table_reader reads is refused (a fatal one-line error, no
//   record) or gives one record per further row, index 0, 1, 2, … on the
//   row's line; nothing is dropped: without a fatal error there are as many
//   records as rows after the header;
// - a row with as many fields as the header is a JSON object (checked with
//   nlohmann/json, independent of simdjson) holding exactly its non-empty
//   cells under their column names, in order, each as the cell's text (the
//   "id" as a number when the cell is one), unless its id is not printable
//   UTF-8 text (a control character, C1 included, or invalid bytes): that
//   row, and any other row, is an error record with a one-line message;
// - parse_record fails with a non-empty one-line message or succeeds;
// - the end stays the end.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "check.hpp"
#include "io/record_reader.hpp"
#include "io/scenario_csv.hpp"
#include "io/scenario_json.hpp"
#include "io/table_reader.hpp"

namespace {

using namespace cltv::cli;

bool is_valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    }
    if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1Fu;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0Fu;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07u;
    } else {
      return false;
    }
    for (std::size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return false;
      const auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3Fu);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += n + 1;
  }
  return true;
}

// An id cltv accepts: valid UTF-8 without C0/C1 control characters or DEL.
bool printable_id(std::string_view s) {
  if (!is_valid_utf8(s)) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7F) return false;
    if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) < 0xA0)
      return false;  // U+0080 … U+009F
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static scenario_parser parser;
  const std::string input(reinterpret_cast<const char*>(data), size);

  // The oracle's rows: what table_reader reads from the same bytes.
  std::vector<std::vector<std::string>> rows;
  std::vector<std::uint64_t> lines;
  auto table = table_reader::from_string(input, table_options{','});
  while (table.next()) {
    rows.emplace_back(table.fields().begin(), table.fields().end());
    lines.push_back(table.line());
  }
  const bool table_failed = table.failure().has_value();

  auto reader = scenario_csv_reader::from_string(input);
  std::size_t count = 0;
  parsed_scenario parsed;
  cltv::error err;
  while (auto rec = reader.next()) {
    CLTV_FUZZ_CHECK(count + 1 < rows.size());
    CLTV_FUZZ_CHECK(rec->index == count);
    const std::vector<std::string>& header = rows[0];
    const std::vector<std::string>& row = rows[count + 1];
    CLTV_FUZZ_CHECK(rec->line == lines[count + 1]);
    // The id column: the last one named "id", as the reader takes it.
    std::size_t id_column = header.size();
    for (std::size_t i = 0; i < header.size(); ++i)
      if (header[i] == "id") id_column = i;
    const bool bad_id =
        row.size() == header.size() && id_column < row.size() && !printable_id(row[id_column]);
    if (row.size() != header.size() || bad_id) {
      CLTV_FUZZ_CHECK(rec->failure.has_value());
      CLTV_FUZZ_CHECK(cltv::fuzz::is_one_line_message(rec->failure->message));
    } else {
      CLTV_FUZZ_CHECK(!rec->failure.has_value());
      const auto json = nlohmann::ordered_json::parse(rec->text, nullptr, false);
      if (json.is_discarded()) {
        // Only a number too large for nlohmann (an id like 1e999) is refused.
        bool has_numeric_id = false;
        for (std::size_t i = 0; i < header.size(); ++i)
          has_numeric_id |= header[i] == "id" && cltv::fuzz::is_json_number(row[i]);
        CLTV_FUZZ_CHECK(has_numeric_id);
      } else {
        CLTV_FUZZ_CHECK(json.is_object());
        auto item = json.items().begin();
        std::size_t given = 0;
        for (std::size_t i = 0; i < header.size(); ++i) {
          if (row[i].empty()) continue;
          ++given;
          CLTV_FUZZ_CHECK(item != json.items().end());
          CLTV_FUZZ_CHECK(item.key() == header[i] || !is_valid_utf8(header[i]));
          if (header[i] == "id" && cltv::fuzz::is_json_number(row[i]))
            CLTV_FUZZ_CHECK(item.value().is_number());
          else
            CLTV_FUZZ_CHECK(item.value().is_string() &&
                            (item.value().get<std::string>() == row[i] || !is_valid_utf8(row[i])));
          ++item;
        }
        CLTV_FUZZ_CHECK(json.size() == given);
      }
    }
    if (!parse_record(parser, *rec, parsed, err))
      CLTV_FUZZ_CHECK(cltv::fuzz::is_one_line_message(err.message));
    ++count;
  }
  CLTV_FUZZ_CHECK(!reader.next());  // the end stays the end

  if (const auto& fatal = reader.fatal()) {
    CLTV_FUZZ_CHECK(cltv::fuzz::is_one_line_message(fatal->message));
    CLTV_FUZZ_CHECK(table_failed || (count == 0 && !rows.empty()) || rows.empty());
  } else {
    CLTV_FUZZ_CHECK(!table_failed);
    CLTV_FUZZ_CHECK(!rows.empty());
    CLTV_FUZZ_CHECK(count == rows.size() - 1);  // no row dropped
  }
  return 0;
}
