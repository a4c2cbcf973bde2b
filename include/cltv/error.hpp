#pragma once
// The one error type of the library, and the result<T> that carries it.
//
// Anticipated failures (bad input, undefined or unrepresentable results) are
// values, not exceptions: every fallible function returns result<T>.

#include <string>
#include <utility>
#include <variant>

namespace cltv {

/// What went wrong, in one line a user can act on.
///
/// `field` names the input the error is about ("churn"), or is empty when the
/// error is about no single field. `message` is the whole sentence, already
/// naming the field and the offending value: "churn must be in [0, 1], got 1.5".
/// The CLI adds the "cltv: " prefix and, for files, the line number.
struct error {
  std::string field;
  std::string message;
};

/// Either a value or an error (C++20 has no std::expected).
///
/// Example:
///   cltv::result<double> r = cltv::parse_rate("churn", "4%");
///   if (!r) return r.error();
///   double churn = *r;
template <class T>
class [[nodiscard]] result {
 public:
  result(T value)
      : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  result(::cltv::error err)
      : state_(std::in_place_index<1>, std::move(err)) {}  // NOLINT: implicit by design

  [[nodiscard]] bool has_value() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  [[nodiscard]] T& value() & { return std::get<0>(state_); }
  [[nodiscard]] const T& value() const& { return std::get<0>(state_); }
  [[nodiscard]] T&& value() && { return std::get<0>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  [[nodiscard]] const ::cltv::error& error() const& { return std::get<1>(state_); }
  [[nodiscard]] ::cltv::error&& error() && { return std::get<1>(std::move(state_)); }

 private:
  std::variant<T, ::cltv::error> state_;
};

}  // namespace cltv
