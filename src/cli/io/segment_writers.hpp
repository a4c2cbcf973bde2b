#pragma once
// Output of a scenario with segments, for each format: one record (JSON),
// one row per segment plus a blended row (CSV), segments side by side (table).

#include <string>

#include "io/writers.hpp"

namespace cltv::cli {

/// {"id":…,"segments":[…],"blended":{…},"what_if":{…}} (no newline).
void append_segmented_json(std::string& out, const outcome& o);

/// One CSV row per segment, then "blended" (per month), then the what-if's
/// blend when there is one.
void append_segmented_csv(std::string& out, const outcome& o, const writer_options& options);

/// The table for people (check: the blended verdict, then one per tier).
void append_segmented_table(std::string& out, const outcome& o, const writer_options& options);

}  // namespace cltv::cli
