#pragma once
// Flags over records in another period: a run's flags are per the run's
// period, but with_overrides applies them to each record in the record's own
// period, so a flag's per-period value changes meaning there.

#include <string_view>

#include "cltv/scenario.hpp"
#include "cltv/scenario_fields.hpp"

namespace cltv {

/// Whether the field's value is per period, so that the same number means
/// another thing per month than per year: a rate or an amount per period
/// (arpu, churn, cost_to_serve, discount_rate, expansion …), purchases per
/// period, a count of periods (lifetime, horizon), the customers of one
/// period and the sBG curve over periods. Not: cac, aov (per order),
/// gross_margin, target and confidence, which hold in any period; nor
/// period itself.
///
/// Example: cltv::is_per_period(*cltv::find_scenario_field("horizon")) == true
[[nodiscard]] bool is_per_period(const scenario_field& field) noexcept;

/// Whether `overrides` (the flags of a run) give a value per period
/// (is_per_period) that with_overrides would apply to `record` in another
/// period than the run's: `overrides` set no period, so the run is per month,
/// while `record` is per year; the flag's value is then read per year. (With
/// a period in `overrides`, the record takes it and the flags keep their
/// meaning.)
///
/// Example: with record.period = year and overrides.churn = 0.04 (no
/// overrides.period), overrides_change_period(record, overrides) == true.
[[nodiscard]] bool overrides_change_period(const scenario_input& record,
                                           const scenario_input& overrides) noexcept;

}  // namespace cltv
