#pragma once

// Suggestions for mistyped names: fields, commands, options.

#include <span>
#include <string_view>

namespace cltv {

/// The candidate a mistyped `word` most likely meant: one within an edit
/// (two for words of more than six characters; a swap of neighbours is one:
/// "chrun" → "churn"), or one of more than two characters found inside the
/// word ("churn_rate" → "churn"); the closest wins, the earlier on a tie.
/// Empty when none is that close, or when the word is empty.
///
/// Example: closest_name("calk", {"calc", "check"}) == "calc"
[[nodiscard]] std::string_view closest_name(std::string_view word,
                                            std::span<const std::string_view> candidates);

}  // namespace cltv
