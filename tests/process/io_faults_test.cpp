// The binary under I/O faults: a 100 MB line, a reader that goes away, a full
// disk. Inputs are generated into the build tree at test time, never committed.

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "spawn.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using cltv_test::run_cltv;
using cltv_test::run_options;
using cltv_test::run_result;

namespace {

// One NDJSON record per line; the record `failing_at` (0-based) misses the 3×
// target: arpu 5 at churn 4% gives LTV 5 / 0.04 = 125, ratio 125 / 300 < 3,
// while the others give 50 / 0.04 = 1250, ratio 4.17.
std::string ndjson_lines(std::size_t n, std::size_t failing_at) {
  std::string s;
  s.reserve(n * 60);
  for (std::size_t i = 0; i < n; ++i)
    s += "{\"id\": " + std::to_string(i) + ", \"arpu\": " + (i == failing_at ? "5" : "50") +
         ", \"churn\": \"4%\", \"cac\": 300}\n";
  return s;
}

void require_clean_exit(const run_result& r) {
  INFO("stderr: " << r.err);
  REQUIRE_FALSE(r.timed_out);
  REQUIRE(r.signal == 0);
}

}  // namespace

TEST_CASE("a 100 MB single-line record is read or refused, never a crash", "[io]") {
  const std::string path = cltv_test::scratch_path("line-100mb.ndjson");
  const std::string padding(100'000'000, 'x');

  SECTION("a valid record with a 100 MB id echoes it") {
    cltv_test::write_file(path, "{\"id\": \"" + padding + "\", \"arpu\": 50, \"churn\": \"4%\"}\n");
    const run_result r =
        run_cltv(cltv_test::command({"calc", "--input", path, "--format", "ndjson"}));
    require_clean_exit(r);
    CHECK(r.exit_code == 0);
    CHECK(r.err.empty());
    CHECK(r.out.size() > padding.size());
    CHECK_THAT(r.out, Contains("\"ltv\":1250,"));  // 50 / 0.04
  }
  SECTION("100 MB of garbage on one line is one error naming line 1") {
    cltv_test::write_file(path, padding + "\n");
    const run_result r = run_cltv(cltv_test::command({"calc", "--input", path}));
    require_clean_exit(r);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK_THAT(r.err, StartsWith("cltv: invalid JSON") && Contains("line 1)"));
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  }
  SECTION("a record padded with 100 MB of whitespace inside is read") {
    cltv_test::write_file(path, "{\"arpu\": 50, \"churn\": \"4%\", \"cac\": " +
                                    std::string(100'000'000, ' ') + "300}\n");
    const run_result r = run_cltv(cltv_test::command({"calc", "--input", path, "--json"}));
    require_clean_exit(r);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Contains("\"ltv_cac_ratio\":4.16666666666666"));  // 1250 / 300
  }
  std::remove(path.c_str());
}

TEST_CASE("a closed pipe ends the run quietly", "[io]") {
  // 20,000 records make about 6 MB of output, 200,000 about 60 MB: far more
  // than a pipe holds, so cltv is still writing when the reader goes away.
  const std::string path = cltv_test::scratch_path("lines.ndjson");

  SECTION("cltv calc --input <200k lines> | head -1: exit 0, nothing on stderr") {
    cltv_test::write_file(path, ndjson_lines(200'000, 0));
    run_options o = cltv_test::command({"calc", "--input", path});
    o.close_after_line = true;
    const run_result r = run_cltv(o);
    require_clean_exit(r);
    CHECK(r.exit_code == 0);
    CHECK(r.err.empty());
    CHECK_THAT(r.out, StartsWith("{\"id\":0,"));
  }
  SECTION("cltv check … | head -c 1 keeps the verdict: 1 when the first record fails") {
    cltv_test::write_file(path, ndjson_lines(20'000, 0));
    run_options o = cltv_test::command({"check", "--input", path});
    o.close_after_bytes = 1;
    const run_result r = run_cltv(o);
    require_clean_exit(r);
    CHECK(r.exit_code == 1);
    CHECK(r.err.empty());
  }
  SECTION("a one-off check | head -c 1 keeps its verdict") {
    run_options fail =
        cltv_test::command({"check", "--arpu", "50", "--churn", "4%", "--cac", "500"});
    fail.close_after_bytes = 1;
    const run_result failed = run_cltv(fail);
    require_clean_exit(failed);
    CHECK(failed.exit_code == 1);  // 1250 / 500 = 2.5 < 3
    CHECK(failed.out == "F");
    CHECK(failed.err.empty());

    run_options pass =
        cltv_test::command({"check", "--arpu", "50", "--churn", "4%", "--cac", "300"});
    pass.close_after_bytes = 1;
    const run_result passed = run_cltv(pass);
    require_clean_exit(passed);
    CHECK(passed.exit_code == 0);  // 1250 / 300 = 4.17 ≥ 3
    CHECK(passed.err.empty());
  }
  std::remove(path.c_str());
}

// After the reader goes away, check reads on without writing: its exit code
// is the verdict of every record, here decided by the very last one. Hidden
// tag: it runs as its own ctest entry (process/check-verdict-after-closed-pipe).
TEST_CASE("check | head -c 1 gives the verdict of every record", "[.][io-verdict]") {
  const std::string path = cltv_test::scratch_path("lines-last-fails.ndjson");
  cltv_test::write_file(path, ndjson_lines(20'000, 19'999));
  run_options o = cltv_test::command({"check", "--input", path});
  o.close_after_bytes = 1;
  const run_result r = run_cltv(o);
  std::remove(path.c_str());
  require_clean_exit(r);
  CHECK(r.exit_code == 1);  // as without the pipe: the last record's ratio is 125 / 300 < 3
  CHECK(r.err.empty());
}

TEST_CASE("a failed write is exit 2 with one message", "[io]") {
  // Every write to /dev/full fails with ENOSPC.
  const auto to_dev_full = [](std::vector<std::string> args) {
    run_options o = cltv_test::command(std::move(args));
    o.stdout_path = "/dev/full";
    const run_result r = run_cltv(o);
    require_clean_exit(r);
    CHECK(r.exit_code == 2);
    CHECK(r.err == "cltv: cannot write output: No space left on device\n");
  };
  SECTION("cltv calc --arpu 50 --churn 4% > /dev/full") {
    to_dev_full({"calc", "--arpu", "50", "--churn", "4%"});
  }
  SECTION("a check that passes, > /dev/full: 2, not 0") {
    to_dev_full({"check", "--arpu", "50", "--churn", "4%", "--cac", "300", "--json"});
  }
  SECTION("a batch > /dev/full stops at the first failed write") {
    const std::string path = cltv_test::scratch_path("lines-5k.ndjson");
    cltv_test::write_file(path, ndjson_lines(5'000, 5'000));
    to_dev_full({"calc", "--input", path, "--format", "csv"});
    std::remove(path.c_str());
  }
}
