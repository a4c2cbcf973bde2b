// A log parsed on several threads (read_transactions with threads > 1) gives
// what one thread gives, row for row: the same transactions in the same order
// with the same line numbers, the same first error (message and all), the same
// skipped rows; and each shard gets its customers' rows in input order. Blocks are made tiny so
// that rows, quoted line breaks, CRLFs and errors fall on every side of the cuts between them.
#include <catch2/catch.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "gzip.hpp"
#include "io/id_table.hpp"
#include "io/log_input.hpp"
#include "io/table_block_size.hpp"

namespace {

using cltv::cli::id_table;
using cltv::cli::table_input_options;
using cltv::cli::transaction;
using cltv::cli::transaction_columns;
using cltv::cli::transaction_log_options;

struct seen_row {
  std::string id;
  std::int32_t day = 0;
  std::int64_t units = 0;
  int scale = 0;
  std::uint64_t line = 0;
  bool operator==(const seen_row&) const = default;
};

std::ostream& operator<<(std::ostream& out, const seen_row& r) {
  return out << "line " << r.line << ": " << r.id << " " << r.day << " " << r.units << "e-"
             << r.scale;
}

// Everything a reader of the log can observe.
struct outcome {
  std::vector<seen_row> rows;
  std::string error;  // the message that stopped the run, or empty
  std::uint64_t skipped = 0;
  std::string skipped_note;
  bool operator==(const outcome&) const = default;
};

struct read_settings {
  bool skip_bad_rows = false;
  bool no_header = false;
  std::string delimiter;
  // The sink refuses its n-th row, from 1 (as --sorted refuses an earlier date).
  std::size_t refuse_row = 0;
};

outcome read_log(const std::string& text, int threads, std::size_t block,
                 const read_settings& settings = {}) {
  transaction_log_options log;
  log.table.path = "log.csv";
  log.table.fetched = std::make_shared<const std::string>(text);
  log.table.skip_bad_rows = settings.skip_bad_rows;
  log.table.no_header = settings.no_header;
  log.table.delimiter = settings.delimiter;
  if (settings.no_header) {
    log.customer_col = "1";
    log.date_col = "2";
    log.amount_col = "3";
  }
  auto in = [&] {
    const cltv::cli::table_block_size blocks(block);
    return cltv::cli::open_transaction_log(log, true);
  }();
  outcome out;
  if (!in) {
    out.error = in.error().message;
    return out;
  }
  id_table ids;
  transaction_columns cols;
  cltv::cli::log_reading how;
  how.threads = threads;
  how.shards = static_cast<std::size_t>(threads);
  std::vector<transaction> checked;
  std::vector<std::vector<transaction>> added(how.shards);
  std::vector<std::size_t> prefetched(how.shards, 0);
  const auto stopped = cltv::cli::read_transactions(
      *in, cols, ids, how,
      [&](const transaction& t) -> std::optional<cltv::error> {
        if (checked.size() + 1 == settings.refuse_row) return cltv::error{"date", "refused"};
        checked.push_back(t);
        out.rows.push_back(
            {std::string(ids.id_at(t.customer)), t.day, t.amount.units, t.amount.scale, t.line});
        return std::nullopt;
      },
      [&](std::size_t shard, std::uint32_t, cltv::day_number, cltv::cli::prefetch_stage stage) {
        if (stage == cltv::cli::prefetch_stage::state) ++prefetched[shard];
      },
      [&](std::size_t shard, const transaction& t) { added[shard].push_back(t); });
  if (!stopped) {
    // Each shard got its customers' rows, in input order, under their index
    // in the shard: all the checked rows, none twice.
    for (std::size_t shard = 0; shard < how.shards; ++shard) {
      std::vector<transaction> expected;
      for (transaction t : checked)
        if (t.customer % how.shards == shard) {
          t.customer = static_cast<std::uint32_t>(t.customer / how.shards);
          expected.push_back(t);
        }
      REQUIRE(added[shard].size() == expected.size());
      CHECK(prefetched[shard] == expected.size());
      for (std::size_t i = 0; i < expected.size(); ++i) {
        REQUIRE(added[shard][i].customer == expected[i].customer);
        REQUIRE(added[shard][i].line == expected[i].line);
        REQUIRE(added[shard][i].amount.units == expected[i].amount.units);
      }
    }
  }
  if (stopped) out.error = stopped->message;
  out.skipped = in->skipped_rows();
  out.skipped_note = in->skipped_note();
  return out;
}

// Same outcome on 2 and 3 threads as on one, over several block sizes.
void check_same(const std::string& text, const read_settings& settings = {}) {
  const outcome one = read_log(text, 1, 0, settings);
  for (const std::size_t block : {64U, 97U, 256U, 1000U, 4096U})
    for (const int threads : {2, 3}) {
      INFO("block " << block << ", threads " << threads);
      const outcome many = read_log(text, threads, block, settings);
      CHECK(many.error == one.error);
      CHECK(many.skipped == one.skipped);
      CHECK(many.skipped_note == one.skipped_note);
      REQUIRE(many.rows.size() == one.rows.size());
      for (std::size_t i = 0; i < one.rows.size(); ++i) REQUIRE(many.rows[i] == one.rows[i]);
    }
}

const std::string header = "customer_id,date,amount,note\n";

// A log of `rows` rows with a few hundred customers, shuffled dates and
// amounts, CRLF and LF line ends, blank lines, quoted ids holding commas
// and doubled quotes, and a note column (not read) whose quoted text holds
// line breaks, commas and quotes.
std::string make_log(int rows, std::uint64_t seed) {
  std::string text = header;
  std::uint64_t x = seed;
  const auto next = [&x] {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    return x >> 33;
  };
  for (int i = 0; i < rows; ++i) {
    const std::uint64_t r = next();
    const auto customer = r % 300;
    std::string id = "C" + std::to_string(customer);
    if (customer % 7 == 0) id = "\"C" + std::to_string(customer) + ", Inc\"";
    if (customer % 11 == 0) id = "\"say \"\"C" + std::to_string(customer) + "\"\"\"";
    const auto day = 1 + next() % 28;
    text += id + ",2024-0" + std::to_string(1 + next() % 9) + "-" + (day < 10 ? "0" : "") +
            std::to_string(day) + "," + std::to_string(next() % 10000) + "." +
            std::to_string(10 + next() % 90);
    if (r % 3 == 0) text += ",\"first line\nsecond, \"\"quoted\"\"\r\nthird\"";
    if (r % 3 == 1) text += ",plain";
    text += (r % 5 == 0) ? "\r\n" : "\n";
    if (r % 97 == 0) text += "\n";
  }
  return text;
}

}  // namespace

TEST_CASE("a log read on threads gives the one-thread rows, in order", "[threads]") {
  const std::string text = make_log(3000, 7);
  check_same(text);
  const outcome one = read_log(text, 1, 0);
  CHECK(one.error.empty());
  CHECK(one.rows.size() == 3000);
  // The test means something only if rows span several blocks.
  CHECK(text.size() > 30 * 1000);
}

TEST_CASE("a log on threads: without a final line break, with a BOM, without a header",
          "[threads]") {
  std::string text = make_log(500, 11);
  text.pop_back();  // the last row without its line break
  check_same(text);
  check_same("\xEF\xBB\xBF" + text);
  read_settings no_header;
  no_header.no_header = true;
  check_same("\xEF\xBB\xBF" + make_log(400, 3).substr(header.size()), no_header);
  check_same("", no_header);
  check_same(header);
  check_same(header + "\n\r\n\n");
}

TEST_CASE("a log on threads: a row longer than a block", "[threads]") {
  std::string text = make_log(200, 5);
  text += "\"" + std::string(5000, 'x') + "\n" + std::string(3000, 'y') + "\",2024-03-01,1.00\n";
  text += make_log(200, 6).substr(header.size());
  check_same(text);
}

TEST_CASE("a log on threads stops at the same first error", "[threads]") {
  const std::string good = make_log(800, 13);
  // A bad date, a bad amount, a missing column, an empty id: in a later block.
  for (const std::string bad :
       {"C1,2024-13-01,1.00\n", "C1,2024-01-01,abc\n", "C1,2024-01-01\n", ",2024-01-01,1\n"}) {
    INFO(bad);
    check_same(good + bad + make_log(300, 17).substr(header.size()));
    read_settings skip;
    skip.skip_bad_rows = true;
    check_same(good + bad + make_log(300, 17).substr(header.size()) + bad, skip);
  }
  // A quote left open runs to the end of the input.
  check_same(good + "\"C1,2024-01-01,1.00\n" + make_log(50, 2).substr(header.size()));
  // A character after a closing quote.
  check_same(good + "\"C1\"x,2024-01-01,1.00\n" + make_log(50, 2).substr(header.size()));
  // A quote inside an unquoted field is a character: no quoted field opens.
  check_same(good + "C1 5\" disk,2024-01-01,1.00\n" + make_log(50, 2).substr(header.size()));
  const outcome unterminated = read_log(good + "\"C1,2024-01-01,1.00\n", 2, 100);
  CHECK(unterminated.error.find("unterminated quoted field") != std::string::npos);
}

TEST_CASE("a log on threads: the sink's error comes at its row, before a later bad row",
          "[threads]") {
  const std::string text = make_log(900, 19) + "C1,2024-13-01,1.00\n";
  read_settings refuse;
  refuse.refuse_row = 700;
  check_same(text, refuse);
  const outcome one = read_log(text, 1, 0, refuse);
  CHECK(one.rows.size() == 699);
  CHECK(one.error.find(": refused") != std::string::npos);
  // The last row before the bad one, in the same batch of 32 rows: the
  // refused row still comes first.
  refuse.refuse_row = 900;
  check_same(text, refuse);
  CHECK(read_log(text, 1, 0, refuse).error.find(": refused") != std::string::npos);
}

TEST_CASE("a log on threads: whitespace and tab separated", "[threads]") {
  std::string blank = "customer_id date amount\n";
  std::string tab = "customer_id\tdate\tamount\n";
  for (int i = 0; i < 600; ++i) {
    const std::string id = "C" + std::to_string(i % 37);
    const std::string day =
        "2024-02-" + std::string(i % 28 < 9 ? "0" : "") + std::to_string(1 + i % 28);
    blank += "  " + id + "   " + day + " \t" + std::to_string(i) + ".5\n";
    tab += id + "\t" + day + "\t" + std::to_string(i) + ".25\r\n";
  }
  read_settings whitespace;
  whitespace.delimiter = "whitespace";
  check_same(blank, whitespace);
  read_settings tabs;
  tabs.delimiter = "tab";
  check_same(tab, tabs);
}

TEST_CASE("a gzip log on threads, whole and damaged", "[threads]") {
  const std::string text = make_log(2000, 23);
  check_same(gzip(text));
  std::string damaged = gzip(text);
  damaged.resize(damaged.size() * 2 / 3);  // cut short: no end of stream
  check_same(damaged);
  const outcome cut = read_log(damaged, 2, 256);
  CHECK(!cut.error.empty());
  CHECK(!cut.rows.empty());
}

TEST_CASE("an exception in a stage reaches the caller, whatever thread it was thrown on",
          "[threads]") {
  // (Out of memory is the real case; a helper thread must not end the process.)
  const std::string text = make_log(3000, 29);
  for (const int threads : {1, 2, 3}) {
    INFO("threads " << threads);
    transaction_log_options log;
    log.table.path = "log.csv";
    log.table.fetched = std::make_shared<const std::string>(text);
    auto in = [&] {
      const cltv::cli::table_block_size blocks(256);
      return cltv::cli::open_transaction_log(log, true);
    }();
    REQUIRE(in);
    id_table ids;
    cltv::cli::log_reading how;
    how.threads = threads;
    how.shards = 2;
    std::size_t seen = 0;
    const auto read = [&] {
      return cltv::cli::read_transactions(
          *in, transaction_columns{}, ids, how,
          [&](const transaction&) -> std::optional<cltv::error> {
            if (++seen == 2000) throw std::runtime_error("out of memory, say");
            return std::nullopt;
          },
          [](std::size_t, std::uint32_t, cltv::day_number, cltv::cli::prefetch_stage) {},
          [](std::size_t, const transaction&) {});
    };
    CHECK_THROWS_AS(read(), std::runtime_error);
  }
}
