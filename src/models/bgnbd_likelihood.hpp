#pragma once
// The BG/NBD (and MBG/NBD) log-likelihood of a set of distinct tuples, with its
// gradient, for fits that evaluate it on several groups of customers at their
// own parameters (models/covariates.cpp: one group per distinct covariate
// row). The arithmetic is fit_bgnbd's own. Internal to the library (not
// installed).

#include <memory>
#include <span>

#include "cltv/models/bgnbd.hpp"
#include "cltv/models/rfm_data.hpp"

namespace cltv::models::detail {

class bgnbd_tuple_likelihood {
 public:
  /// `tuples` as compress_rfm() returns them: distinct and sorted by (x, t_x, T).
  bgnbd_tuple_likelihood(std::span<const rfm_tuple> tuples, bgnbd_variant variant);
  ~bgnbd_tuple_likelihood();
  bgnbd_tuple_likelihood(bgnbd_tuple_likelihood&&) noexcept;
  bgnbd_tuple_likelihood& operator=(bgnbd_tuple_likelihood&&) noexcept;
  bgnbd_tuple_likelihood(const bgnbd_tuple_likelihood&) = delete;
  bgnbd_tuple_likelihood& operator=(const bgnbd_tuple_likelihood&) = delete;

  /// The total log-likelihood (count-weighted) at p; when `gradient` has four
  /// elements, also its derivatives in ln r, ln α, ln a, ln b.
  [[nodiscard]] double log_likelihood(const bgnbd_params& p, std::span<double> gradient);

  [[nodiscard]] double customers() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace cltv::models::detail
