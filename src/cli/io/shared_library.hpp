#pragma once
// Functions of a shared library opened at run time (dlopen), on first use, so
// that start-up does not load it: libpq (io/postgres.cpp), zlib
// (io/byte_source.cpp).

#include <dlfcn.h>

#include <string>
#include <string_view>

#include "cltv/error.hpp"

namespace cltv::cli {

// The library `soname`, opened (and never closed: its functions are used
// until the process ends); when it cannot be, an error in `field` whose
// message is `why_needed` followed by the loader's reason.
inline result<void*> open_shared_library(const char* soname, const char* field,
                                         std::string_view why_needed) {
  void* library = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (library != nullptr) return library;
  const char* reason = dlerror();
  return error{field,
               std::string(why_needed) +
                   (reason != nullptr ? std::string(reason) : soname + std::string(" not found"))};
}

// Looks `name` up in an opened library into the function pointer `f`; false
// when the library lacks it.
template <typename F>
bool look_up(void* library, const char* name, F& f) {
  f = reinterpret_cast<F>(dlsym(library, name));  // NOLINT: dlsym's void* to a function
  return f != nullptr;
}

}  // namespace cltv::cli
