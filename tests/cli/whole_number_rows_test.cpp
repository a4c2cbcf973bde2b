// The one-pass reader of whole-number rows (the fast way through a summary):
// hand-written rows with what it must read and where it must stop, then
// random texts of awkward pieces, where every row it reads must be the row
// the general reader (table_reader) reads at the same line, with the same
// numbers, and where it stops must be the start of a row.

#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "io/table_reader.hpp"
#include "io/whole_number_rows.hpp"

namespace {

using cltv::cli::row_block;
using cltv::cli::table_options;
using cltv::cli::table_reader;
using cltv::cli::whole_number_rows;

struct scanned {
  std::vector<whole_number_rows::numbers> rows;
  whole_number_rows::stop stop;
};

row_block block_of(const std::string& text, std::uint64_t first_line = 2) {
  row_block block;
  block.bytes.assign(text.begin(), text.end());
  block.bytes.resize(text.size() + 64, 'x');  // padding that is not a line break
  block.size = text.size();
  block.first_line = first_line;
  return block;
}

scanned scan(const whole_number_rows& layout, const std::string& text,
             std::uint64_t refuse_above = ~std::uint64_t{0}) {
  scanned out;
  row_block block = block_of(text);
  out.stop = layout.scan(block, [&](const whole_number_rows::numbers& v) {
    if (v[0] > refuse_above) return false;
    out.rows.push_back(v);
    return true;
  });
  CHECK(block.bytes[text.size()] == 'x');  // the padding put back
  return out;
}

whole_number_rows three_columns(char delimiter = ',') {
  whole_number_rows layout(delimiter);
  for (const std::size_t position : {std::size_t{0}, std::size_t{1}, std::size_t{2}})
    layout.add_number(position);
  return layout;
}

using numbers = whole_number_rows::numbers;

}  // namespace

TEST_CASE("whole-number rows: plain rows, CRLF, empty lines, a last row without a line break",
          "[whole_number_rows]") {
  const auto layout = three_columns();
  const std::string text = "1,2,3\n\n40,50,60\r\n\r\n7,8,9";
  const scanned s = scan(layout, text);
  CHECK(s.rows == std::vector<numbers>{{1, 2, 3}, {40, 50, 60}, {7, 8, 9}});
  CHECK(s.stop.offset == text.size());
  CHECK(s.stop.line == 7);  // lines 2 to 6, the block starting on line 2
}

TEST_CASE("whole-number rows: a field the general reader must read stops the scan at its row",
          "[whole_number_rows]") {
  const auto layout = three_columns();
  const std::string first = "1,2,3\n";
  for (const std::string odd :
       {"1,2.5,3\n", "1,\"2\",3\n", "1,2,3x\n", ",2,3\n", "1,2\n", "1,2,1234567890\n", "1,2,-3\n",
        "1 ,2,3\n", "1,2\r,3\n", "1,2,3\r", "1,2,3,\"a\nb\"\n", "\r1,2,3\n"}) {
    INFO(odd);
    const scanned s = scan(layout, first + odd + "4,5,6\n");
    CHECK(s.rows == std::vector<numbers>{{1, 2, 3}});
    CHECK(s.stop.offset == first.size());
    CHECK(s.stop.line == 3);
  }
}

TEST_CASE("whole-number rows: nine digits, leading zeros, extra fields, columns in any order",
          "[whole_number_rows]") {
  whole_number_rows layout(';');
  layout.add_number(3);
  layout.add_number(1);
  layout.add_number(2);
  const scanned s = scan(layout, "C1;007;2;999999999;x,y;z\nC2;0;0;5\n");
  CHECK(s.rows == std::vector<numbers>{{999999999, 7, 2}, {5, 0, 0}});
  CHECK(s.stop.line == 4);
}

TEST_CASE("whole-number rows: fixed fields hold the first row's text, or nothing",
          "[whole_number_rows]") {
  whole_number_rows layout(',');
  for (const std::size_t position : {std::size_t{1}, std::size_t{2}, std::size_t{3}})
    layout.add_number(position);
  layout.add_fixed(4, std::string("1"));
  layout.add_fixed(5, std::nullopt);
  layout.add_fixed(6, std::string("2024-12-30"));
  const std::string good = "a,1,1,2,1,,2024-12-30\nb,0,0,5,1,,2024-12-30\r\n";
  CHECK(scan(layout, good).rows == std::vector<numbers>{{1, 1, 2}, {0, 0, 5}});
  for (const std::string odd : {"c,1,1,2,1.0,,2024-12-30\n", "c,1,1,2,1,D,2024-12-30\n",
                                "c,1,1,2,1,,2024-12-31\n", "c,1,1,2,1,\n"}) {
    INFO(odd);
    const scanned s = scan(layout, good + odd);
    CHECK(s.rows.size() == 2);
    CHECK(s.stop.offset == good.size());
  }
}

TEST_CASE("whole-number rows: a refused row, a clash of columns, a broken block",
          "[whole_number_rows]") {
  const auto layout = three_columns();
  const scanned refused = scan(layout, "1,1,1\n9,1,1\n2,1,1\n", 5);
  CHECK(refused.rows.size() == 1);
  CHECK(refused.stop.offset == 6);
  CHECK(refused.stop.line == 3);

  whole_number_rows clash(',');
  clash.add_number(0);
  clash.add_number(1);
  clash.add_number(1);
  CHECK_FALSE(clash.usable());
  CHECK(scan(clash, "1,2\n").stop.offset == 0);
  whole_number_rows two(',');
  two.add_number(0);
  two.add_number(1);
  CHECK_FALSE(two.usable());

  row_block broken = block_of("1,2,3\n");
  broken.broken = cltv::error{"input", "read error"};
  CHECK(layout.scan(broken, [](const numbers&) { return true; }).offset == 0);
}

TEST_CASE("whole-number rows: random texts read as the general reader reads them",
          "[whole_number_rows]") {
  const std::vector<std::string> pieces{"1", "23", "0",  "007", "123456789", "1234567890", ",",
                                        ",", ",",  "\n", "\n",  "\r\n",      "\r",         "\"",
                                        "a", " ",  ".",  "-",   "\"\"",      "\"x,\ny\""};
  std::mt19937 random(20261206);
  std::uniform_int_distribution<std::size_t> piece(0, pieces.size() - 1);
  const auto layout = three_columns();
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const std::size_t length = 1 + random() % 60;
    for (std::size_t k = 0; k < length; ++k) text += pieces[piece(random)];
    // A block holds whole rows: the general reader decides where the scan must stop.
    const scanned s = scan(layout, text);
    INFO(text);
    table_reader general = table_reader::from_string(text, table_options{','});
    for (const numbers& got : s.rows) {
      REQUIRE(general.next());
      const auto fields = general.fields();
      REQUIRE(fields.size() >= 3);
      for (std::size_t i = 0; i < 3; ++i) CHECK(got[i] == std::stoull(std::string(fields[i])));
    }
    // The scan stopped at the start of a row: the general reader's next row
    // (if any) starts on the scan's stop line (the block starts on line 2).
    if (s.stop.offset < text.size() && general.next()) CHECK(general.line() + 1 == s.stop.line);
  }
}
