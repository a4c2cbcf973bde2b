// Input bytes → read_covariates (the covariates CSV of fit, predict and clv),
// joined on a fixed summary of three customers (ids 1, 2 and x). The first
// byte picks the options: bit 0 names the id column ("Id"), bit 1 asks for a
// third covariate "c" besides "a" and "b". Invariants:
// - an error has a one-line message;
// - values read are finite, one row of them per customer of the summary;
// - reading is deterministic: a second read gives the same values.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "check.hpp"
#include "io/covariate_input.hpp"
#include "memory_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  cltv::cli::summary_data customers;
  customers.name = "summary.csv";
  customers.id_name = "customer_id";
  for (const char* id : {"1", "2", "x"}) customers.append(id, {0, 0, 10, 1});
  cltv::cli::covariate_options options;
  options.path = cltv::fuzz::input_path();
  if ((data[0] & 1) != 0) options.id_col = "Id";
  std::vector<std::string> columns{"a", "b"};
  if ((data[0] & 2) != 0) columns.emplace_back("c");
  cltv::fuzz::write_input(std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1));

  auto read = cltv::cli::read_covariates(options, columns, customers);
  if (!read) {
    CLTV_FUZZ_CHECK(cltv::fuzz::is_one_line_message(read.error().message));
    return 0;
  }
  CLTV_FUZZ_CHECK(read->values.size() == customers.size() * columns.size());
  for (const double v : read->values) CLTV_FUZZ_CHECK(std::isfinite(v));
  for (const std::string& note : read->notes)
    CLTV_FUZZ_CHECK(cltv::fuzz::is_one_line_message(note));
  auto again = cltv::cli::read_covariates(options, columns, customers);
  CLTV_FUZZ_CHECK(again.has_value() && again->values == read->values);
  return 0;
}
