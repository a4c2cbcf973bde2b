#pragma once
// Large fits start near their optimum: the model is first fitted to a sketch
// of the data, and its optimum and Hessian there start BFGS on all of it
// (minimize_from_sketch in optimize.hpp). L-BFGS needs 16-19 evaluations of
// the whole likelihood from a crude start and about as many from a close one
// (it begins with a scaled identity for the Hessian); from the sketch, BFGS
// needs 3 or 4 (bench/RESULTS.md). Internal to the library (not installed).

#include <optional>
#include <span>
#include <vector>

#include "cltv/models/rfm_data.hpp"

namespace cltv::models::detail {

/// Below this many distinct tuples a fit costs little, and has no sketch.
inline constexpr std::size_t sketched_from_tuples = 20000;

/// The sketch of `tuples` (compress_rfm's output): an
/// evenly spaced sample of about 10,000 customers (every k-th in the tuples'
/// order, so spread over the frequencies) with their times rounded to 128
/// steps of the longest age, compressed. Coarser steps were measured slower
/// for Pareto/NBD: wider gaps need more quadrature nodes. nullopt below
/// sketched_from_tuples, or when no age is positive.
[[nodiscard]] std::optional<std::vector<rfm_tuple>> sketch_of(std::span<const rfm_tuple> tuples);

}  // namespace cltv::models::detail
