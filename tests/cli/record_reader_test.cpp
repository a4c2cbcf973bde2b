// Framing of the input into records: NDJSON lines, top-level values, arrays.
// The reader only splits; scenario_json_test checks what is inside a record.

#include <unistd.h>
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "io/record_reader.hpp"

namespace {

using cltv::cli::input_shape;
using cltv::cli::record_reader;

// A file in the temporary directory, removed at the end of the test.
class temp_file {
 public:
  explicit temp_file(const std::string& content) {
    std::string pattern = (std::filesystem::temp_directory_path() / "cltv-reader-XXXXXX").string();
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

// A record copied out of the reader (its text is valid only until next()).
struct copied {
  std::string text;
  std::size_t line;
  std::size_t index;
};

struct read_result {
  std::vector<copied> records;
  input_shape shape = input_shape::lines;
  std::string fatal;  // empty when none
};

read_result read_all(const std::string& content) {
  temp_file file(content);
  auto reader = record_reader::open(file.path());
  REQUIRE(reader);
  read_result out;
  while (auto r = reader->next()) out.records.push_back({std::string(r->text), r->line, r->index});
  out.shape = reader->shape();
  if (reader->fatal()) {
    // Messages name the file: replace its random name for comparisons.
    std::string message = reader->fatal()->message;
    const auto at = message.find(file.path());
    if (at != std::string::npos) message.replace(at, file.path().size(), "FILE");
    out.fatal = message;
    CHECK(reader->fatal()->field == "input");
  }
  return out;
}

}  // namespace

TEST_CASE("NDJSON: one record per line") {
  SECTION("lines, indexes and text") {
    const auto r = read_all("{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n");
    CHECK(r.shape == input_shape::lines);
    CHECK(r.fatal.empty());
    REQUIRE(r.records.size() == 3);
    CHECK(r.records[0].text == "{\"a\":1}");
    CHECK(r.records[0].line == 1);
    CHECK(r.records[0].index == 0);
    CHECK(r.records[2].text == "{\"c\":3}");
    CHECK(r.records[2].line == 3);
    CHECK(r.records[2].index == 2);
  }
  SECTION("blank and whitespace-only lines are skipped but counted") {
    const auto r = read_all("\n\n{\"a\":1}\n   \n\t\n{\"b\":2}\n\n");
    REQUIRE(r.records.size() == 2);
    CHECK(r.records[0].line == 3);
    CHECK(r.records[0].index == 0);
    CHECK(r.records[1].line == 6);
    CHECK(r.records[1].index == 1);  // indexes count records, not lines
    CHECK(r.fatal.empty());
  }
  SECTION("CRLF line ends: the CR is not part of the record") {
    const auto r = read_all("{\"a\":1}\r\n\r\n{\"b\":2}\r\n");
    REQUIRE(r.records.size() == 2);
    CHECK(r.records[0].text == "{\"a\":1}");
    CHECK(r.records[1].text == "{\"b\":2}");
    CHECK(r.records[1].line == 3);
  }
  SECTION("a UTF-8 byte order mark is skipped") {
    const auto r = read_all("\xEF\xBB\xBF{\"a\":1}\n{\"b\":2}\n");
    CHECK(r.shape == input_shape::lines);
    REQUIRE(r.records.size() == 2);
    CHECK(r.records[0].text == "{\"a\":1}");
    CHECK(r.records[0].line == 1);
  }
  SECTION("a BOM, CRLF and a single record") {
    const auto r = read_all("\xEF\xBB\xBF{\"a\":1}\r\n");
    REQUIRE(r.records.size() == 1);
    CHECK(r.records[0].text == "{\"a\":1}");
  }
  SECTION("no final newline: the last line is still a record") {
    const auto r = read_all("{\"a\":1}\n{\"b\":2}");
    REQUIRE(r.records.size() == 2);
    CHECK(r.records[1].text == "{\"b\":2}");
    CHECK(r.records[1].line == 2);
  }
  SECTION("leading and trailing blanks on a line are trimmed") {
    const auto r = read_all("  {\"a\":1}  \n");
    REQUIRE(r.records.size() == 1);
    CHECK(r.records[0].text == "{\"a\":1}");
  }
  SECTION("a broken line is still one record (the parser reports it)") {
    const auto r = read_all("{\"a\":1}\n{\"b\":\n{\"c\":3}\n");
    CHECK(r.shape == input_shape::lines);
    REQUIRE(r.records.size() == 3);
    CHECK(r.records[1].text == "{\"b\":");
    CHECK(r.records[1].line == 2);
    CHECK(r.records[2].line == 3);
  }
  SECTION("text that is not JSON: each line becomes a record") {
    const auto r = read_all("hello\nworld\n");
    CHECK(r.shape == input_shape::lines);
    REQUIRE(r.records.size() == 2);
    CHECK(r.records[0].text == "hello");
    CHECK(r.records[1].text == "world");
  }
  SECTION("braces inside strings do not confuse the shape detection") {
    const auto r = read_all("{\"id\":\"}{\\\"\",\"a\":1}\n{\"b\":2}\n");
    CHECK(r.shape == input_shape::lines);
    REQUIRE(r.records.size() == 2);
    CHECK(r.records[0].text == "{\"id\":\"}{\\\"\",\"a\":1}");
  }
  SECTION("more than the initial 1 MiB buffer: every line, in order") {
    std::string content;
    const std::size_t n = 60000;  // 60000 × ~30 bytes ≈ 1.8 MB
    for (std::size_t i = 0; i < n; ++i)
      content += "{\"arpu\":" + std::to_string(i) + ",\"churn\":0.05}\n";
    const auto r = read_all(content);
    REQUIRE(r.records.size() == n);
    CHECK(r.records[12345].text == "{\"arpu\":12345,\"churn\":0.05}");
    CHECK(r.records[12345].line == 12346);
    CHECK(r.records[n - 1].line == n);
    CHECK(r.fatal.empty());
  }
  SECTION("one line longer than the initial buffer") {
    const std::string id(3 << 20, 'x');  // 3 MiB
    const std::string first = "{\"id\":\"" + id + "\",\"arpu\":1}";
    const auto r = read_all(first + "\n{\"b\":2}\n");
    REQUIRE(r.records.size() == 2);
    CHECK(r.records[0].text == first);
    CHECK(r.records[1].text == "{\"b\":2}");
    CHECK(r.records[1].line == 2);
  }
}

TEST_CASE("Pretty-printed values: one record per top-level value") {
  SECTION("two multi-line objects") {
    const std::string first = "{\n  \"a\": 1,\n  \"b\": 2\n}";
    const std::string second = "{\n  \"c\": 3\n}";
    const auto r = read_all(first + "\n" + second + "\n");
    CHECK(r.shape == input_shape::values);
    REQUIRE(r.records.size() == 2);
    CHECK(r.records[0].text == first);
    CHECK(r.records[0].line == 1);
    CHECK(r.records[1].text == second);
    CHECK(r.records[1].line == 5);
    CHECK(r.records[1].index == 1);
  }
  SECTION("blank lines before and between values are counted") {
    const auto r = read_all("\n\n{\n\"a\": 1\n}\n\n{\"b\": 2}\n");
    CHECK(r.shape == input_shape::values);
    REQUIRE(r.records.size() == 2);
    CHECK(r.records[0].line == 3);
    CHECK(r.records[1].line == 7);
  }
  SECTION("values back to back on one line after a multi-line one") {
    const auto r = read_all("{\n\"a\": 1\n}{\"b\": 2}{\"c\": 3}");
    REQUIRE(r.records.size() == 3);
    CHECK(r.records[1].text == "{\"b\": 2}");
    CHECK(r.records[2].text == "{\"c\": 3}");
    CHECK(r.records[2].line == 3);
  }
  SECTION("newlines escaped inside strings") {
    const auto r = read_all("{\n\"id\": \"a\\nb }\"\n}\n{\"c\": 3}\n");
    REQUIRE(r.records.size() == 2);
    CHECK(r.records[0].text == "{\n\"id\": \"a\\nb }\"\n}");
    CHECK(r.records[1].line == 4);
  }
  SECTION("a truncated value is returned whole; the parser reports it") {
    const auto r = read_all("{\n\"a\": 1,\n\"b\": 2\n");
    REQUIRE(r.records.size() == 1);
    CHECK(r.records[0].text == "{\n\"a\": 1,\n\"b\": 2\n");
    CHECK(r.records[0].line == 1);
    CHECK(r.fatal.empty());
  }
  SECTION("CRLF and a BOM") {
    const auto r = read_all("\xEF\xBB\xBF{\r\n\"a\": 1\r\n}\r\n{\r\n\"b\": 2\r\n}\r\n");
    CHECK(r.shape == input_shape::values);
    REQUIRE(r.records.size() == 2);
    CHECK(r.records[0].text == "{\r\n\"a\": 1\r\n}");
    CHECK(r.records[1].line == 4);
  }
}

TEST_CASE("A JSON array: one record per element") {
  SECTION("elements with the line each starts on") {
    const auto r = read_all("[\n  {\"a\": 1},\n  {\"b\": 2},\n\n  {\"c\": 3}\n]\n");
    CHECK(r.shape == input_shape::array);
    CHECK(r.fatal.empty());
    REQUIRE(r.records.size() == 3);
    CHECK(r.records[0].text == "{\"a\": 1}");
    CHECK(r.records[0].line == 2);
    CHECK(r.records[0].index == 0);
    CHECK(r.records[1].line == 3);
    CHECK(r.records[2].text == "{\"c\": 3}");
    CHECK(r.records[2].line == 5);
    CHECK(r.records[2].index == 2);
  }
  SECTION("one line, and elements that are not objects") {
    const auto r = read_all("[{\"a\":1},42,\"x\",[1,2]]");
    CHECK(r.shape == input_shape::array);
    REQUIRE(r.records.size() == 4);
    CHECK(r.records[1].text == "42");
    CHECK(r.records[2].text == "\"x\"");
    CHECK(r.records[3].text == "[1,2]");
    CHECK(r.records[3].line == 1);
  }
  SECTION("multi-line elements") {
    const auto r = read_all("[\n  {\n    \"a\": 1\n  },\n  {\n    \"b\": 2\n  }\n]\n");
    REQUIRE(r.records.size() == 2);
    CHECK(r.records[0].text == "{\n    \"a\": 1\n  }");
    CHECK(r.records[0].line == 2);
    CHECK(r.records[1].line == 5);
  }
  SECTION("after a BOM and leading blank lines") {
    const auto r = read_all("\xEF\xBB\xBF\n\n[{\"a\":1},\n{\"b\":2}]\n");
    CHECK(r.shape == input_shape::array);
    REQUIRE(r.records.size() == 2);
    CHECK(r.records[0].line == 3);
    CHECK(r.records[1].line == 4);
  }
  SECTION("an empty array has no records and is not broken") {
    const auto r = read_all("[ ]\n");
    CHECK(r.shape == input_shape::array);
    CHECK(r.records.empty());
    CHECK(r.fatal.empty());
  }
  SECTION("not closed: the elements read, then fatal()") {
    const auto r = read_all("[\n{\"a\":1},\n{\"b\":2}\n");
    REQUIRE(r.records.size() == 2);
    CHECK(r.fatal == "the JSON array in FILE is not closed (truncated input?)");
  }
  SECTION("not closed after a comma") {
    const auto r = read_all("[{\"a\":1},\n");
    REQUIRE(r.records.size() == 1);
    CHECK(r.fatal == "the JSON array in FILE is not closed (truncated input?)");
  }
  SECTION("a truncated last element is returned for the parser to report") {
    const auto r = read_all("[{\"a\":1},\n{\"b\":2\n");
    REQUIRE(r.records.size() == 2);
    CHECK(r.records[1].text == "{\"b\":2\n");
    CHECK(r.records[1].line == 2);
  }
  SECTION("a comma before ']'") {
    const auto r = read_all("[{\"a\":1},\n]\n");
    REQUIRE(r.records.size() == 1);
    CHECK(r.fatal == "invalid JSON array in FILE: ',' before ']' (line 2)");
  }
  SECTION("a missing comma between elements") {
    const auto r = read_all("[{\"a\":1}\n{\"b\":2}]\n");
    REQUIRE(r.records.size() == 1);
    CHECK(r.fatal == "invalid JSON array in FILE: expected ',' or ']' after element 1 (line 2)");
  }
  SECTION("content after the array") {
    const auto r = read_all("[{\"a\":1}]\n{\"b\":2}\n");
    REQUIRE(r.records.size() == 1);
    CHECK(r.fatal == "invalid JSON in FILE: content after the array (line 2)");
  }
}

TEST_CASE("Empty input and files that cannot be read") {
  SECTION("an empty file") {
    const auto r = read_all("");
    CHECK(r.records.empty());
    CHECK(r.fatal == "no scenario in FILE: the input is empty");
  }
  SECTION("only whitespace") {
    const auto r = read_all(" \n\r\n\t\n");
    CHECK(r.records.empty());
    CHECK(r.fatal == "no scenario in FILE: the input is empty");
  }
  SECTION("only a byte order mark") {
    const auto r = read_all("\xEF\xBB\xBF\n");
    CHECK(r.records.empty());
    CHECK(r.fatal == "no scenario in FILE: the input is empty");
  }
  SECTION("a missing file: open() fails naming it") {
    auto reader = record_reader::open("/nonexistent/cltv/scenarios.json");
    REQUIRE_FALSE(reader);
    CHECK(reader.error().message ==
          "cannot open \"/nonexistent/cltv/scenarios.json\": No such file or directory");
  }
  SECTION("a directory: open() fails naming it, as for CSV and NDJSON input") {
    const std::string dir = std::filesystem::temp_directory_path().string();
    auto reader = record_reader::open(dir);
    REQUIRE_FALSE(reader);
    CHECK(reader.error().message == "cannot open \"" + dir + "\": Is a directory");
  }
  SECTION("the name of a file and of stdin") {
    temp_file file("{}\n");
    auto reader = record_reader::open(file.path());
    REQUIRE(reader);
    CHECK(reader->name() == file.path());
    auto in = record_reader::open("-");
    REQUIRE(in);
    CHECK(in->name() == "stdin");
  }
  SECTION("next() after the end keeps returning nothing") {
    temp_file file("{\"a\":1}\n");
    auto reader = record_reader::open(file.path());
    REQUIRE(reader);
    CHECK(reader->next());
    CHECK_FALSE(reader->next());
    CHECK_FALSE(reader->next());
    CHECK_FALSE(reader->fatal());
  }
}
