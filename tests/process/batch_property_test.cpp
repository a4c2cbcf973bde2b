// Batch integrity, as a property over random NDJSON streams run through the
// real binary: whatever mix of good records, bad values, unknown keys, broken
// JSON, blank lines, CRLF and a BOM comes in, the output has exactly one
// record per input record, in order; every error record carries its input
// line; good records carry the LTV an independent computation gives; and the
// exit code reflects the worst record (2 for any invalid one; for check, 1 if
// any record is below the target and none is invalid; else 0).

#include <algorithm>
#include <catch2/catch.hpp>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "spawn.hpp"

using Catch::Matchers::StartsWith;
using Catch::Matchers::WithinRel;

namespace {

// 250 streams take about 1.5 s. A sanitized cltv takes ~40 ms to start and
// exit, so the sanitizer build runs fewer (CLTV_PROPERTY_STREAMS, set by
// tests/CMakeLists.txt).
int stream_count() {
  const char* env = std::getenv("CLTV_PROPERTY_STREAMS");
  return env && *env ? std::atoi(env) : 250;
}

// Shortest text that reads back as exactly x (what a careful producer writes).
std::string num(double x) {
  char buf[32];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, ptr);
}

struct expectation {
  std::size_t line = 0;  // 1-based physical line of the record
  bool valid = false;
  std::string id_json;               // the id as the output must echo it; empty: none checked
  std::string field;                 // invalid records: the field the error names ("" = none)
  std::optional<double> ltv;         // valid records: the independent LTV
  double tolerance = 1e-12;          // relative
  std::optional<double> cac;         // valid records with a CAC
  std::optional<bool> meets_target;  // valid records with CAC > 0, clear of the 3× boundary
};

class stream_generator {
 public:
  stream_generator(std::uint64_t seed, bool check) : rng_(seed), check_(check) {}

  // Appends one record line (without its line end) and its expectation.
  // `first`: the stream's first record must be one whole object on one line,
  // or the reader takes the input for an array or pretty-printed JSON.
  // `p_bad`: the share of bad records in this stream.
  std::string record(std::size_t line, bool first, double p_bad, expectation& e) {
    e = {};
    e.line = line;
    if (!coin(p_bad)) return valid_record(e, coin(0.7));
    if (first || coin(0.6)) return invalid_value(e);
    return broken_json(e);
  }

  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  double uniform(double lo, double hi) {
    return std::uniform_real_distribution<double>(lo, hi)(rng_);
  }
  bool coin(double p = 0.5) { return std::bernoulli_distribution(p)(rng_); }

 private:
  // An optional id, as a string or a number; `fields` gets the JSON member.
  void maybe_id(std::vector<std::string>& fields, expectation& e) {
    if (!coin(0.6)) return;
    const int k = pick(0, 1'000'000);
    e.id_json = coin() ? "\"r" + std::to_string(k) + "\"" : std::to_string(k);
    fields.push_back("\"id\": " + e.id_json);
  }

  static std::string object(std::vector<std::string> fields, std::mt19937_64& rng) {
    std::shuffle(fields.begin(), fields.end(), rng);
    std::string s = "{";
    for (std::size_t i = 0; i < fields.size(); ++i) s += (i ? ", " : "") + fields[i];
    return s + "}";
  }

  // A valid record. Simple: undiscounted, no horizon, LTV = (arpu·gm − cts) / churn.
  // Otherwise with a discount rate and/or a horizon (doc/formulas.md).
  std::string valid_record(expectation& e, bool simple) {
    e.valid = true;
    std::vector<std::string> f;
    maybe_id(f, e);
    const double arpu = std::round(uniform(0, 2000) * 100) / 100;
    f.push_back(coin(0.8) ? "\"arpu\": " + num(arpu) : "\"arpu\": \"" + num(arpu) + "\"");
    double gm = 1;
    if (coin()) {
      if (coin()) {
        const int pct = pick(1, 100);
        gm = pct / 100.0;  // "k%" is the double nearest k / 100, as is k / 100.0
        f.push_back("\"gross_margin\": \"" + std::to_string(pct) + "%\"");
      } else {
        gm = uniform(0.01, 1);
        f.push_back("\"gross_margin\": " + num(gm));
      }
    }
    double cts = 0;
    if (coin(0.4)) {
      cts = uniform(0, arpu * gm * 1.2);  // sometimes above the gross profit: a negative margin
      f.push_back("\"cost_to_serve\": " + num(cts));
    }
    double churn = 0;
    if (coin()) {
      const int pct = pick(1, 100);
      churn = pct / 100.0;
      f.push_back("\"churn\": \"" + std::to_string(pct) + "%\"");
    } else {
      churn = uniform(0.001, 1);  // lifetime ≤ 1000 periods, under the 10,000 limit
      f.push_back("\"churn\": " + num(churn));
    }
    if (check_ || coin(0.7)) {
      const double cac = check_ ? uniform(1, 20000) : (coin(0.1) ? 0.0 : uniform(0, 20000));
      e.cac = cac;
      f.push_back("\"cac\": " + num(cac));
    }
    const double m = arpu * gm - cts;
    if (simple) {
      e.ltv = m / churn;
    } else {
      double d = 0;
      std::optional<int> horizon;
      const int which = pick(0, 2);
      if (which != 1) {
        d = uniform(0.001, 0.05);
        f.push_back("\"discount_rate\": " + num(d));
      }
      if (which != 0) {
        horizon = pick(1, 600);
        f.push_back("\"horizon\": " + std::to_string(*horizon));
      }
      const double q = (1 - churn) / (1 + d);
      const double paid =
          horizon ? (1 + d) * (1 - std::pow(q, *horizon)) / (churn + d) : (1 + d) / (churn + d);
      e.ltv = m * paid;
      e.tolerance = 1e-9;  // a different (pow) form of the same sum
    }
    if (e.cac && *e.cac > 0) {
      const double ratio = *e.ltv / *e.cac;
      if (std::abs(ratio / 3 - 1) > 1e-6) e.meets_target = ratio >= 3;
    }
    return object(f, rng_);
  }

  // Well-formed JSON with one bad value, key or combination.
  std::string invalid_value(expectation& e) {
    struct fault {
      const char* churn;  // replaces "churn": "4%" when not empty
      const char* extra;  // one more member when not empty
      const char* field;  // what the error names
    };
    static constexpr fault faults[] = {
        {"\"churn\": 1.5", "", "churn"},
        {"\"churn\": \"5 %\"", "", "churn"},
        {"\"churn\": 0", "", "churn"},  // no horizon, no discount rate
        {"\"lifetime\": 12, \"churn\": 0.1", "", "churn"},
        {"", "\"value\": -1", "value"},
        {"", "\"aov\": \"abc\"", "aov"},
        {"", "\"gross_margin\": 0", "gross_margin"},
        {"", "\"horizon\": 12.5", "horizon"},
        {"", "\"churm\": 0.1", "churm"},
        {"", "\"cac\": null", "cac"},
        {"", "\"arpu\": 60", "arpu"},  // a duplicate key
    };
    const fault& x = faults[static_cast<std::size_t>(pick(0, std::ssize(faults) - 1))];
    e.field = x.field;
    std::vector<std::string> f;
    maybe_id(f, e);
    f.emplace_back("\"arpu\": 50");
    f.emplace_back(*x.churn ? x.churn : "\"churn\": \"4%\"");
    if (*x.extra) f.emplace_back(x.extra);
    // check refuses a record without CAC: give one unless CAC is the fault.
    if (e.field != "cac" && (check_ || coin())) f.emplace_back("\"cac\": 300");
    return object(f, rng_);
  }

  std::string broken_json(expectation& e) {
    e.field = "";
    switch (pick(0, 7)) {
      case 0:
        return "{\"arpu\": 50, \"churn\"";  // truncated
      case 1:
        return "not json";
      case 2:
        return "{\"arpu\": 50,, \"churn\": 0.04}";
      case 3:
        return "[1, 2]";
      case 4:
        return "42";
      case 5:
        return "{\"arpu\": 50, \"churn\": 0.04} trailing";
      case 6:
        return "{\"id\": \"caf\xE9\", \"arpu\": 50, \"churn\": 0.04}";  // not UTF-8
      default:
        return "{\"arpu\": 50, \"churn\": \"4%";
    }
  }

  std::mt19937_64 rng_;
  bool check_;
};

}  // namespace

TEST_CASE("random NDJSON streams: one output record per input record, in order",
          "[batch-property]") {
  const std::string path = cltv_test::scratch_path("batch-property.ndjson");
  const int streams = stream_count();
  int streams_with_errors = 0, streams_failing_check = 0;
  for (int seed = 1; seed <= streams; ++seed) {
    const bool check = seed % 3 == 0;
    stream_generator gen(static_cast<std::uint64_t>(seed), check);
    std::string input;
    std::vector<expectation> expected;
    if (gen.coin(0.1)) input += "\xEF\xBB\xBF";  // a UTF-8 BOM is fine
    const int style = gen.pick(0, 2);            // LF, CRLF, or mixed
    const int lines = gen.pick(2, 40);
    const double p_bad = gen.coin(0.35) ? 0.0 : gen.uniform(0.1, 0.6);
    std::size_t line = 1;
    while (expected.size() < 2 || static_cast<int>(line) <= lines) {
      const bool crlf = style == 1 || (style == 2 && gen.coin());
      const char* eol = crlf ? "\r\n" : "\n";
      if (gen.coin(0.15)) {  // a blank line: not a record
        static const char* const blanks[] = {"", "   ", "\t", " \t "};
        input += blanks[gen.pick(0, 3)];
      } else {
        expectation e;
        if (gen.coin(0.1)) input += "  ";  // leading blanks are trimmed
        input += gen.record(line, expected.empty(), p_bad, e);
        expected.push_back(e);
      }
      input += eol;
      ++line;
    }
    if (gen.coin(0.2)) {  // no final newline
      while (!input.empty() && (input.back() == '\n' || input.back() == '\r')) input.pop_back();
    }
    cltv_test::write_file(path, input);

    cltv_test::run_options o = cltv_test::command({check ? "check" : "calc", "--input", "-"});
    o.stdin_path = path;
    const cltv_test::run_result r = cltv_test::run_cltv(o);

    INFO("seed " << seed << " (" << (check ? "check" : "calc") << "), input:\n"
                 << input << "\nstdout:\n"
                 << r.out << "\nstderr:\n"
                 << r.err);
    REQUIRE_FALSE(r.timed_out);
    REQUIRE(r.signal == 0);

    std::vector<std::string> out_lines;
    for (std::size_t at = 0; at < r.out.size();) {
      const std::size_t nl = r.out.find('\n', at);
      REQUIRE(nl != std::string::npos);  // every output record ends its line
      out_lines.push_back(r.out.substr(at, nl - at));
      at = nl + 1;
    }
    REQUIRE(out_lines.size() == expected.size());

    bool any_invalid = false, any_below = false, boundary = false;
    std::size_t invalid_count = 0, first_invalid_line = 0;
    for (std::size_t i = 0; i < expected.size(); ++i) {
      const expectation& e = expected[i];
      INFO("record " << i + 1 << " (input line " << e.line << "): " << out_lines[i]);
      const nlohmann::json rec = nlohmann::json::parse(out_lines[i]);
      if (!e.id_json.empty()) {
        REQUIRE(rec.contains("id"));
        CHECK(rec["id"].dump() == e.id_json);
      }
      if (!e.valid) {
        if (invalid_count++ == 0) first_invalid_line = e.line;
        any_invalid = true;
        REQUIRE(rec.contains("error"));
        CHECK(rec["line"] == e.line);
        CHECK_FALSE(rec.contains("ltv"));
        if (!e.field.empty()) CHECK(rec["field"] == e.field);
        continue;
      }
      REQUIRE_FALSE(rec.contains("error"));
      REQUIRE(rec["ltv"].is_number());
      REQUIRE_THAT(rec["ltv"].get<double>(), WithinRel(*e.ltv, e.tolerance));
      if (e.cac && *e.cac > 0) {
        REQUIRE(rec.contains("ltv_cac_ratio"));
        REQUIRE_THAT(rec["ltv_cac_ratio"].get<double>(), WithinRel(*e.ltv / *e.cac, e.tolerance));
        if (e.meets_target)
          CHECK(rec["meets_target"] == *e.meets_target);
        else
          boundary = true;
        if (rec["meets_target"] == false) any_below = true;
      }
    }
    int expected_code = 0;
    if (any_invalid)
      expected_code = 2;
    else if (check && any_below)
      expected_code = 1;
    if (!boundary || any_invalid) CHECK(r.exit_code == expected_code);
    if (any_invalid) {
      ++streams_with_errors;
      CHECK_THAT(r.err, StartsWith("cltv: " + std::to_string(invalid_count) + " of " +
                                   std::to_string(expected.size()) +
                                   " records in stdin are invalid (first: line " +
                                   std::to_string(first_invalid_line) + ": "));
      CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    } else {
      CHECK(r.err.empty());
      if (expected_code == 1) ++streams_failing_check;
    }
  }
  std::remove(path.c_str());
  // The generator exercises every outcome.
  CHECK(streams_with_errors > streams / 10);
  CHECK(streams_failing_check > streams / 50);
  CHECK(streams_with_errors < streams);
}
