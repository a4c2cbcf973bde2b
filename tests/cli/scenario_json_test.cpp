// One JSON record → scenario_input: every key, strings as numbers, and the
// exact error messages (they are part of the CLI's interface).

#include <catch2/catch.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "cltv/scenario_fields.hpp"
#include "io/scenario_json.hpp"

namespace {

using cltv::cli::json_padding;
using cltv::cli::parsed_scenario;
using cltv::cli::scenario_parser;

// The parser may read json_padding bytes past the record: give it a copy
// with that much room after it.
struct parse_result {
  bool ok = false;
  parsed_scenario out;
  cltv::error err;
};

parse_result parse(scenario_parser& parser, std::string_view record) {
  std::string padded(record);
  padded.append(json_padding, ' ');
  parse_result r;
  r.ok = parser.parse(std::string_view(padded.data(), record.size()), r.out, r.err);
  return r;
}

parse_result parse(std::string_view record) {
  scenario_parser parser;
  return parse(parser, record);
}

// The error of a record that must fail.
cltv::error failure(std::string_view record) {
  auto r = parse(record);
  REQUIRE_FALSE(r.ok);
  return r.err;
}

}  // namespace

TEST_CASE("Every key of a scenario") {
  SECTION("all fifteen at once, as numbers") {
    // The parser fills fields; conflicts (arpu and value, …) are resolve()'s concern.
    const auto r = parse(
        R"({"id": "plan-a", "period": "year", "arpu": 50, "value": 51, "aov": 60,
            "purchase_frequency": 0.5, "lifetime": 24, "contract_length": 25,
            "churn": 0.04, "gross_margin": 0.8, "cost_to_serve": 2, "cac": 300,
            "discount_rate": 0.01, "horizon": 36, "target": 3.5})");
    REQUIRE(r.ok);
    const auto& in = r.out.input;
    CHECK(r.out.id_json == "\"plan-a\"");
    CHECK(in.period == cltv::period::year);
    CHECK(in.arpu == 50.0);
    CHECK(in.value == 51.0);
    CHECK(in.aov == 60.0);
    CHECK(in.purchase_frequency == 0.5);
    CHECK(in.lifetime == 24.0);
    CHECK(in.contract_length == 25.0);
    CHECK(in.churn == 0.04);
    CHECK(in.gross_margin == 0.8);
    CHECK(in.cost_to_serve == 2.0);
    CHECK(in.cac == 300.0);
    CHECK(in.discount_rate == 0.01);
    CHECK(in.horizon == 36.0);
    CHECK(in.target == 3.5);
  }
  SECTION("absent keys stay absent") {
    const auto r = parse(R"({"arpu": 50, "churn": 0.04})");
    REQUIRE(r.ok);
    CHECK(r.out.input.arpu == 50.0);
    CHECK_FALSE(r.out.input.value);
    CHECK_FALSE(r.out.input.cac);
    CHECK_FALSE(r.out.input.period);
    CHECK_FALSE(r.out.input.horizon);
    CHECK(r.out.id_json.empty());
  }
  SECTION("the aliases are kept apart from their main names") {
    const auto r = parse(R"({"value": 20, "contract_length": 12})");
    REQUIRE(r.ok);
    CHECK(r.out.input.value == 20.0);
    CHECK_FALSE(r.out.input.arpu);
    CHECK(r.out.input.contract_length == 12.0);
    CHECK_FALSE(r.out.input.lifetime);
  }
  SECTION("an empty object parses (resolve() says what is missing)") {
    const auto r = parse("{}");
    REQUIRE(r.ok);
    CHECK_FALSE(r.out.input.has_value_source());
    CHECK_FALSE(r.out.input.has_lifetime_source());
  }
  SECTION("whitespace around the record, and CR before the end") {
    const auto r = parse(" \t{\"arpu\": 50}\r");
    REQUIRE(r.ok);
    CHECK(r.out.input.arpu == 50.0);
  }
  SECTION("keys with escapes are unescaped before matching") {
    const auto r = parse(R"({"ar\u0070u": 50})");
    REQUIRE(r.ok);
    CHECK(r.out.input.arpu == 50.0);
  }
}

TEST_CASE("Numbers") {
  SECTION("integers, decimals and exponents become the nearest double") {
    const auto r = parse(R"({"arpu": 1e3, "cac": 2.5E-1, "cost_to_serve": 0, "lifetime": 7})");
    REQUIRE(r.ok);
    CHECK(r.out.input.arpu == 1000.0);
    CHECK(r.out.input.cac == 0.25);
    CHECK(r.out.input.cost_to_serve == 0.0);
    CHECK(r.out.input.lifetime == 7.0);
  }
  SECTION("a negative zero is read as +0") {
    const auto r = parse(R"({"cac": -0, "cost_to_serve": -0.0})");
    REQUIRE(r.ok);
    CHECK_FALSE(std::signbit(*r.out.input.cac));
    CHECK_FALSE(std::signbit(*r.out.input.cost_to_serve));
  }
  SECTION("negative numbers are read (range checks come later)") {
    const auto r = parse(R"({"cac": -300})");
    REQUIRE(r.ok);
    CHECK(r.out.input.cac == -300.0);
  }
  SECTION("the largest unsigned 64-bit integer rounds to 2^64") {
    const auto r = parse(R"({"arpu": 18446744073709551615})");
    REQUIRE(r.ok);
    CHECK(r.out.input.arpu == 18446744073709551616.0);
  }
  SECTION("the smallest subnormal") {
    const auto r = parse(R"({"arpu": 5e-324})");
    REQUIRE(r.ok);
    CHECK(r.out.input.arpu == 4.9406564584124654e-324);
  }
  SECTION("a number too large for a double names the field and the text") {
    const auto e = failure(R"({"churn": 0.04, "arpu": 1e400})");
    CHECK(e.field == "arpu");
    CHECK(e.message == "arpu is out of range (not a finite double), got 1e400");
  }
  SECTION("a negative number too large for a double") {
    const auto e = failure(R"({"cac": -1e400})");
    CHECK(e.field == "cac");
    CHECK(e.message == "cac is out of range (not a finite double), got -1e400");
  }
}

TEST_CASE("Strings as numbers") {
  SECTION("any numeric field accepts a string that is exactly a number") {
    const auto r = parse(R"({"arpu": "50", "cac": "3e2", "horizon": "12", "lifetime": ".5"})");
    REQUIRE(r.ok);
    CHECK(r.out.input.arpu == 50.0);
    CHECK(r.out.input.cac == 300.0);
    CHECK(r.out.input.horizon == 12.0);
    CHECK(r.out.input.lifetime == 0.5);
  }
  SECTION("rate fields accept a percentage") {
    const auto r = parse(R"({"churn": "4%", "gross_margin": "80%", "discount_rate": "0.5%"})");
    REQUIRE(r.ok);
    CHECK(r.out.input.churn == 0.04);
    CHECK(r.out.input.gross_margin == 0.8);
    CHECK(r.out.input.discount_rate == 0.005);
  }
  SECTION("a percentage is exact: \"0.07%\" is the double nearest 0.0007") {
    // 0.07 / 100 in double arithmetic is 0.0007000000000000001, one ulp off.
    const auto r = parse(R"({"churn": "0.07%"})");
    REQUIRE(r.ok);
    CHECK(r.out.input.churn == 0.0007);
  }
  SECTION("a percentage with an exponent") {
    const auto r = parse(R"({"churn": "5e1%", "discount_rate": "100e-2%"})");
    REQUIRE(r.ok);
    CHECK(r.out.input.churn == 0.5);           // 50 %
    CHECK(r.out.input.discount_rate == 0.01);  // 1 %
  }
  SECTION("a percentage on a field that is not a rate") {
    const auto e = failure(R"({"arpu": "50%"})");
    CHECK(e.field == "arpu");
    CHECK(e.message == R"(arpu must be a number, got "50%")");
  }
  SECTION("percentages are not accepted for horizon or target either") {
    CHECK(failure(R"({"horizon": "12%"})").message == R"(horizon must be a number, got "12%")");
    CHECK(failure(R"({"target": "300%"})").message ==
          R"(target must be a number or a multiple (e.g. 3x), got "300%")");
  }
  SECTION("a target may be written as a multiple") {
    for (const auto& [text, target] :
         {std::pair{R"({"target": "3x"})", 3.0}, std::pair{R"({"target": "2.5×"})", 2.5}}) {
      const auto r = parse(text);
      REQUIRE(r.ok);
      CHECK(r.out.input.target == target);
    }
  }
  SECTION("text that is not a number") {
    const auto e = failure(R"({"arpu": "abc"})");
    CHECK(e.field == "arpu");
    CHECK(e.message == R"(arpu must be a number, got "abc")");
  }
  SECTION("rate fields name the percentage form in their message") {
    const auto e = failure(R"({"churn": "abc"})");
    CHECK(e.field == "churn");
    CHECK(e.message == R"(churn must be a number or a percentage (e.g. 5%), got "abc")");
  }
  SECTION("strings that are almost numbers") {
    CHECK(failure(R"({"churn": ""})").message ==
          R"(churn must be a number or a percentage (e.g. 5%), got "")");
    CHECK(failure(R"({"churn": "5 %"})").message ==
          R"(churn must be a number or a percentage (e.g. 5%), got "5 %")");
    CHECK(failure(R"({"churn": "5%%"})").message ==
          R"(churn must be a number or a percentage (e.g. 5%), got "5%%")");
    CHECK(failure(R"({"churn": "%"})").message ==
          R"(churn must be a number or a percentage (e.g. 5%), got "%")");
    CHECK(failure(R"({"churn": "+5%"})").message ==
          R"(churn must be a number or a percentage (e.g. 5%), got "+5%")");
    CHECK(failure(R"({"churn": " 0.05"})").message ==
          R"(churn must be a number or a percentage (e.g. 5%), got " 0.05")");
    CHECK(failure(R"({"arpu": "1,000"})").message == R"(arpu must be a number, got "1,000")");
    CHECK(failure(R"({"arpu": "0x10"})").message == R"(arpu must be a number, got "0x10")");
  }
  SECTION("no infinities or NaNs in strings") {
    CHECK(failure(R"({"arpu": "inf"})").message == R"(arpu must be a number, got "inf")");
    CHECK(failure(R"({"arpu": "Infinity"})").message == R"(arpu must be a number, got "Infinity")");
    CHECK(failure(R"({"churn": "NaN"})").message ==
          R"(churn must be a number or a percentage (e.g. 5%), got "NaN")");
  }
  SECTION("a string too large for a double") {
    const auto e = failure(R"({"arpu": "1e400"})");
    CHECK(e.field == "arpu");
    CHECK(e.message == R"(arpu is out of range (not a finite double), got "1e400")");
  }
}

TEST_CASE("Wrong JSON types") {
  SECTION("plain fields") {
    CHECK(failure(R"({"arpu": null})").message == "arpu must be a number, got null");
    CHECK(failure(R"({"arpu": true})").message == "arpu must be a number, got a boolean");
    CHECK(failure(R"({"arpu": false})").message == "arpu must be a number, got a boolean");
    CHECK(failure(R"({"arpu": [50]})").message == "arpu must be a number, got an array");
    CHECK(failure(R"({"cac": {"amount": 300}})").message == "cac must be a number, got an object");
  }
  SECTION("rate fields") {
    CHECK(failure(R"({"churn": null})").message ==
          "churn must be a number or a percentage, got null");
    CHECK(failure(R"({"gross_margin": true})").message ==
          "gross_margin must be a number or a percentage, got a boolean");
  }
  SECTION("the error names the field") {
    CHECK(failure(R"({"arpu": 50, "horizon": [12]})").field == "horizon");
  }
  SECTION("period") {
    const auto e = failure(R"({"period": 12})");
    CHECK(e.field == "period");
    CHECK(e.message == R"(period must be "month" or "year", got a number)");
    CHECK(failure(R"({"period": "week"})").message ==
          R"(period must be "month" or "year", got "week")");
    CHECK(failure(R"({"period": null})").message ==
          R"(period must be "month" or "year", got null)");
  }
  SECTION("period accepts month and year (and their adjectives)") {
    CHECK(parse(R"({"period": "month"})").out.input.period == cltv::period::month);
    CHECK(parse(R"({"period": "year"})").out.input.period == cltv::period::year);
    CHECK(parse(R"({"period": "annual"})").out.input.period == cltv::period::year);
    CHECK(parse(R"({"period": "monthly"})").out.input.period == cltv::period::month);
  }
  SECTION("id: a string or a number, echoed as compact JSON") {
    CHECK(parse(R"({"id": "a \"b\""})").out.id_json == R"("a \"b\"")");
    CHECK(parse(R"({"id": 42})").out.id_json == "42");
    CHECK(parse(R"({"id": -7})").out.id_json == "-7");
    CHECK(parse(R"({"id": 1.5})").out.id_json == "1.5");
  }
  SECTION("id of another type") {
    const auto e = failure(R"({"id": null})");
    CHECK(e.field == "id");
    CHECK(e.message == "id must be a string or a number, got null");
    CHECK(failure(R"({"id": true})").message == "id must be a string or a number, got a boolean");
    CHECK(failure(R"({"id": [1]})").message == "id must be a string or a number, got an array");
    CHECK(failure(R"({"id": {}})").message == "id must be a string or a number, got an object");
  }
}

TEST_CASE("Unknown and duplicate keys") {
  SECTION("a misspelling gets a suggestion") {
    const auto e = failure(R"({"arpu": 50, "churm": "4%"})");
    CHECK(e.field == "churm");
    CHECK(e.message == R"(unknown field "churm" (did you mean "churn"?))");
  }
  SECTION("case matters, and is suggested") {
    CHECK(failure(R"({"Arpu": 50})").message == R"(unknown field "Arpu" (did you mean "arpu"?))");
  }
  SECTION("the flag spelling of a key is suggested its snake_case name") {
    CHECK(failure(R"({"gross-margin": 0.8})").message ==
          R"(unknown field "gross-margin" (did you mean "gross_margin"?))");
  }
  SECTION("far from every key: the message names a known field") {
    const auto e = failure(R"({"xyzzy": 1})");
    CHECK(e.field == "xyzzy");
    CHECK(e.message.rfind(R"(unknown field "xyzzy" ()", 0) == 0);
    CHECK(e.message.find("arpu") != std::string::npos);
  }
  SECTION("a duplicate key") {
    const auto e = failure(R"({"churn": "4%", "arpu": 50, "churn": 0.05})");
    CHECK(e.field == "churn");
    CHECK(e.message == R"(duplicate field "churn")");
  }
  SECTION("duplicates of id and period too") {
    CHECK(failure(R"({"id": 1, "id": 2})").message == R"(duplicate field "id")");
    CHECK(failure(R"({"period": "month", "period": "year"})").message ==
          R"(duplicate field "period")");
  }
  SECTION("an alias and its main name are not duplicates of each other") {
    CHECK(parse(R"({"arpu": 50, "value": 50})").ok);
  }
}

TEST_CASE("Records that are not one JSON object") {
  SECTION("other JSON values") {
    for (auto [text, what] : {std::pair{"[1, 2]", "an array"},
                              {"42", "a number"},
                              {R"("x")", "a string"},
                              {"true", "a boolean"},
                              {"null", "null"}}) {
      const auto e = failure(text);
      CHECK(e.field.empty());
      CHECK(e.message == std::string("expected a JSON object (a scenario), got ") + what);
    }
  }
  SECTION("syntax errors have no field and say the JSON is invalid") {
    for (std::string_view text :
         {R"({"arpu": 50, "churn": 0.04)", R"({"arpu": 50,)", R"({"arpu": 50} xyz)",
          R"({"arpu": 50}{"arpu": 60})", R"({arpu: 50})", "arpu=50", R"({"arpu": 50,})",
          R"({"arpu": 50 "churn": 1})"}) {
      INFO(text);
      const auto e = failure(text);
      CHECK(e.field.empty());
      CHECK(e.message.rfind("invalid JSON: ", 0) == 0);
    }
  }
  SECTION("an empty record") {
    const auto e = failure("");
    CHECK(e.field.empty());
    CHECK(e.message.rfind("invalid JSON: ", 0) == 0);
  }
  SECTION("a string that is not closed") {
    CHECK(failure(R"({"id": "abc})").message == "invalid JSON: a string is not closed");
  }
  SECTION("invalid UTF-8") {
    CHECK(failure("{\"id\": \"\xC3\x28\"}").message == "invalid JSON: the text is not valid UTF-8");
  }
  SECTION("a control character inside a string") {
    CHECK(failure("{\"id\": \"a\x01b\"}").message ==
          "invalid JSON: control character inside a string");
  }
}

TEST_CASE("Number literals that JSON does not allow, and big integers") {
  SECTION("a malformed number names the field and the text, and is not called out of range") {
    for (auto [record, text] : {std::pair{R"({"arpu": 05})", "05"},
                                {R"({"arpu": 1.e5})", "1.e5"},
                                {R"({"arpu": 1e5x})", "1e5x"},
                                {R"({"arpu": -})", "-"}}) {
      INFO(record);
      const auto e = failure(record);
      CHECK(e.field == "arpu");
      CHECK(e.message.find(text) != std::string::npos);
      CHECK(e.message.find("out of range") == std::string::npos);
    }
  }
  SECTION("an integer beyond 64 bits is a valid JSON number: the nearest double") {
    // 10^20 = 2^20 × 5^20 and 5^20 < 2^53, so 1e20 is exact.
    const auto r = parse(R"({"arpu": 100000000000000000000})");
    INFO(r.err.message);
    REQUIRE(r.ok);
    CHECK(r.out.input.arpu == 1e20);
  }
}

TEST_CASE("One parser, many records") {
  scenario_parser parser;
  SECTION("nothing carries over from the previous record") {
    REQUIRE(parse(parser, R"({"id": "a", "arpu": 50, "churn": 0.04, "period": "year"})").ok);
    const auto second = parse(parser, R"({"value": 20, "lifetime": 12})");
    REQUIRE(second.ok);
    CHECK(second.out.id_json.empty());
    CHECK_FALSE(second.out.input.arpu);
    CHECK_FALSE(second.out.input.churn);
    CHECK_FALSE(second.out.input.period);
    CHECK(second.out.input.value == 20.0);
  }
  SECTION("an error does not spoil the next record") {
    CHECK_FALSE(parse(parser, R"({"arpu": "abc"})").ok);
    CHECK_FALSE(parse(parser, "[1").ok);
    const auto r = parse(parser, R"({"arpu": 50})");
    REQUIRE(r.ok);
    CHECK(r.out.input.arpu == 50.0);
  }
}

namespace {

// Whether two parses are the same bit for bit (a double's sign and payload
// included).
bool same_scenario(const parsed_scenario& a, const parsed_scenario& b) {
  const auto same_number = [](const std::optional<double>& x, const std::optional<double>& y) {
    return x.has_value() == y.has_value() &&
           (!x || std::bit_cast<std::uint64_t>(*x) == std::bit_cast<std::uint64_t>(*y));
  };
  for (const cltv::scenario_field& field : cltv::scenario_fields)
    if (field.member != nullptr && !same_number(a.input.*(field.member), b.input.*(field.member)))
      return false;
  return a.input.period == b.input.period && a.id_json == b.id_json &&
         same_number(a.annual.annual_price, b.annual.annual_price) &&
         same_number(a.annual.annual_churn, b.annual.annual_churn) &&
         a.has_segments == b.has_segments && a.segments.size() == b.segments.size();
}

// Random records near the flat shape: known, unknown, escaped and repeated
// keys; numbers at the edges of JSON's grammar and of double's range; strings
// where numbers go; nested values; stray and missing punctuation.
std::string random_record(std::mt19937_64& rng) {
  const auto pick = [&](const auto& list) {
    return std::string(
        list[std::uniform_int_distribution<std::size_t>(0, std::size(list) - 1)(rng)]);
  };
  const auto chance = [&](int percent) {
    return std::uniform_int_distribution<int>(0, 99)(rng) < percent;
  };
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> k;
    for (const cltv::scenario_field& field : cltv::scenario_fields) k.emplace_back(field.name);
    for (const char* extra : {"id", "id", "annual_price", "annual_churn", "segments", "chrun",
                              "Arpu", "arp\\u0075", "", "caf\xC3\xA9"})
      k.emplace_back(extra);
    return k;
  }();
  static const char* const numbers[] = {"0",
                                        "-0",
                                        "1",
                                        "50",
                                        "0.04",
                                        "161.68",
                                        "1e5",
                                        "1E-5",
                                        "-3.5e+2",
                                        "0.1",
                                        "12.50",
                                        "9007199254740993",
                                        "123456789012345678901234567890",
                                        "0.30000000000000004",
                                        "2.2250738585072014e-308",
                                        "4.9e-324",
                                        "1e-400",
                                        "1e400",
                                        "-1e400",
                                        "1.7976931348623157e308",
                                        "01",
                                        "1.",
                                        ".5",
                                        "1e",
                                        "-",
                                        "+1",
                                        "1e5x",
                                        "0x10",
                                        "NaN",
                                        "Infinity",
                                        "--1",
                                        "1.5.2"};
  static const char* const others[] = {
      "\"month\"", "\"Year\"", "\"annual\"", "\"weekly\"",      "\"4%\"",
      "\"50\"",    "\"abc\"",  "\"a\\\"b\"", "\"caf\xC3\xA9\"", "\"\"",
      "\"\t\"",    "\"\x7F\"", "true",       "false",           "null",
      "[]",        "{}",       "[1]",        "{\"a\":1}",       "\"unclosed",
      "nul"};
  static const char* const spaces[] = {"", "", "", " ", "  ", "\t", "\n", "\r\n"};
  std::string r = chance(5) ? pick(spaces) : "";
  if (chance(3)) return r + pick(numbers);  // not an object
  r += '{';
  const int fields = std::uniform_int_distribution<int>(0, 7)(rng);
  for (int i = 0; i < fields; ++i) {
    if (i > 0) r += chance(2) ? "" : ",";
    r += pick(spaces);
    r += chance(2) ? pick(keys) : '"' + pick(keys) + '"';
    r += pick(spaces) + (chance(2) ? "" : ":") + pick(spaces);
    if (chance(70)) {
      r += pick(numbers);
    } else if (chance(50)) {
      char buf[40];
      const double x = std::ldexp(std::uniform_real_distribution<double>(-1, 1)(rng),
                                  std::uniform_int_distribution<int>(-40, 60)(rng));
      r += std::string(buf, static_cast<std::size_t>(std::snprintf(buf, sizeof buf, "%.17g", x)));
    } else {
      r += pick(others);
    }
    r += pick(spaces);
  }
  if (chance(3)) r += ',';
  if (!chance(3)) r += '}';
  if (chance(3)) r += chance(50) ? " {}" : "x";
  return r + (chance(10) ? pick(spaces) : "");
}

}  // namespace

TEST_CASE("The flat-record path reads exactly what the general parser reads") {
  scenario_parser parser;
  std::mt19937_64 rng(20261206);
  int flat = 0;
  int general_ok = 0;
  for (int i = 0; i < 20000; ++i) {
    const std::string record = random_record(rng);
    std::string padded = record + std::string(json_padding, ' ');
    const std::string_view view(padded.data(), record.size());
    INFO(record);
    parse_result general;
    general.ok = parser.parse_general(view, general.out, general.err);
    general_ok += general.ok ? 1 : 0;
    parsed_scenario fast;
    if (cltv::cli::parse_flat_scenario(view, fast)) {
      ++flat;
      REQUIRE(general.ok);
      REQUIRE(same_scenario(fast, general.out));
    }
    // parse (flat first, general after) answers as the general parser does.
    const parse_result both = parse(parser, record);
    REQUIRE(both.ok == general.ok);
    if (both.ok) {
      REQUIRE(same_scenario(both.out, general.out));
    } else {
      REQUIRE(both.err.field == general.err.field);
      REQUIRE(both.err.message == general.err.message);
      REQUIRE(both.out.id_json == general.out.id_json);
    }
  }
  // Both kinds of record are drawn often enough for the comparison to mean
  // something: flat ones read by hand, and records only the general parser takes.
  CHECK(flat > 2000);
  CHECK(general_ok > flat);
}

TEST_CASE("Flat records the hand-written path reads, and those it leaves to simdjson") {
  const auto flat = [](std::string_view record) {
    std::string padded(record);
    padded.append(json_padding, ' ');
    parsed_scenario out;
    return cltv::cli::parse_flat_scenario(std::string_view(padded.data(), record.size()), out);
  };
  CHECK(flat(R"({"id":1,"arpu":161.68,"churn":0.0061,"period":"month","cac":300})"));
  CHECK(flat(" { \"id\" : \"a-1\" , \"annual_price\" : 500 } \r\n"));
  CHECK(flat("{}"));
  CHECK_FALSE(flat(R"({"arpu":"4%"})"));          // a string for a number
  CHECK_FALSE(flat(R"({"segments":[]})"));        // segments
  CHECK_FALSE(flat(R"({"id":"caf\u00e9"})"));     // an escape
  CHECK_FALSE(flat("{\"id\":\"caf\xC3\xA9\"}"));  // UTF-8 in a string
  CHECK_FALSE(flat(R"({"arpu":1,"arpu":2})"));    // a duplicate
  CHECK_FALSE(flat(R"({"arpu":1e400})"));         // out of range
  CHECK_FALSE(flat(R"({"arpu":01})"));            // not JSON's grammar
  CHECK_FALSE(flat(R"({"arpu":1} x)"));           // content after the object
  const auto r = parse(R"({"id": 7, "arpu": -0, "gross_margin": 1e-5})");
  REQUIRE(r.ok);
  CHECK(r.out.id_json == "7");
  CHECK_FALSE(std::signbit(*r.out.input.arpu));  // -0 reads as +0, as simdjson's path has it
  CHECK(r.out.input.gross_margin == 1e-5);
}
