// CSV scenarios: each row becomes the JSON record the scenario parser reads;
// the header is checked once. scenario_json_test checks what a record means.

#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

#include "io/record_reader.hpp"
#include "io/scenario_csv.hpp"
#include "io/scenario_json.hpp"

namespace {

using cltv::cli::scenario_csv_reader;

struct row {
  std::string text;  // the JSON record, or the row's error
  std::size_t line;
  bool failed;
};

struct read_result {
  std::vector<row> rows;
  std::string fatal;  // empty when none
};

read_result read_all(std::string csv) {
  auto reader = scenario_csv_reader::from_string(std::move(csv));
  read_result out;
  while (auto r = reader.next())
    out.rows.push_back(r->failure ? row{r->failure->message, r->line, true}
                                  : row{std::string(r->text), r->line, false});
  if (reader.fatal()) out.fatal = reader.fatal()->message;
  return out;
}

}  // namespace

TEST_CASE("CSV scenarios") {
  SECTION("each row is a JSON record of its non-empty cells, on its line") {
    const auto r = read_all("id,arpu,churn,period\nbasic,50,4%,\n,20,,year\n");
    REQUIRE(r.fatal.empty());
    REQUIRE(r.rows.size() == 2);
    CHECK(r.rows[0].text == R"({"id":"basic","arpu":"50","churn":"4%"})");
    CHECK(r.rows[0].line == 2);
    CHECK(r.rows[1].text == R"({"arpu":"20","period":"year"})");
    CHECK(r.rows[1].line == 3);
  }
  SECTION("an id that is a JSON number stays a number; any other id is a string") {
    const auto r = read_all("id,arpu\n7,1\n007,1\n\"a,\"\"b\"\"\",1\n");
    REQUIRE(r.rows.size() == 3);
    CHECK(r.rows[0].text == R"({"id":7,"arpu":"1"})");
    CHECK(r.rows[1].text == R"({"id":"007","arpu":"1"})");
    CHECK(r.rows[2].text == R"({"id":"a,\"b\"","arpu":"1"})");
  }
  SECTION("a BOM, CRLF and quoted cells are read as CSV") {
    const auto r = read_all("\xEF\xBB\xBF\"arpu\",churn\r\n\"50\",4%\r\n");
    REQUIRE(r.rows.size() == 1);
    CHECK(r.rows[0].text == R"({"arpu":"50","churn":"4%"})");
  }
  SECTION("a row whose field count differs from the header's is an error record") {
    const auto r = read_all("arpu,churn\n50\n50,4%,1\n50,4%\n");
    REQUIRE(r.rows.size() == 3);
    CHECK(r.rows[0].failed);
    CHECK(r.rows[0].text == "the row has 1 field, the header 2 columns");
    CHECK(r.rows[1].text == "the row has 3 fields, the header 2 columns");
    CHECK_FALSE(r.rows[2].failed);
  }
  SECTION("the header is checked once, naming the line") {
    CHECK(read_all("arpu,chrun\n1,2\n").fatal ==
          R"(unknown column "chrun" (did you mean "churn"?) (text, line 1))");
    CHECK(read_all("arpu,arpu\n1,2\n").fatal == R"(duplicate column "arpu" (text, line 1))");
    CHECK(read_all(",arpu\n0,1\n").fatal.rfind("CSV column 1 has no name", 0) == 0);
    CHECK(read_all("arpu,segments\n1,x\n").fatal.rfind("segments are not supported in CSV", 0) ==
          0);
    CHECK(read_all("").fatal == "no scenario in text: the input is empty");
    const auto header_only = read_all("arpu,churn\n");
    CHECK(header_only.rows.empty());
    CHECK(header_only.fatal.empty());
  }
  SECTION("a cell is read as the same text in JSON would be") {
    cltv::cli::scenario_parser parser;
    cltv::cli::parsed_scenario parsed;
    cltv::error err;
    auto reader =
        scenario_csv_reader::from_string("churn,gross_margin,horizon\n3.5%,0.8,12\nx,,\n");
    auto first = reader.next();
    REQUIRE(first);
    REQUIRE(cltv::cli::parse_record(parser, *first, parsed, err));
    // 3.5% = 0.035; 0.8 as written; 12 periods
    CHECK(parsed.input.churn == 0.035);
    CHECK(parsed.input.gross_margin == 0.8);
    CHECK(parsed.input.horizon == 12);
    auto second = reader.next();
    REQUIRE(second);
    CHECK_FALSE(cltv::cli::parse_record(parser, *second, parsed, err));
    CHECK(err.field == "churn");
    CHECK(err.message == R"(churn must be a number or a percentage (e.g. 5%), got "x")");
  }
}

TEST_CASE("scenario_format_of") {
  using cltv::cli::scenario_format;
  using cltv::cli::scenario_format_of;
  CHECK(scenario_format_of("plans.csv", "") == scenario_format::csv);
  CHECK(scenario_format_of("PLANS.CSV", "") == scenario_format::csv);
  CHECK(scenario_format_of("plans.json", "") == scenario_format::json);
  CHECK(scenario_format_of("-", "") == scenario_format::json);
  CHECK(scenario_format_of("-", "csv") == scenario_format::csv);
  CHECK(scenario_format_of("plans.csv", "json") == scenario_format::json);
  CHECK(scenario_format_of("plans.csv", "ndjson") == scenario_format::json);
}
