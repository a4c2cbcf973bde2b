// NDJSON rows: what a line's keys read as (strings, numbers, null, absent),
// which lines are bad rows and why, line framing (CRLF, BOM, blank lines,
// blocks), files and gzip. Every expectation is written by hand from the
// input above it.

#include <unistd.h>
#include <zlib.h>
#include <catch2/catch.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "io/ndjson_rows.hpp"

namespace {

using cltv::cli::ndjson_rows;

// One line as the reader gives it: the values of the keys, or the row error.
struct row {
  std::uint64_t line = 0;
  std::vector<std::optional<std::string>> values;
  std::optional<std::string> error;
  bool operator==(const row&) const = default;
};

std::ostream& operator<<(std::ostream& out, const row& r) {
  out << "line " << r.line << ":";
  if (r.error) return out << " error [" << *r.error << "]";
  for (const auto& v : r.values) out << (v ? " [" + *v + "]" : " (none)");
  return out;
}

struct reading {
  std::vector<row> rows;
  std::optional<std::string> failure;
  std::uint64_t bytes = 0;
  bool operator==(const reading&) const = default;
};

std::ostream& operator<<(std::ostream& out, const reading& t) {
  out << t.rows.size() << " rows";
  for (const auto& r : t.rows) out << "\n  " << r;
  return out << "\n  failure: " << (t.failure ? *t.failure : "none") << ", bytes: " << t.bytes;
}

const std::vector<std::string> transaction_keys{"customer_id", "date", "amount"};

reading read_all(ndjson_rows& reader, std::size_t keys) {
  reading out;
  while (reader.next()) {
    row r{reader.line(), {}, {}};
    if (reader.row_error()) {
      r.error = reader.row_error()->message;
    } else {
      for (std::size_t k = 0; k < keys; ++k) {
        const auto v = reader.value(k);
        r.values.push_back(v ? std::optional<std::string>(*v) : std::nullopt);
      }
    }
    out.rows.push_back(std::move(r));
  }
  CHECK_FALSE(reader.next());  // the end stays the end
  if (reader.failure()) out.failure = reader.failure()->message;
  out.bytes = reader.bytes();
  return out;
}

reading read_text(std::string text, const std::vector<std::string>& keys = transaction_keys,
                  std::size_t block = 0) {
  auto reader = ndjson_rows::from_string(std::move(text), keys, block);
  return read_all(reader, keys.size());
}

// The rows of a text that has no read failure.
std::vector<row> rows_of(std::string text,
                         const std::vector<std::string>& keys = transaction_keys) {
  const reading t = read_text(std::move(text), keys);
  CHECK_FALSE(t.failure);
  return t.rows;
}

// The row error of a one-line text ("" when the line is a row).
std::string error_of(std::string line) {
  const auto rows = rows_of(std::move(line));
  REQUIRE(rows.size() == 1);
  return rows[0].error.value_or("");
}

row ok(std::uint64_t line, std::vector<std::optional<std::string>> values) {
  return {line, std::move(values), std::nullopt};
}

row bad(std::uint64_t line, std::string error) {
  return {line, {}, std::move(error)};
}

// A file under the temporary directory, removed at the end of the test.
class scratch_file {
 public:
  explicit scratch_file(const std::string& name) {
    path_ = (std::filesystem::temp_directory_path() /
             ("cltv-ndjson-" + std::to_string(::getpid()) + "-" + name))
                .string();
  }
  scratch_file(const scratch_file&) = delete;
  scratch_file& operator=(const scratch_file&) = delete;
  ~scratch_file() { std::filesystem::remove(path_); }
  void write(const std::string& bytes) const {
    std::ofstream out(path_, std::ios::binary);
    out << bytes;
  }
  // Writes `parts`, each as one gzip member (gzip -c a >> f; gzip -c b >> f).
  void write_gzip(const std::vector<std::string>& parts) const {
    std::filesystem::remove(path_);
    for (const std::string& part : parts) {
      gzFile gz = gzopen(path_.c_str(), "ab");
      REQUIRE(gz != nullptr);
      if (!part.empty())
        REQUIRE(gzwrite(gz, part.data(), static_cast<unsigned>(part.size())) ==
                static_cast<int>(part.size()));
      REQUIRE(gzclose(gz) == Z_OK);
    }
  }
  [[nodiscard]] std::string read() const {
    std::ifstream in(path_, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
};

reading read_file(const std::string& path) {
  auto reader = ndjson_rows::open(path, transaction_keys);
  REQUIRE(reader);
  return read_all(*reader, transaction_keys.size());
}

// A text that exercises every rule of the framing, for the block tests.
std::string tricky_text() {
  return "\xEF\xBB\xBF"
         "{\"customer_id\":\"c1\",\"date\":\"2024-01-03\",\"amount\":10.00}\n"
         "\n"
         "   \t \r\n"
         "{\"customer_id\":\"Smith, Jane\",\"date\":\"2024-01-21\",\"amount\":\"7.50\"}\r\n"
         "{\"customer_id\":\"c\\\"6\",\"note\":{\"a\":[1,2,{\"b\":\"}\"}]},\"date\":\"2024-03-20\"}"
         "\n"
         "not json\n"
         "  {\"amount\":-1.5e2,\"customer_id\":\"caf\\u00e9\",\"date\":null}  \r\n"
         "{\"customer_id\":\"c2\",\"date\":\"2024-01-05\",\"amount\":{}}\n"
         "{\"customer_id\":\"c3\",\"date\":\"2024-01-07\",\"amount\":3}";
}

std::vector<row> tricky_rows() {
  return {
      ok(1, {"c1", "2024-01-03", "10.00"}),
      ok(4, {"Smith, Jane", "2024-01-21", "7.50"}),
      ok(5, {"c\"6", "2024-03-20", std::nullopt}),
      bad(6, "expected a JSON object, got \"not json\""),
      ok(7, {"caf\xC3\xA9", std::nullopt, "-1.5e2"}),
      bad(8, "field \"amount\" must be a string or a number, got an object"),
      ok(9, {"c3", "2024-01-07", "3"}),
  };
}

}  // namespace

TEST_CASE("values", "[ndjson_rows]") {
  SECTION("strings are their text, unescaped") {
    CHECK(rows_of(R"({"customer_id":"c1","date":"2024-01-03","amount":"12.50"})") ==
          std::vector<row>{ok(1, {"c1", "2024-01-03", "12.50"})});
    // \u00e9 is é (C3 A9 in UTF-8), \" a quote, \\ a backslash, \/ a slash,
    // \ud83d\ude00 a surrogate pair: U+1F600 (F0 9F 98 80).
    CHECK(rows_of(R"({"customer_id":"caf\u00e9 \"x\" \\ \/ \ud83d\ude00","date":"d","amount":"")"
                  "}") ==
          std::vector<row>{ok(1, {"caf\xC3\xA9 \"x\" \\ / \xF0\x9F\x98\x80", "d", ""})});
    CHECK(rows_of("{\"customer_id\":\"Jos\xC3\xA9\",\"date\":\"d\",\"amount\":\"1\"}") ==
          std::vector<row>{ok(1, {"Jos\xC3\xA9", "d", "1"})});
  }
  SECTION("numbers are their JSON text as written") {
    CHECK(rows_of(R"({"customer_id":123456789012345678901234567890,"date":20240103,)"
                  R"("amount":12.50})") ==
          std::vector<row>{ok(1, {"123456789012345678901234567890", "20240103", "12.50"})});
    CHECK(rows_of(R"({"customer_id":0,"date":-0.0,"amount":1E+3})") ==
          std::vector<row>{ok(1, {"0", "-0.0", "1E+3"})});
    CHECK(rows_of(R"({ "customer_id" : 7 , "date" : 1e-2 , "amount" : 5 })") ==
          std::vector<row>{ok(1, {"7", "1e-2", "5"})});
  }
  SECTION("null and absent keys are missing; is_null tells them apart") {
    auto reader = ndjson_rows::from_string(R"({"customer_id":"c1","date":null})", transaction_keys);
    REQUIRE(reader.next());
    CHECK_FALSE(reader.row_error());
    CHECK(reader.value(0) == std::optional<std::string_view>("c1"));
    CHECK_FALSE(reader.value(1));
    CHECK(reader.is_null(1));
    CHECK_FALSE(reader.value(2));
    CHECK_FALSE(reader.is_null(2));
    CHECK(reader.key(2) == "amount");
    CHECK_FALSE(reader.next());
  }
  SECTION("an empty object is a row with every key missing") {
    CHECK(rows_of("{}") == std::vector<row>{ok(1, {std::nullopt, std::nullopt, std::nullopt})});
  }
  SECTION("other keys are ignored, whatever they hold, in any order") {
    CHECK(rows_of(R"({"note":{"a":[1,{"b":"}]"}]},"amount":1,"x":true,"y":null,"z":[],)"
                  R"("date":"d","w":"\u0000","customer_id":"c","n":-1})") ==
          std::vector<row>{ok(1, {"c", "d", "1"})});
    // Keys are compared unescaped: "customer\u005fid" is customer_id.
    CHECK(rows_of(R"({"customer\u005fid":"c","Date":"x","amount ":"y"})") ==
          std::vector<row>{ok(1, {"c", std::nullopt, std::nullopt})});
  }
  SECTION("other key names") {
    CHECK(rows_of(R"({"kunde":"k1","datum":"03/01/2024","betrag":"1,5"})",
                  {"kunde", "datum", "betrag"}) ==
          std::vector<row>{ok(1, {"k1", "03/01/2024", "1,5"})});
    CHECK(rows_of(R"({"id":"a","x":1})", {"id"}) == std::vector<row>{ok(1, {"a"})});
  }
}

TEST_CASE("bad rows", "[ndjson_rows]") {
  SECTION("a line that is not an object") {
    CHECK(error_of("hello") == "expected a JSON object, got \"hello\"");
    CHECK(error_of("[1, 2]") == "expected a JSON object, got \"[1, 2]\"");
    CHECK(error_of("42") == "expected a JSON object, got \"42\"");
    CHECK(error_of("\"c1\"") == "expected a JSON object, got \"\"c1\"\"");
    CHECK(error_of("null") == "expected a JSON object, got \"null\"");
    CHECK(error_of("c1,2024-01-03,10.00") == "expected a JSON object, got \"c1,2024-01-03,10.00\"");
    // Quoted up to 40 bytes, cut before a character (é is 2 bytes at 39-40),
    // control characters escaped.
    CHECK(error_of(std::string(39, 'x') + "\xC3\xA9 and more") ==
          "expected a JSON object, got \"" + std::string(39, 'x') + "\"…");
    CHECK(error_of("a\tb") == "expected a JSON object, got \"a\\tb\"");
  }
  SECTION("a value of the wrong type under a key asked for") {
    CHECK(error_of(R"({"customer_id":true,"date":"d","amount":1})") ==
          "field \"customer_id\" must be a string or a number, got a boolean");
    CHECK(error_of(R"({"customer_id":"c","date":["d"],"amount":1})") ==
          "field \"date\" must be a string or a number, got an array");
    CHECK(error_of(R"({"customer_id":"c","date":"d","amount":{"value":1}})") ==
          "field \"amount\" must be a string or a number, got an object");
  }
  SECTION("a key asked for, twice") {
    CHECK(error_of(R"({"customer_id":"c","amount":1,"date":"d","amount":2})") ==
          "duplicate field \"amount\"");
    CHECK(error_of(R"({"customer_id":"c","amount":null,"amount":2})") ==
          "duplicate field \"amount\"");
    // Other keys may repeat: they are not read.
    CHECK(error_of(R"({"customer_id":"c","x":1,"x":2})") == "");
  }
  SECTION("bad JSON") {
    CHECK(error_of(R"({"customer_id":"c","amount":01})") ==
          "field \"amount\" is not a valid JSON number: \"01\"");
    CHECK(error_of(R"({"customer_id":"c","amount":1.})") ==
          "field \"amount\" is not a valid JSON number: \"1.\"");
    CHECK(error_of(R"({"customer_id":"c","amount":-})") ==
          "field \"amount\" is not a valid JSON number: \"-\"");
    CHECK(error_of(R"({"customer_id":"c","amount":1)") ==
          "invalid JSON: the object is not closed (truncated line?)");
    CHECK(error_of(R"({"customer_id":"c","amount":1} x)") ==
          "invalid JSON: unexpected content after the object");
    CHECK(error_of(R"({"customer_id":"c","amount":1}{"customer_id":"d"})") ==
          "invalid JSON: unexpected content after the object");
    CHECK(error_of(R"({"customer_id":"c,"amount":1})") == "invalid JSON: a string is not closed");
    CHECK(error_of(R"({"customer_id":"c\q"})") == "invalid JSON: bad escape in a string");
    CHECK(error_of("{\"customer_id\":\"c\x01\"}") ==
          "invalid JSON: control character inside a string");
    CHECK(error_of("{\"customer_id\":\"c\xFF\"}") == "invalid JSON: the text is not valid UTF-8");
    const std::string malformed =
        "invalid JSON: malformed (a missing value, comma, colon, quote or brace)";
    CHECK(error_of(R"({"customer_id":"c","amount":nul})") == malformed);
    CHECK(error_of(R"({"customer_id":"c",})") == malformed);
    CHECK(error_of(R"({"customer_id" "c"})") == malformed);
    CHECK(error_of(R"({"customer_id":})") == malformed);
    CHECK(error_of(R"({customer_id:"c"})") == malformed);
  }
  SECTION("a bad row leaves no values behind") {
    auto reader =
        ndjson_rows::from_string(R"({"customer_id":"c","date":"d","amount":[]})", transaction_keys);
    REQUIRE(reader.next());
    REQUIRE(reader.row_error());
    CHECK(reader.row_error()->field == "input");
    CHECK_FALSE(reader.value(0));
    CHECK_FALSE(reader.value(1));
  }
  SECTION("reading goes on after a bad row") {
    CHECK(rows_of("{\"customer_id\":\"a\"}\n{oops\n{\"customer_id\":\"b\"}\n", {"customer_id"}) ==
          std::vector<row>{ok(1, {"a"}),
                           bad(2, "invalid JSON: the object is not closed (truncated line?)"),
                           ok(3, {"b"})});
  }
}

TEST_CASE("lines", "[ndjson_rows]") {
  const std::vector<std::string> id{"customer_id"};
  SECTION("line numbers count every line, blank ones too") {
    CHECK(rows_of("\n{\"customer_id\":\"a\"}\n\n  \n\t\n{\"customer_id\":\"b\"}\n", id) ==
          std::vector<row>{ok(2, {"a"}), ok(6, {"b"})});
  }
  SECTION("CRLF line ends, and blanks around a line") {
    CHECK(rows_of("{\"customer_id\":\"a\"}\r\n\r\n  {\"customer_id\":\"b\"} \t\r\n", id) ==
          std::vector<row>{ok(1, {"a"}), ok(3, {"b"})});
  }
  SECTION("a UTF-8 BOM at the start is skipped") {
    CHECK(rows_of("\xEF\xBB\xBF{\"customer_id\":\"a\"}\n", id) == std::vector<row>{ok(1, {"a"})});
    CHECK(rows_of("\xEF\xBB\xBF\n{\"customer_id\":\"a\"}", id) == std::vector<row>{ok(2, {"a"})});
    CHECK(rows_of("\xEF\xBB\xBF", id).empty());
  }
  SECTION("the last line may lack its line break") {
    CHECK(rows_of("{\"customer_id\":\"a\"}\n{\"customer_id\":\"b\"}", id) ==
          std::vector<row>{ok(1, {"a"}), ok(2, {"b"})});
  }
  SECTION("empty input, and nothing but blank lines") {
    CHECK(rows_of("", id).empty());
    CHECK(rows_of("\n\r\n   \n", id).empty());
  }
  SECTION("bytes() counts what was read, the BOM too") {
    const std::string text = tricky_text();
    CHECK(read_text(text).bytes == text.size());
  }
  SECTION("every rule at once") {
    const reading t = read_text(tricky_text());
    CHECK(t.rows == tricky_rows());
    CHECK_FALSE(t.failure);
  }
}

TEST_CASE("blocks", "[ndjson_rows]") {
  // Reading in tiny blocks moves lines across reads and grows the buffer
  // (a line longer than a block): the same rows either way.
  const std::string text = tricky_text();
  const reading whole = read_text(text);
  for (std::size_t block = 1; block <= 70; ++block) {
    INFO("block " << block);
    CHECK(read_text(text, transaction_keys, block) == whole);
  }
  SECTION("a line much longer than the first buffer") {
    const std::string note(3 << 20, 'n');  // 3 MiB: the 1 MiB buffer doubles twice
    const std::string line = "{\"note\":\"" + note + "\",\"customer_id\":\"long\"}\n";
    CHECK(rows_of(line + "{\"customer_id\":\"next\"}\n", {"customer_id"}) ==
          std::vector<row>{ok(1, {"long"}), ok(2, {"next"})});
  }
}

TEST_CASE("files and gzip", "[ndjson_rows]") {
  const std::string text = tricky_text();
  const scratch_file file("log.ndjson");
  SECTION("a file reads as the same text in a string") {
    file.write(text);
    CHECK(read_file(file.path()) == read_text(text));
  }
  SECTION("a gzip file reads as its text, whatever it is called") {
    file.write_gzip({text});
    CHECK(file.read().substr(0, 2) == "\x1f\x8b");
    CHECK(read_file(file.path()) == read_text(text));
  }
  SECTION("concatenated members read as one text") {
    file.write_gzip({text.substr(0, 100), "", text.substr(100)});
    CHECK(read_file(file.path()) == read_text(text));
  }
  SECTION("a gzip file cut short: the rows before the cut, then the failure") {
    file.write_gzip({text});
    const std::string bytes = file.read();
    file.write(bytes.substr(0, bytes.size() - 12));  // the trailer and some data gone
    const reading t = read_file(file.path());
    REQUIRE(t.failure);
    CHECK(*t.failure == file.path() + ": damaged gzip data (unexpected end of file)");
    // Only complete lines: the last one (line 9, without a line break) is cut.
    CHECK(t.rows.size() < tricky_rows().size());
    for (std::size_t i = 0; i < t.rows.size(); ++i) CHECK(t.rows[i] == tricky_rows()[i]);
  }
  SECTION("damaged gzip data") {
    file.write_gzip({text});
    std::string bytes = file.read();
    bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x55);
    file.write(bytes);
    const reading t = read_file(file.path());
    REQUIRE(t.failure);
    CHECK_THAT(*t.failure, Catch::Matchers::StartsWith(file.path() + ": damaged gzip data ("));
  }
  SECTION("a missing file") {
    const auto reader = ndjson_rows::open("no/such/log.ndjson", transaction_keys);
    REQUIRE_FALSE(reader);
    CHECK(reader.error().field == "input");
    CHECK(reader.error().message ==
          "cannot open \"no/such/log.ndjson\": No such file or directory");
  }
  SECTION("a directory") {
    const auto dir = std::filesystem::temp_directory_path().string();
    const auto reader = ndjson_rows::open(dir, transaction_keys);
    REQUIRE_FALSE(reader);
    CHECK(reader.error().message == "cannot open \"" + dir + "\": Is a directory");
  }
}
