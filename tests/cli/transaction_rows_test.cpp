// The one-pass reader of a log's common rows (transaction_rows), held to the
// general reader: a block parsed with it (parse_block_rows with the fast
// reader) must give exactly what the general reader alone gives: the same
// rows (id, hash, day, amount to the bit, line), the same error that stopped
// the block and the same skipped rows. Hand-written rows say what it reads
// and what it leaves; random logs of awkward pieces cover the rest.

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "io/log_input.hpp"
#include "io/table_block_size.hpp"
#include "io/transaction_rows.hpp"

namespace {

using cltv::cli::row_block;
using cltv::cli::table_input;
using cltv::cli::transaction_columns;
using cltv::cli::transaction_log_options;
using cltv::cli::transaction_rows;
using cltv::cli::detail::parsed_rows;

struct log_settings {
  std::string header = "customer_id,date,amount";
  std::string delimiter;  // empty: ","
  bool skip_bad_rows = true;
  bool allow_refunds = false;
  bool with_amount = true;
  std::string date_format;
  std::size_t block_bytes = 0;  // 0: the reader's default
};

std::string replace_commas(std::string text, const std::string& delimiter) {
  if (delimiter.empty() || delimiter == ",") return text;
  const char d = delimiter == "tab" ? '\t' : delimiter[0];
  for (char& c : text)
    if (c == ',') c = d;
  return text;
}

table_input open_log(const std::string& rows, const log_settings& s) {
  transaction_log_options log;
  log.table.path = "log.csv";
  log.table.fetched =
      std::make_shared<const std::string>(replace_commas(s.header, s.delimiter) + "\n" + rows);
  log.table.delimiter = s.delimiter;
  log.table.skip_bad_rows = s.skip_bad_rows;
  log.table.date_format = s.date_format;
  log.allow_refunds = s.allow_refunds;
  const cltv::cli::table_block_size blocks(s.block_bytes);
  auto in = cltv::cli::open_transaction_log(log, s.with_amount);
  REQUIRE(in);
  return std::move(*in);
}

transaction_columns columns_of(const log_settings& s) {
  transaction_columns cols;
  cols.with_amount = s.with_amount;
  cols.allow_refunds = s.allow_refunds;
  return cols;
}

// What one block's parse shows: its rows, in a form compared exactly.
std::string describe(const parsed_rows& out, const table_input& rest) {
  std::ostringstream text;
  for (const auto& row : out.rows) {
    const auto& t = row.t;
    text << "line " << t.line << " id [" << out.id(row) << "] hash " << row.hash << " customer "
         << t.customer << " day " << t.day << " value "
         << std::bit_cast<std::uint64_t>(t.amount.value) << " units " << t.amount.units << " scale "
         << int{t.amount.scale} << " exact " << t.amount.exact << "\n";
  }
  text << "fatal: " << (out.fatal ? out.fatal->message : std::string("none")) << "\n";
  text << "skipped " << rest.skipped_rows() << ": " << rest.skipped_note() << "\n";
  return text.str();
}

struct compared {
  std::size_t blocks = 0;
  std::size_t rows = 0;       // rows the general reader gave
  std::size_t fast_rows = 0;  // of which the fast reader read
};

// Every block of the log parsed both ways; both must describe the same rows.
compared parse_both_ways(const std::string& rows, const log_settings& s) {
  table_input in = open_log(rows, s);
  const transaction_columns cols = columns_of(s);
  const std::optional<transaction_rows> fast = transaction_rows::of(in, cols);
  REQUIRE(fast);
  compared seen;
  row_block block;
  while (in.next_block(block)) {
    row_block copy = block;
    parsed_rows general_rows;
    table_input general =
        cltv::cli::detail::parse_block_rows(in, cols, nullptr, std::move(copy), general_rows);
    row_block again = block;
    parsed_rows scanned;
    const transaction_rows::stop stop = fast->scan(again, scanned);
    seen.fast_rows += scanned.rows.size();
    CHECK(stop.offset <= block.size);
    parsed_rows fast_rows;
    table_input rest =
        cltv::cli::detail::parse_block_rows(in, cols, &*fast, std::move(block), fast_rows);
    INFO("block:\n" << std::string(again.bytes.data(), again.size));
    REQUIRE(describe(fast_rows, rest) == describe(general_rows, general));
    seen.rows += general_rows.rows.size();
    ++seen.blocks;
    block = rest.take_block();
  }
  REQUIRE(!in.failure());
  return seen;
}

// How many rows of `rows` (one block) the fast reader reads by itself.
std::size_t fast_count(const std::string& rows, const log_settings& s = {}) {
  table_input in = open_log(rows, s);
  const std::optional<transaction_rows> fast = transaction_rows::of(in, columns_of(s));
  REQUIRE(fast);
  row_block block;
  REQUIRE(in.next_block(block));
  parsed_rows out;
  (void)fast->scan(block, out);
  parse_both_ways(rows, s);
  return out.rows.size();
}

}  // namespace

TEST_CASE("transaction_rows reads common rows and leaves the rest to the general reader",
          "[transaction-rows]") {
  SECTION("the common rows, to the end") {
    CHECK(fast_count("C1,2024-01-31,12.30\nC2,2024-02-29,7\n") == 2);
    CHECK(fast_count("C1,2024-01-31,12.30\r\nC2,2024-02-29,7\r\n") == 2);  // CRLF
    CHECK(fast_count("C1,2024-01-31,12.30\n\n\r\nC2,2024-02-29,7") ==
          2);                                                           // empty lines, no last LF
    CHECK(fast_count("a b c,0001-01-01,0\n~!x,9999-12-31,-0\n") == 2);  // printable ids, edge dates
    CHECK(fast_count("C1,2024-01-31,123456789012345\n") == 1);          // 15 digits
  }
  SECTION("extra columns, any order, other delimiters") {
    log_settings s;
    s.header = "note,amount,date,x,customer_id,y";
    CHECK(fast_count("n,1.5,2024-01-01,,C1,\nn,2,2024-01-02,q,C2,\"quoted\"\n", s) == 1);
    s.header = "customer_id,date,amount";
    s.delimiter = ";";
    CHECK(fast_count("C1;2024-01-31;12.30\nC2;2024-01-31;1,5\n", s) == 1);  // 1,5 is not a number
    s.delimiter = "tab";
    CHECK(fast_count("C1\t2024-01-31\t12.30\n", s) == 1);
  }
  SECTION("without the amount, refunds") {
    log_settings s;
    s.with_amount = false;
    CHECK(fast_count("C1,2024-01-31,abc\nC2,2024-01-31\n", s) == 2);
    s.with_amount = true;
    CHECK(fast_count("C1,2024-01-31,-5\n") == 0);  // a refund without --allow-refunds
    s.allow_refunds = true;
    CHECK(fast_count("C1,2024-01-31,-5\n", s) == 1);
  }
  SECTION("rows left to the general reader, from the first one on") {
    for (const char* row : {
             "\"C1\",2024-01-31,1\n",             // quotes
             "C1,2024-01-31,\"1\"\n",             // quotes
             "C1,2024-01-31,1,\"a\nb\"\n",        // a quoted line break after the columns
             "Zo\xc3\xab,2024-01-31,1\n",         // UTF-8 id
             "C\x01,2024-01-31,1\n",              // control character
             ",2024-01-31,1\n",                   // empty id
             "C1,2024-02-30,1\n",                 // not a date
             "C1,0000-01-01,1\n",                 // year 0
             "C1,20240131,1\n",                   // compact ISO
             "C1,2024-01-31T10:00:00Z,1\n",       // a time
             "C1,2024-01-31 ,1\n",                // a space
             "C1,2024-1-31,1\n",                  // one-digit month
             "C1,2024-01-31,1e3\n",               // exponent
             "C1,2024-01-31,1234567890123456\n",  // 16 digits
             "C1,2024-01-31,.5\n",                // no leading digit
             "C1,2024-01-31,5.\n",                // no decimals
             "C1,2024-01-31,+5\n",                // a plus
             "C1,2024-01-31,\n",                  // empty amount
             "C1,2024-01-31\n",                   // too few fields
         }) {
      INFO(row);
      CHECK(fast_count(std::string(row) + "C9,2024-01-01,1\n") == 0);
    }
    CHECK(fast_count("C9,2024-01-01,1\nC1,2024-01-31,5\r") == 1);  // a CR ending the input
    CHECK(fast_count("C9,2024-01-01,1\nC1,2024-01-31,5\r\n") == 2);
  }
  SECTION("layouts it does not read") {
    const auto layout = [](const log_settings& s) {
      return transaction_rows::of(open_log("C1,2024-01-01,1\n", s), columns_of(s)).has_value();
    };
    log_settings s;
    CHECK(layout(s));
    s.date_format = "%Y-%m-%d";
    CHECK_FALSE(layout(s));
    s.date_format.clear();
    for (const char* inside_dates : {"-", "2"}) {  // would split a date for the general reader
      s.delimiter = inside_dates;
      CHECK_FALSE(layout(s));
    }
    s.delimiter = "whitespace";
    s.header = "customer_id date amount";
    CHECK_FALSE(layout(s));
  }
}

TEST_CASE("transaction_rows gives what the general reader gives, on random logs",
          "[transaction-rows]") {
  std::mt19937_64 random(20261206);
  const auto pick = [&](const auto& choices) {
    return choices[std::uniform_int_distribution<std::size_t>(0, std::size(choices) - 1)(random)];
  };
  const auto chance = [&](double p) { return std::bernoulli_distribution(p)(random); };
  const std::array<const char*, 12> odd_ids{"",     "\"C1\"", "Zo\xc3\xab", "C\x01", "a\rb", " ",
                                            "x\"y", "C1,C2",  "\xff",       "~",     "C\t",  "C"};
  const std::array<const char*, 18> odd_dates{
      "2024-02-30",           "0000-01-01",       "2024-13-01",
      "2024-00-10",           "2024-1-01",        "20240101",
      "2024-01-01T10:00:00Z", "2024-01-01 10:00", " 2024-01-01",
      "2024/01/01",           "2024-01-0a",       "9999-12-31",
      "0001-01-01",           "2000-02-29",       "1900-02-29",
      "2023-02-29",           "2024-01-01\r",     ""};
  const std::array<const char*, 20> odd_amounts{"-5",
                                                "-0",
                                                "0",
                                                "007.50",
                                                ".5",
                                                "5.",
                                                "+5",
                                                "1e3",
                                                "1234567890123456",
                                                "123456789012345",
                                                "12.3456789012345",
                                                "",
                                                "abc",
                                                "nan",
                                                "inf",
                                                "-0.00",
                                                "99999999999999.9",
                                                "\"3\"",
                                                "1.5\r",
                                                "-12.25"};
  compared total;
  for (int log = 0; log < 300; ++log) {
    log_settings s;
    s.skip_bad_rows = chance(0.8);
    s.allow_refunds = chance(0.5);
    s.with_amount = chance(0.85);
    s.delimiter = pick(std::array<const char*, 4>{"", ",", ";", "tab"});
    s.header = pick(std::array<const char*, 4>{"customer_id,date,amount", "date,customer_id,amount",
                                               "x,amount,customer_id,date,y",
                                               "customer_id,date,amount,note"});
    s.block_bytes = pick(std::array<std::size_t, 4>{64, 256, 1000, 0});
    const std::size_t fields =
        static_cast<std::size_t>(std::count(s.header.begin(), s.header.end(), ',')) + 1;
    const auto column = [&](const std::string& name) {
      std::size_t at = 0;
      for (std::size_t i = 0, start = 0; i <= s.header.size(); ++i)
        if (i == s.header.size() || s.header[i] == ',') {
          if (s.header.substr(start, i - start) == name) return at;
          ++at;
          start = i + 1;
        }
      return fields;
    };
    const std::size_t id_at = column("customer_id");
    const std::size_t date_at = column("date");
    const std::size_t amount_at = column("amount");
    const char delim = s.delimiter == "tab" ? '\t' : s.delimiter == ";" ? ';' : ',';
    std::string rows;
    const int count = std::uniform_int_distribution<int>(1, 60)(random);
    for (int r = 0; r < count; ++r) {
      if (chance(0.05)) rows += chance(0.5) ? "\n" : "\r\n";  // an empty line
      for (std::size_t f = 0; f < fields; ++f) {
        if (f > 0) rows += delim;
        const bool odd = chance(0.04);
        if (f == id_at) {
          if (odd) {
            rows += pick(odd_ids);
          } else {
            const int length = std::uniform_int_distribution<int>(1, 10)(random);
            for (int k = 0; k < length; ++k) {
              char c = static_cast<char>(std::uniform_int_distribution<int>(0x20, 0x7E)(random));
              if (c == '"' || c == delim) c = 'q';
              rows += c;
            }
          }
        } else if (f == date_at) {
          if (odd) {
            rows += pick(odd_dates);
          } else {
            char text[16];
            std::snprintf(text, sizeof text, "%04d-%02d-%02d",
                          std::uniform_int_distribution<int>(1, 9999)(random),
                          std::uniform_int_distribution<int>(1, 12)(random),
                          std::uniform_int_distribution<int>(1, 28)(random));
            rows += text;
          }
        } else if (f == amount_at) {
          if (odd) {
            rows += pick(odd_amounts);
          } else {
            const int cents = std::uniform_int_distribution<int>(-500, 100000)(random);
            if (cents < 0) rows += '-';
            rows += std::to_string(std::abs(cents) / 100) + "." +
                    std::to_string(100 + std::abs(cents) % 100).substr(1);
          }
        } else if (chance(0.1)) {
          rows += pick(std::array<const char*, 4>{"\"a\nb\"", "\"q\"", "x\"y", "\r"});
        } else {
          rows += "n";
        }
      }
      if (chance(0.03)) rows += delim;  // an extra empty field
      if (r + 1 < count || chance(0.7)) rows += chance(0.3) ? "\r\n" : "\n";
    }
    INFO("log " << log << ": " << s.header << " delimiter [" << s.delimiter << "] skip "
                << s.skip_bad_rows << " refunds " << s.allow_refunds << " amount " << s.with_amount
                << " blocks " << s.block_bytes);
    const compared seen = parse_both_ways(rows, s);
    total.blocks += seen.blocks;
    total.rows += seen.rows;
    total.fast_rows += seen.fast_rows;
  }
  // Not vacuous: most rows go the fast way, and some do not.
  CHECK(total.blocks > 300);
  CHECK(total.fast_rows * 2 > total.rows);
  CHECK(total.fast_rows < total.rows);
}
