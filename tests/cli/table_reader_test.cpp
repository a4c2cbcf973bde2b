// The delimited-text reader: quoting, line ends, blocks, gzip, errors. Every
// expectation is written by hand from the input above it; the block tests
// compare a reading in tiny blocks with a reading in one block.

#include <fcntl.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "gzip.hpp"
#include "io/table_block_size.hpp"
#include "io/table_reader.hpp"

namespace {

using cltv::cli::table_options;
using cltv::cli::table_reader;

struct row {
  std::uint64_t line = 0;
  std::vector<std::string> fields;
  bool operator==(const row&) const = default;
};

std::ostream& operator<<(std::ostream& out, const row& r) {
  out << "line " << r.line << ":";
  for (const auto& f : r.fields) out << " [" << f << "]";
  return out;
}

// Everything a reader yields, copied (its views die at the next row).
struct table {
  std::vector<row> rows;
  std::optional<std::string> failure;
  std::uint64_t bytes = 0;
  bool operator==(const table&) const = default;
};

std::ostream& operator<<(std::ostream& out, const table& t) {
  out << t.rows.size() << " rows";
  for (const auto& r : t.rows) out << "\n  " << r;
  out << "\n  failure: " << (t.failure ? *t.failure : "none") << ", bytes: " << t.bytes;
  return out;
}

table read_all(table_reader& reader) {
  table out;
  while (reader.next()) {
    row r{reader.line(), {}};
    for (const auto field : reader.fields()) r.fields.emplace_back(field);
    out.rows.push_back(std::move(r));
  }
  CHECK_FALSE(reader.next());  // the end stays the end
  if (reader.failure()) out.failure = reader.failure()->message;
  out.bytes = reader.bytes();
  return out;
}

table read_text(std::string text, char delimiter = ',', std::size_t block = 0) {
  const cltv::cli::table_block_size guard(block);
  auto reader = table_reader::from_string(std::move(text), table_options{delimiter});
  return read_all(reader);
}

std::vector<row> rows_of(const std::string& text, char delimiter = ',') {
  const table t = read_text(text, delimiter);
  CHECK_FALSE(t.failure);
  return t.rows;
}

// A file in the temporary directory, removed at the end of the test.
class temp_file {
 public:
  explicit temp_file(const std::string& content) {
    std::string pattern = (std::filesystem::temp_directory_path() / "cltv-table-XXXXXX").string();
    const int fd = ::mkstemp(pattern.data());
    REQUIRE(fd >= 0);
    ::close(fd);
    path_ = pattern;
    std::ofstream out(path_, std::ios::binary);
    out << content;
  }
  temp_file(const temp_file&) = delete;
  temp_file& operator=(const temp_file&) = delete;
  ~temp_file() { std::remove(path_.c_str()); }
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
};

table read_file(const std::string& path, char delimiter = ',', std::size_t block = 0) {
  const cltv::cli::table_block_size guard(block);
  auto reader = table_reader::open(path, table_options{delimiter});
  REQUIRE(reader);
  return read_all(*reader);
}

// A text that exercises every rule, for the block tests.
std::string tricky_text() {
  std::string text =
      "\xEF\xBB\xBF"
      "id,name,amount\r\n";
  for (int i = 0; i < 40; ++i) {
    const std::string n = std::to_string(i);
    switch (i % 8) {
      case 0:
        text += "c" + n + ",plain," + n + ".5\n";
        break;
      case 1:
        text += "c" + n + ",\"quoted, with comma\"," + n + "\r\n";
        break;
      case 2:
        text += "c" + n + ",\"say \"\"hi\"\" \"\"\"\"\",\"\"\n";
        break;
      case 3:
        text += "c" + n + ",\"two\r\nlines\nthree\",x\r\n";
        break;
      case 4:
        text += "\n\r\n";
        break;
      case 5:
        text += "c" + n + ",a\"b,lone\rcr,\r\n";
        break;
      case 6:
        text += "\"\"\"\"," + std::string(static_cast<std::size_t>(i) * 3, 'x') + "\n";
        break;
      default:
        text += "c" + n + ",,\n";
        break;
    }
  }
  return text + "last,row,\"no newline\"";
}

std::filesystem::path shared_data_dir() {
  if (const char* dir = std::getenv("CLTV_SHARED_DIR")) return std::filesystem::path(dir) / "data";
  // tests/cli/this_file.cpp → the checkout → its sibling ../shared
  return std::filesystem::path(__FILE__).parent_path().parent_path().parent_path().parent_path() /
         "shared" / "data";
}

}  // namespace

TEST_CASE("rows and fields", "[table_reader]") {
  SECTION("fields split at the delimiter, lines numbered from 1") {
    const table t = read_text("a,b,c\n1,2,3\n");
    CHECK_FALSE(t.failure);
    CHECK(t.rows == std::vector<row>{{1, {"a", "b", "c"}}, {2, {"1", "2", "3"}}});
    CHECK(t.bytes == 12);  // every byte consumed: 6 + 6
  }
  SECTION("empty fields, at the start, middle and end") {
    CHECK(rows_of(",a,,b,\n") == std::vector<row>{{1, {"", "a", "", "b", ""}}});
    CHECK(rows_of(",\n") == std::vector<row>{{1, {"", ""}}});
  }
  SECTION("no input, no rows") {
    const table t = read_text("");
    CHECK(t.rows.empty());
    CHECK_FALSE(t.failure);
    CHECK(t.bytes == 0);
  }
  SECTION("fields stay valid until the next row") {
    auto reader = table_reader::from_string("x,y\n", {});
    REQUIRE(reader.next());
    const auto fields = reader.fields();
    REQUIRE(fields.size() == 2);
    CHECK(fields[0] == "x");
    CHECK(fields[1] == "y");
    CHECK_FALSE(reader.next());
    CHECK(reader.fields().empty());
  }
  SECTION("bytes() counts what has been consumed") {
    auto reader = table_reader::from_string("ab,c\r\n\nd\n", {});
    REQUIRE(reader.next());
    CHECK(reader.bytes() == 6);  // "ab,c\r\n"
    REQUIRE(reader.next());
    CHECK(reader.bytes() == 9);  // + "\n" (the empty line) + "d\n"
    CHECK(reader.line() == 3);
  }
}

TEST_CASE("line ends", "[table_reader]") {
  SECTION("LF and CRLF, mixed") {
    CHECK(rows_of("a,b\r\nc,d\ne,f\r\n") ==
          std::vector<row>{{1, {"a", "b"}}, {2, {"c", "d"}}, {3, {"e", "f"}}});
  }
  SECTION("the last line may lack a line break") {
    CHECK(rows_of("a,b\nc,d") == std::vector<row>{{1, {"a", "b"}}, {2, {"c", "d"}}});
    CHECK(rows_of("a,b\r\nc") == std::vector<row>{{1, {"a", "b"}}, {2, {"c"}}});
  }
  SECTION("a CR is part of the line end only before LF") {
    CHECK(rows_of("a\rb,c\r\n") == std::vector<row>{{1, {"a\rb", "c"}}});
    CHECK(rows_of("a\r,b\r\r\n") == std::vector<row>{{1, {"a\r", "b\r"}}});
    CHECK(rows_of("a,b\r") == std::vector<row>{{1, {"a", "b\r"}}});  // no LF follows
  }
  SECTION("empty lines are skipped, and still counted") {
    const table t = read_text("\n\na,b\n\r\n\nc\n\n");
    CHECK_FALSE(t.failure);
    CHECK(t.rows == std::vector<row>{{3, {"a", "b"}}, {6, {"c"}}});
    CHECK(t.bytes == 12);  // 1 + 1 + 4 + 2 + 1 + 2 + 1
  }
  SECTION("a line of blanks is a row in delimiter mode") {
    CHECK(rows_of(" \n") == std::vector<row>{{1, {" "}}});
  }
}

TEST_CASE("byte order mark", "[table_reader]") {
  SECTION("skipped at the very start") {
    const table t = read_text(
        "\xEF\xBB\xBF"
        "a,b\n");
    CHECK(t.rows == std::vector<row>{{1, {"a", "b"}}});
    CHECK(t.bytes == 7);  // the BOM counts as consumed
  }
  SECTION("a BOM alone is an empty input") {
    CHECK(rows_of("\xEF\xBB\xBF").empty());
  }
  SECTION("kept anywhere else") {
    CHECK(rows_of("a,\xEF\xBB\xBF\n") == std::vector<row>{{1, {"a", "\xEF\xBB\xBF"}}});
    CHECK(rows_of("\xEF\xBB") == std::vector<row>{{1, {"\xEF\xBB"}}});
  }
  SECTION("in whitespace mode too") {
    CHECK(rows_of("\xEF\xBB\xBF 1 2\n", '\0') == std::vector<row>{{1, {"1", "2"}}});
  }
}

TEST_CASE("RFC 4180 quoting", "[table_reader]") {
  SECTION("a quoted field may hold the delimiter") {
    CHECK(rows_of("\"a, b\",c\n") == std::vector<row>{{1, {"a, b", "c"}}});
  }
  SECTION("a doubled quote is a quote") {
    CHECK(rows_of("\"say \"\"hi\"\"\",x\n") == std::vector<row>{{1, {"say \"hi\"", "x"}}});
    CHECK(rows_of("\"\"\"\"\n") == std::vector<row>{{1, {"\""}}});
    CHECK(rows_of("\"\",\"\"\"\"\"\"\"\"\n") == std::vector<row>{{1, {"", "\"\"\""}}});
  }
  SECTION("several unescaped fields in one row keep their own text") {
    // The scratch they are unescaped into grows along the row.
    const std::string big(5000, 'y');
    CHECK(rows_of("\"a\"\"\",\"" + big + "\"\"\",\"\"\"c\"\n") ==
          std::vector<row>{{1, {"a\"", big + "\"", "\"c"}}});
  }
  SECTION("line breaks inside quotes belong to the field, and lines still count") {
    const table t = read_text("id,note\r\n1,\"two\r\nlines\"\r\n2,\"three\nmore\nlines\"\n3,x\n");
    CHECK_FALSE(t.failure);
    CHECK(t.rows == std::vector<row>{{1, {"id", "note"}},
                                     {2, {"1", "two\r\nlines"}},
                                     {4, {"2", "three\nmore\nlines"}},
                                     {7, {"3", "x"}}});
  }
  SECTION("a quoted field then the end of the input") {
    CHECK(rows_of("a,\"b\"") == std::vector<row>{{1, {"a", "b"}}});
  }
  SECTION("a quote inside an unquoted field is a plain character") {
    CHECK(rows_of("a\"b,c\"\"\n") == std::vector<row>{{1, {"a\"b", "c\"\""}}});
    CHECK(rows_of(" \"a\",b\n") == std::vector<row>{{1, {" \"a\"", "b"}}});
  }
  SECTION("text after the closing quote is an error naming its line") {
    const table t = read_text("a,b\n\"x\ny\"z,c\nd,e\n");
    CHECK(t.rows == std::vector<row>{{1, {"a", "b"}}});
    CHECK(t.failure == "line 3: unexpected character after closing quote");
    CHECK(read_text("\"a\" ,b\n").failure == "line 1: unexpected character after closing quote");
    CHECK(read_text("\"a\"\r").failure == "line 1: unexpected character after closing quote");
    CHECK(read_text("\"a\"\rb\n").failure == "line 1: unexpected character after closing quote");
  }
  SECTION("an unterminated quote names the line where its field starts") {
    const table t = read_text("a,b\n\nc,\"open\nand\nnever closed\n");
    CHECK(t.rows == std::vector<row>{{1, {"a", "b"}}});
    CHECK(t.failure == "line 3: unterminated quoted field");
    CHECK(read_text("\"").failure == "line 1: unterminated quoted field");
    CHECK(read_text("\"a\nb\",\"c").failure == "line 2: unterminated quoted field");
  }
}

TEST_CASE("other delimiters", "[table_reader]") {
  SECTION("tab") {
    CHECK(rows_of("a\tb c\t\"d\te\"\n", '\t') == std::vector<row>{{1, {"a", "b c", "d\te"}}});
  }
  SECTION("semicolon: commas are plain characters") {
    CHECK(rows_of("1,5;\"x;y\";2\r\n", ';') == std::vector<row>{{1, {"1,5", "x;y", "2"}}});
  }
  SECTION("a quote, CR or LF cannot be the delimiter") {
    for (const char bad : {'"', '\n', '\r'}) {
      const table t = read_text("a\n", bad);
      CHECK(t.rows.empty());
      CHECK(t.failure == "the delimiter cannot be a quote, CR or LF");
      const auto opened = table_reader::open("-", table_options{bad});
      REQUIRE_FALSE(opened);
      CHECK(opened.error().field == "delimiter");
    }
  }
}

TEST_CASE("whitespace mode", "[table_reader]") {
  SECTION("runs of spaces and tabs separate fields; leading and trailing blanks are ignored") {
    CHECK(rows_of("  a  b\t\tc \t\r\n\td\n", '\0') ==
          std::vector<row>{{1, {"a", "b", "c"}}, {2, {"d"}}});
  }
  SECTION("lines of only blanks are skipped and counted") {
    CHECK(rows_of("a\n \t \r\n\n\r\nb c", '\0') == std::vector<row>{{1, {"a"}}, {5, {"b", "c"}}});
  }
  SECTION("quotes are plain characters") {
    CHECK(rows_of("\"a b\" c\n", '\0') == std::vector<row>{{1, {"\"a", "b\"", "c"}}});
  }
}

TEST_CASE("rows longer than a block and rows across blocks", "[table_reader]") {
  SECTION("a row longer than the block grows the buffer") {
    const std::string long_field(10000, 'x');
    const std::string text = "a,b\n" + long_field + ",\"" + long_field + "\"\"\"\nc\n";
    const std::vector<row> expected{
        {1, {"a", "b"}}, {2, {long_field, long_field + "\""}}, {3, {"c"}}};
    for (const std::size_t block : std::vector<std::size_t>{1, 4, 100, 4096}) {
      INFO("block " << block);
      const table t = read_text(text, ',', block);
      CHECK_FALSE(t.failure);
      CHECK(t.rows == expected);
      CHECK(t.bytes == text.size());
    }
  }
  SECTION("every block size from 1 to 64 reads what one block reads") {
    const std::string text = tricky_text();
    const table whole = read_text(text);
    REQUIRE_FALSE(whole.failure);
    REQUIRE(whole.rows.size() == 37);  // the header, 40 lines but 5 of empty lines, the last
    CHECK(whole.rows[0] == row{1, {"id", "name", "amount"}});
    CHECK(whole.bytes == text.size());
    for (std::size_t block = 1; block <= 64; ++block) {
      INFO("block " << block);
      CHECK(read_text(text, ',', block) == whole);
    }
  }
  SECTION("and so do larger blocks, where the field-end index spans several words") {
    const std::string text = tricky_text();
    const table whole = read_text(text);
    for (std::size_t block = 65; block <= text.size() + 64; block += 3) {
      INFO("block " << block);
      CHECK(read_text(text, ',', block) == whole);
    }
  }
  SECTION("quoted fields then a delimiter that ends the block") {
    // Found by a benchmark: a field starting right at the end of the buffer
    // once took a stale field end from the start of the buffer's index.
    std::string text;
    for (int i = 0; i < 200; ++i)
      text += "\"c" + std::to_string(i * 37) + "\",\"2024-04-11\",5" + std::to_string(i) + "\n";
    const table whole = read_text(text);
    REQUIRE(whole.rows.size() == 200);
    CHECK(whole.rows[199] == row{200, {"c7363", "2024-04-11", "5199"}});
    for (std::size_t block = 64; block <= 512; ++block) {
      INFO("block " << block);
      CHECK(read_text(text, ',', block) == whole);
    }
  }
  SECTION("and so do errors") {
    for (const std::string& text : {tricky_text() + "\n\"open", tricky_text() + "\n\"a\"b"}) {
      const table whole = read_text(text);
      REQUIRE(whole.failure);
      for (std::size_t block = 1; block <= 64; ++block) {
        INFO("block " << block);
        CHECK(read_text(text, ',', block) == whole);
      }
    }
  }
  SECTION("whitespace mode across blocks") {
    std::string text = " h1  h2\r\n";
    for (int i = 0; i < 30; ++i)
      text += std::string(static_cast<std::size_t>(i % 4), ' ') + std::to_string(i * 7919) + "\t " +
              std::string(static_cast<std::size_t>(i), 'v') + (i % 3 == 0 ? "\r\n" : "\n");
    text += "\n  \r\n last";
    const table whole = read_text(text, '\0');
    REQUIRE(whole.rows.size() == 32);
    for (std::size_t block = 1; block <= 64; ++block) {
      INFO("block " << block);
      CHECK(read_text(text, '\0', block) == whole);
    }
  }
}

TEST_CASE("files", "[table_reader]") {
  SECTION("a file reads as the same text in a string") {
    const std::string text = tricky_text();
    const temp_file file(text);
    const table expected = read_text(text);
    CHECK(read_file(file.path()) == expected);
    CHECK(read_file(file.path(), ',', 7) == expected);
  }
  SECTION("\"-\" is stdin") {
    const temp_file file("a,b\n1,2\n");
    const int saved = ::dup(STDIN_FILENO);
    const int fd = ::open(file.path().c_str(), O_RDONLY);
    REQUIRE(saved >= 0);
    REQUIRE(fd >= 0);
    ::dup2(fd, STDIN_FILENO);
    ::close(fd);
    const table t = read_file("-");
    ::dup2(saved, STDIN_FILENO);  // the test runner's stdin back
    ::close(saved);
    CHECK(t.rows == std::vector<row>{{1, {"a", "b"}}, {2, {"1", "2"}}});
  }
  SECTION("a missing file") {
    const auto reader = table_reader::open("no/such/file.csv", {});
    REQUIRE_FALSE(reader);
    CHECK(reader.error().field == "input");
    CHECK(reader.error().message == "cannot open \"no/such/file.csv\": No such file or directory");
  }
  SECTION("a read error is the failure") {
    // Reading /proc/self/mem at offset 0 (unmapped) fails with EIO.
    if (!std::filesystem::exists("/proc/self/mem")) return;
    auto reader = table_reader::open("/proc/self/mem", {});
    REQUIRE(reader);
    CHECK_FALSE(reader->next());
    REQUIRE(reader->failure());
    CHECK(reader->failure()->field == "input");
    CHECK(reader->failure()->message == "cannot read \"/proc/self/mem\": Input/output error");
  }
  SECTION("a directory") {
    const auto dir = std::filesystem::temp_directory_path().string();
    const auto reader = table_reader::open(dir, {});
    REQUIRE_FALSE(reader);
    CHECK(reader.error().message == "cannot open \"" + dir + "\": Is a directory");
  }
}

TEST_CASE("gzip", "[table_reader]") {
  const std::string text = tricky_text();
  const table expected = read_text(text);
  SECTION("a gzip file reads as its text") {
    const temp_file file(gzip(text));
    CHECK(read_file(file.path()) == expected);
    for (const std::size_t block : std::vector<std::size_t>{1, 2, 3, 17, 64}) {
      INFO("block " << block);
      CHECK(read_file(file.path(), ',', block) == expected);
    }
  }
  SECTION("gzip from a string too") {
    CHECK(read_text(gzip(text)) == expected);
    CHECK(read_text(gzip(text), ',', 5) == expected);
  }
  SECTION("concatenated members read as one text") {
    const std::string half = text.substr(0, 333);
    const temp_file file(gzip(half) + gzip("") + gzip(text.substr(333)));
    CHECK(read_file(file.path()) == expected);
    CHECK(read_file(file.path(), ',', 3) == expected);
  }
  SECTION("damaged data") {
    std::string bytes = gzip(text);
    bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x55);
    const temp_file file(bytes);
    const table t = read_file(file.path());
    REQUIRE(t.failure);
    CHECK_THAT(*t.failure, Catch::Matchers::StartsWith(file.path() + ": damaged gzip data ("));
  }
  SECTION("a wrong checksum") {
    std::string bytes = gzip(text);
    bytes[bytes.size() - 8] = static_cast<char>(bytes[bytes.size() - 8] ^ 1);  // CRC-32 trailer
    const temp_file file(bytes);
    CHECK(read_file(file.path()).failure ==
          file.path() + ": damaged gzip data (incorrect data check)");
  }
  SECTION("a truncated stream") {
    const std::string bytes = gzip(text);
    const temp_file file(bytes.substr(0, bytes.size() - 10));
    const table t = read_file(file.path());
    CHECK(t.failure == file.path() + ": damaged gzip data (unexpected end of file)");
  }
  SECTION("the rows before the damage are read, whatever the block size") {
    const std::string bytes = gzip("a,b\nc,d\ne,f\n");
    const temp_file file(
        bytes.substr(0, bytes.size() - 4));  // cut in the trailer: all text is there
    for (const std::size_t block : std::vector<std::size_t>{0, 1, 2, 5, 64}) {
      INFO("block " << block);
      const table t = read_file(file.path(), ',', block);
      CHECK(t.rows == std::vector<row>{{1, {"a", "b"}}, {2, {"c", "d"}}, {3, {"e", "f"}}});
      CHECK(t.failure == file.path() + ": damaged gzip data (unexpected end of file)");
    }
  }
  SECTION("a parse error before the damage is the failure, whatever the block size") {
    std::string bytes = gzip("a,b\n\"q\"x,2\n");
    bytes[bytes.size() - 8] = static_cast<char>(bytes[bytes.size() - 8] ^ 1);  // CRC-32 trailer
    const temp_file file(bytes);
    for (const std::size_t block : std::vector<std::size_t>{0, 1, 2, 5, 64}) {
      INFO("block " << block);
      const table t = read_file(file.path(), ',', block);
      CHECK(t.rows == std::vector<row>{{1, {"a", "b"}}});
      CHECK(t.failure == "line 2: unexpected character after closing quote");
    }
  }
  SECTION("trailing garbage after the last member") {
    const temp_file file(gzip(text) + "garbage");
    const table t = read_file(file.path());
    REQUIRE(t.failure);
    CHECK_THAT(*t.failure, Catch::Matchers::StartsWith(file.path() + ": damaged gzip data ("));
  }
  SECTION("one byte 1f is plain text") {
    CHECK(rows_of("\x1f") == std::vector<row>{{1, {"\x1f"}}});
  }
}

TEST_CASE("the CDNOW logs in ../shared", "[table_reader][cdnow]") {
  const auto dir = shared_data_dir();
  if (!std::filesystem::exists(dir / "CDNOW_master.txt")) {
    WARN("skipped: /work/shared absent (looked in " << dir.string() << "; set CLTV_SHARED_DIR)");
    return;
  }
  SECTION("CDNOW_master.txt: a header starting with a space, CRLF, 4 columns") {
    auto reader = table_reader::open((dir / "CDNOW_master.txt").string(), table_options{'\0'});
    REQUIRE(reader);
    REQUIRE(reader->next());
    CHECK(reader->line() == 1);
    const auto header = reader->fields();
    CHECK(std::vector<std::string_view>(header.begin(), header.end()) ==
          std::vector<std::string_view>{"customer_id", "date", "number_of_cds", "dollar_value"});
    REQUIRE(reader->next());
    const auto first = reader->fields();
    CHECK(std::vector<std::string_view>(first.begin(), first.end()) ==
          std::vector<std::string_view>{"00001", "19970101", "1", "11.77"});
    std::uint64_t rows = 2;
    std::vector<std::string> last;
    while (reader->next()) {
      ++rows;
      REQUIRE(reader->fields().size() == 4);
      CHECK(reader->line() == rows);
      last.assign(reader->fields().begin(), reader->fields().end());
    }
    CHECK_FALSE(reader->failure());
    CHECK(rows == 69660);  // wc -l: every line is a row
    CHECK(last == std::vector<std::string>{"23570", "19970326", "2", "42.96"});
    CHECK(reader->bytes() == std::filesystem::file_size(dir / "CDNOW_master.txt"));
  }
  SECTION("CDNOW_sample.txt: no header, 5 columns; gzip gives the same rows") {
    const auto path = dir / "CDNOW_sample.txt";
    const table t = read_file(path.string(), '\0');
    CHECK_FALSE(t.failure);
    REQUIRE(t.rows.size() == 6919);  // wc -l
    CHECK(t.rows[0] == row{1, {"00004", "0001", "19970101", "2", "29.33"}});
    for (const auto& r : t.rows) REQUIRE(r.fields.size() == 5);

    std::ifstream in(path, std::ios::binary);
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    const temp_file gz(gzip(text));
    table unzipped = read_file(gz.path(), '\0');
    CHECK(unzipped == t);
  }
}
