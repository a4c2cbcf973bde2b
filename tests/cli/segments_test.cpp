// Segments in the CLI: the JSON "segments" list, the --segment and --what-if
// flag forms, and the one-record JSON output of a segmented scenario.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "io/scenario_json.hpp"
#include "io/segment_flags.hpp"
#include "io/segment_writers.hpp"

namespace {

using cltv::cli::json_padding;
using cltv::cli::parsed_scenario;
using cltv::cli::scenario_parser;

bool parse(std::string_view record, parsed_scenario& out, cltv::error& err) {
  std::string padded(record);
  padded.append(json_padding, ' ');
  scenario_parser parser;
  return parser.parse(std::string_view(padded.data(), record.size()), out, err);
}

}  // namespace

TEST_CASE("A JSON scenario with segments") {
  parsed_scenario out;
  cltv::error err;
  SECTION("each segment's own fields, weight and billing; the top level apart") {
    REQUIRE(parse(R"({"cac": 40, "segments": [
        {"name": "ads", "arpu": 5, "churn": "8%", "share": "75%"},
        {"name": "yearly", "billing": "annual", "annual_price": 200, "annual_churn": 0.25,
         "share": 0.25, "cac": 60}]})",
                  out, err));
    CHECK(*out.input.cac == 40);
    CHECK_FALSE(out.input.arpu.has_value());
    REQUIRE(out.has_segments);
    REQUIRE(out.segments.size() == 2);
    CHECK(out.segments[0].name == "ads");
    CHECK(*out.segments[0].fields.arpu == 5);
    CHECK(*out.segments[0].fields.churn == 0.08);
    CHECK(*out.segments[0].share == 0.75);
    CHECK_FALSE(out.segments[0].fields.cac.has_value());  // inherited later, not copied
    CHECK(out.segments[1].bill == cltv::billing::annual);
    CHECK(*out.segments[1].annual_price == 200);
    CHECK(*out.segments[1].annual_churn == 0.25);
    CHECK(*out.segments[1].fields.cac == 60);
  }
  SECTION("a record without segments leaves none from the previous record") {
    scenario_parser parser;
    std::string a = R"({"segments": [{"name": "a", "share": 1}]})";
    std::string b = R"({"arpu": 5})";
    const std::size_t a_size = a.size(), b_size = b.size();
    a.append(json_padding, ' ');
    b.append(json_padding, ' ');
    REQUIRE(parser.parse(std::string_view(a.data(), a_size), out, err));
    REQUIRE(parser.parse(std::string_view(b.data(), b_size), out, err));
    CHECK_FALSE(out.has_segments);
    CHECK(out.segments.empty());
  }
  SECTION("errors name the segment (by index until its name is read) and the field") {
    REQUIRE_FALSE(parse(R"({"segments": [{"arpu": "x", "name": "a"}]})", out, err));
    CHECK(err.field == "arpu");
    CHECK(err.message == R"(segment 1: arpu must be a number, got "x")");
    REQUIRE_FALSE(parse(R"({"segments": [{"name": "a", "share": 1, "share": 1}]})", out, err));
    CHECK(err.message == R"(segment "a": duplicate field "share")");
    REQUIRE_FALSE(parse(R"({"segments": [{"name": "a", "id": 1}]})", out, err));
    CHECK(err.field == "id");
    REQUIRE_FALSE(parse(R"({"segments": [{"name": ""}]})", out, err));
    CHECK(err.message == "segment 1: name must not be empty");
    REQUIRE_FALSE(parse(R"({"segments": "ads"})", out, err));
    CHECK(err.message == "segments must be a JSON array of objects, got a string");
    REQUIRE_FALSE(parse(R"({"segments": [], "segments": []})", out, err));
    CHECK(err.message == R"(duplicate field "segments")");
  }
}

TEST_CASE("--segment NAME:KEY=VALUE,…") {
  SECTION("the keys of a JSON segment, rates as percentages") {
    auto s = cltv::cli::parse_segment_flag(
        "premium annual: billing=annual, annual_price=200, annual_churn=25%, customers=1000, "
        "gross_margin=80%");
    REQUIRE(s.has_value());
    CHECK(s->name == "premium annual");
    CHECK(s->bill == cltv::billing::annual);
    CHECK(*s->annual_price == 200);
    CHECK(*s->annual_churn == 0.25);
    CHECK(*s->customers == 1000);
    CHECK(*s->fields.gross_margin == 0.8);
  }
  SECTION("a name alone is a segment with no fields of its own") {
    auto s = cltv::cli::parse_segment_flag("all:");
    REQUIRE(s.has_value());
    CHECK(s->name == "all");
    CHECK_FALSE(s->fields.has_value_source());
  }
  SECTION("errors name the segment and the key or value") {
    auto bad = [](std::string_view text) {
      auto s = cltv::cli::parse_segment_flag(text);
      REQUIRE_FALSE(s.has_value());
      return s.error().message;
    };
    CHECK(bad("ads") ==
          R"(--segment "ads": expected NAME:KEY=VALUE,… (e.g. ads:arpu=5,churn=8%,share=0.7))");
    CHECK(bad("ads:share=2x") ==
          R"(segment "ads": share must be a number or a percentage (e.g. 5%), got "2x")");
    CHECK(bad("ads:id=3").rfind(R"(segment "ads": unknown key "id")", 0) == 0);
    CHECK(bad("ads:name=x").rfind(R"(segment "ads": unknown key "name")", 0) == 0);
    CHECK(bad("ads:period=week") ==
          R"(segment "ads": period must be "month" or "year", got "week")");
  }
  SECTION("--what-if annual_share=RATE") {
    CHECK(*cltv::cli::parse_what_if("annual_share=40%") == 0.4);
    CHECK(*cltv::cli::parse_what_if("annual_share=0.25") == 0.25);
    CHECK_FALSE(cltv::cli::parse_what_if("annual_share=140%").has_value());
    CHECK_FALSE(cltv::cli::parse_what_if("annual=40%").has_value());
  }
}

TEST_CASE("A segmented scenario is one JSON record") {
  cltv::scenario_input top;
  top.cac = 40;
  top.gross_margin = 0.8;
  std::vector<cltv::segment_input> segments(2);
  segments[0].name = "ads";
  segments[0].fields.arpu = 5;
  segments[0].fields.churn = 0.08;
  segments[0].share = 0.75;
  segments[1].name = "premium \"p\"";
  segments[1].fields.arpu = 20;
  segments[1].fields.churn = 0.04;
  segments[1].share = 0.25;
  auto r = cltv::evaluate_segments(top, segments);
  REQUIRE(r.has_value());
  cltv::cli::outcome o;
  o.id_json = "7";
  o.value = cltv::segmented_calculation{*r, std::nullopt};
  std::string text;
  cltv::cli::append_segmented_json(text, o);
  const auto j = nlohmann::json::parse(text);
  CHECK(j["id"] == 7);
  REQUIRE(j["segments"].size() == 2);
  CHECK(j["segments"][1]["name"] == "premium \"p\"");
  CHECK(j["segments"][0]["ltv"] == 50.0);  // 5 × 0.8 / 0.08
  CHECK(j["segments"][1]["inputs"]["cac"] == 40.0);
  CHECK(j["blended"]["ltv"] == 137.5);  // 0.75 × 50 + 0.25 × 400
  CHECK(j["blended"]["meets_target"] == true);
  CHECK_FALSE(j.contains("what_if"));
}
