// The byte source under the readers: raw and gunzipped bytes, blocks, open
// errors; and text_window's lines. The readers' own tests (table_reader,
// ndjson_rows, record_reader) cover gzip damage and files in depth.

#include "io/byte_source.hpp"

#include <catch2/catch.hpp>

#include <cstddef>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "gzip.hpp"

namespace {

using cltv::cli::byte_source;
using cltv::cli::text_window;

// Everything `source` gives, read `n` bytes at a time.
std::string drain(byte_source source, std::size_t n = 7) {
  std::string text;
  std::vector<char> block(n);
  for (;;) {
    std::size_t got = 0;
    REQUIRE(source.read(block.data(), block.size(), got));
    if (got == 0) return text;
    text.append(block.data(), got);
  }
}

}  // namespace

TEST_CASE("byte_source", "[byte_source]") {
  using decoding = byte_source::decoding;
  const std::string text = "customer_id,date\nc1,2024-01-03\n";

  SECTION("plain text reads as it is, in any blocks") {
    CHECK(drain(byte_source::from_string(text, decoding::gunzip_by_magic)) == text);
    CHECK(drain(byte_source::from_string(text, decoding::raw, 3), 1) == text);
  }
  SECTION("gzip: decompressed by its magic, or handed back as stored") {
    const std::string packed = gzip(text) + gzip("c2,2024-01-05\n");  // two members
    CHECK(drain(byte_source::from_string(packed, decoding::gunzip_by_magic, 5)) ==
          text + "c2,2024-01-05\n");
    CHECK(drain(byte_source::from_string(packed, decoding::raw)) == packed);
  }
  SECTION("names and open errors") {
    CHECK(byte_source::from_string("", decoding::raw).name() == "text");
    auto in = byte_source::open("-", decoding::raw);
    REQUIRE(in);
    CHECK(in->name() == "stdin");
    CHECK_FALSE(in->file_size());
    auto missing = byte_source::open("no/such/file.csv", decoding::raw);
    REQUIRE_FALSE(missing);
    CHECK(missing.error().message == "cannot open \"no/such/file.csv\": No such file or directory");
    const std::string dir = std::filesystem::temp_directory_path().string();
    auto directory = byte_source::open(dir, decoding::gunzip_by_magic);
    REQUIRE_FALSE(directory);
    CHECK(directory.error().message == "cannot open \"" + dir + "\": Is a directory");
  }
  SECTION("damaged gzip: the text before the damage, then the failure") {
    const std::string packed = gzip(text);
    auto source = byte_source::from_string(packed.substr(0, packed.size() - 8),  // no trailer
                                           decoding::gunzip_by_magic);
    std::vector<char> block(1024);
    std::size_t got = 0;
    CHECK_FALSE(source.read(block.data(), block.size(), got));
    CHECK(std::string(block.data(), got) == text);
    REQUIRE(source.failure());
    CHECK(source.failure()->message == "text: damaged gzip data (unexpected end of file)");
  }
}

TEST_CASE("text_window lines", "[byte_source]") {
  // A BOM, CRLF, a blank line, blanks around a line, no final line break:
  // lines 1, 3 and 4, whatever the blocks.
  const std::string text =
      "\xEF\xBB\xBF"
      "a,1\r\n"
      "\n"
      "  b \t\n"
      "c";
  for (const std::size_t block : std::vector<std::size_t>{1, 2, 5, 64}) {
    INFO("block " << block);
    text_window window(
        byte_source::from_string(text, byte_source::decoding::gunzip_by_magic, block), block, 16);
    window.skip_bom();
    std::vector<std::pair<std::string, std::size_t>> lines;
    std::size_t number = 0;
    while (const auto line = window.next_line(number)) lines.emplace_back(*line, number);
    CHECK(lines ==
          std::vector<std::pair<std::string, std::size_t>>{{"a,1", 1}, {"b", 3}, {"c", 4}});
    CHECK(window.consumed() == text.size());
    CHECK_FALSE(window.failure());
  }
}
