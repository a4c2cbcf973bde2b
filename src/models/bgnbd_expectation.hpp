#pragma once
// BG/NBD's expected purchases of a customer alive now, at many increasing
// times in one pass (bgnbd.cpp's Taylor-stepped hypergeometric series), for
// the library's other users of the stream (DERT). Internal (not installed).

#include <optional>
#include <span>
#include <vector>

namespace cltv::models::detail {

/// E[purchases in the next t | alive now] at each of `times` (increasing,
/// ≥ 0) for a customer whose rate is Gamma(s, beta) and whose dropout chance
/// is Beta(a, bp) — her posterior: s = r+x, beta = α+T, bp = b+x (MBG/NBD:
/// b+x+1). nullopt where a value is not representable.
[[nodiscard]] std::optional<std::vector<double>> bgnbd_expected_if_alive_at_times(
    double s, double beta, double a, double bp, std::span<const double> times);

}  // namespace cltv::models::detail
