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

// The what-if of a plan without segments (calculation::what_if), in the
// style of the segments' what-if: the annual plan it assumes, the LTV before
// and after.

/// ,"what_if":{"annual_share":…,"assumes":[{…}],…}: the keys to add to the
/// plain record (without its closing brace).
void append_plan_what_if_json(std::string& out, const calculation& c);

/// The row "blended if 40% annual" after the plan's own row.
void append_plan_what_if_csv(std::string& out, const outcome& o, const writer_options& options);

/// The what-if after the plan's table, row or verdict (check: which verdict
/// the exit code follows).
void append_plan_what_if_table(std::string& out, const outcome& o, const writer_options& options);

}  // namespace cltv::cli
