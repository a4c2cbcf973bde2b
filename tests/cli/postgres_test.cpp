// io/postgres: COPY through libpq loaded at run time, against the throwaway
// cluster of the pg fixture (its socket directory is in the state file that
// CLTV_PG_STATE names; without it the cases are skipped with a warning).

#include "io/postgres.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <string>

namespace {

// The fixture's socket directory, or "" without the fixture.
std::string socket_directory() {
  const char* state = std::getenv("CLTV_PG_STATE");
  if (state == nullptr) return {};
  std::ifstream in(state);
  std::string dir;
  std::getline(in, dir);
  return dir;
}

}  // namespace

TEST_CASE("postgres: a query's rows come back as CSV, exactly", "[postgres]") {
  const std::string dir = socket_directory();
  if (dir.empty()) {
    WARN("skipped: no PostgreSQL fixture (CLTV_PG_STATE)");
    return;
  }
  const std::string conninfo = "host=" + dir + " user=postgres dbname=postgres";
  auto csv = cltv::cli::postgres_copy_csv(
      conninfo, "SELECT 1 AS a, 'x,y' AS b, CAST(0.1 AS DOUBLE PRECISION) AS c, NULL AS d");
  REQUIRE(csv);
  CHECK(*csv == "a,b,c,d\n1,\"x,y\",0.1,\n");
}

TEST_CASE("postgres: a failing query is one line with the engine's message", "[postgres]") {
  const std::string dir = socket_directory();
  if (dir.empty()) {
    WARN("skipped: no PostgreSQL fixture (CLTV_PG_STATE)");
    return;
  }
  auto failed = cltv::cli::postgres_copy_csv(
      "host=" + dir + " user=postgres dbname=postgres",
      "SELECT CASE WHEN n > 1 THEN CAST('cltv: stop at ' || n AS INTEGER) END FROM "
      "generate_series(1, 3) n");
  REQUIRE_FALSE(failed);
  CHECK(failed.error().field == "from");
  // A query stopped by a row cltv refuses says cltv's own words, without
  // the failing cast's wrapping.
  CHECK(failed.error().message == "PostgreSQL: stop at 2");
  CHECK(failed.error().message.find('\n') == std::string::npos);
}

TEST_CASE("postgres: a password in the URI never shows in a message", "[postgres]") {
  const std::string dir = socket_directory();
  if (dir.empty()) {
    WARN("skipped: no PostgreSQL fixture (CLTV_PG_STATE)");
    return;
  }
  const std::string uri = "postgresql://postgres:s3cr3t-pw@/no_such_db?host=" + dir;
  auto failed = cltv::cli::postgres_copy_csv(uri, "SELECT 1");
  REQUIRE_FALSE(failed);
  CHECK_THAT(failed.error().message,
             Catch::StartsWith("cannot connect to PostgreSQL:") && Catch::Contains("no_such_db"));
  CHECK(failed.error().message.find("s3cr3t-pw") == std::string::npos);
}

TEST_CASE("postgres: passwords are masked in URIs and key=value strings", "[postgres]") {
  using cltv::cli::without_password;
  CHECK(without_password("at postgresql://u:pw1@h/db: pw1", "postgresql://u:pw1@h/db") ==
        "at postgresql://u:***@h/db: ***");
  CHECK(without_password("password=abc host=x", "host=x password=abc") == "password=*** host=x");
  CHECK(without_password("x 'a b' y", "password='a b' host=x") == "x '***' y");
  CHECK(without_password("no secret", "postgresql://u@h/db") == "no secret");
  CHECK(cltv::cli::is_postgres_uri("postgres://h/db"));
  CHECK_FALSE(cltv::cli::is_postgres_uri("orders.csv"));
}

TEST_CASE("postgres: a missing or wrong libpq is an error naming the package", "[postgres]") {
  // The binary loads libpq on first use; where it is absent --from says what
  // to install, and a library without libpq's functions is refused.
  auto missing = cltv::cli::check_libpq("libcltv-test-no-such-libpq.so.5");
  REQUIRE(missing);
  CHECK(missing->field == "from");
  CHECK_THAT(missing->message, Catch::StartsWith("reading from PostgreSQL needs libpq") &&
                                   Catch::Contains("apt-get install libpq5"));
  auto wrong = cltv::cli::check_libpq("libz.so.1");
  REQUIRE(wrong);
  CHECK(wrong->message == "the libpq found (libz.so.1) lacks a function cltv needs");
  CHECK_FALSE(cltv::cli::check_libpq());  // the real one, which the tests need
}
