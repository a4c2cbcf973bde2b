#pragma once
// What the model tests share: the value of a result that must succeed, and
// BTYD's rounded CDNOW BG/NBD parameters.

#include <catch2/catch.hpp>

#include "cltv/error.hpp"
#include "cltv/models/bgnbd.hpp"

namespace cltv_test {

/// The value of `r`, failing the test with its message when it is an error.
template <typename T>
T value_of(const cltv::result<T>& r) {
  if (!r) FAIL(r.error().message);
  return *r;
}

/// BTYD's CDNOW BG/NBD estimates (weeks) as its vignette rounds them; BTYD's
/// published P(X(t) = n), which lifetimes' tests use, are at exactly these.
inline constexpr cltv::models::bgnbd_params btyd_rounded{0.243, 4.414, 0.793, 2.426};

}  // namespace cltv_test
