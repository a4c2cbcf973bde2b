#pragma once
// The CDNOW summary of ../shared (ID,frequency,recency,T in weeks, one row per
// customer), for the model tests that check published estimates. Empty when
// ../shared is absent: those tests then warn and skip.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cltv/models/rfm_data.hpp"

namespace cltv_test {

/// $CLTV_SHARED_DIR, else the checkout's sibling ../shared.
inline std::filesystem::path shared_dir() {
  if (const char* env = std::getenv("CLTV_SHARED_DIR"); env != nullptr && *env != '\0') return env;
  // tests/unit/models/ → the checkout's sibling ../shared
  return std::filesystem::path(__FILE__).parent_path() / "../../../../shared";
}

inline std::filesystem::path cdnow_summary_path() {
  return shared_dir() / "data/cdnow_customers_summary.csv";
}

inline std::vector<cltv::models::rfm_tuple> read_cdnow_summary() {
  std::ifstream in(cdnow_summary_path());
  std::vector<cltv::models::rfm_tuple> rows;
  if (!in) return rows;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::stringstream fields(line);
    std::string id, x, t_x, T;
    std::getline(fields, id, ',');
    std::getline(fields, x, ',');
    std::getline(fields, t_x, ',');
    std::getline(fields, T, ',');
    rows.push_back({std::stod(x), std::stod(t_x), std::stod(T), 1});
  }
  return rows;
}

}  // namespace cltv_test
