#!/usr/bin/env bash
# What memory costs a process the first time it touches it, next to memory it
# touches again: the floor under a data path's peak memory (`cltv summarize`
# holds 278 MB on bench/summarize.sh's log). A small C++ program (compiled
# here) takes CHUNKS blocks of 32 MiB, each 2 MiB-aligned and advised
# MADV_HUGEPAGE as cltv's tables are (src/detail/huge_pages.hpp), writes every
# byte of each, frees none, and times each block; then writes them all once
# more. It prints the median ms of a first touch and of a second one, with the
# process's system time (where a VM's host faults show up).
#
# On a VM whose host backs guest memory only when touched (and takes freed
# memory back), a first touch costs the host's fault too; a block the guest
# kernel recycles from a process that just exited does not.
#
# Usage: bench/fresh_memory.sh      (from any directory)
# Env:   CHUNKS      32 MiB blocks (default 16: 512 MiB)
#        PIN_CPU     the core to pin to (default 1)
#        RESULTS_MD  if set, append a section with the results to this file
#        RESULTS_LABEL  its label (default "run")
# Needs: a C++ compiler (c++), taskset.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
CHUNKS=${CHUNKS:-16}
PIN_CPU=${PIN_CPU:-1}
RESULTS_LABEL=${RESULTS_LABEL:-run}

die() { echo "fresh_memory.sh: $*" >&2; exit 2; }
command -v c++ >/dev/null || die "no C++ compiler (c++)"
taskset -c "$PIN_CPU" /bin/true 2>/dev/null || die "cannot pin to core $PIN_CPU"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cltv-fresh.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

cat > "$tmp/touch.cpp" <<'EOF'
#include <sys/mman.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {
double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}
double system_seconds() {
  rusage r{};
  getrusage(RUSAGE_SELF, &r);
  return static_cast<double>(r.ru_stime.tv_sec) + static_cast<double>(r.ru_stime.tv_usec) / 1e6;
}
}  // namespace

int main(int argc, char** argv) {
  const std::size_t chunk = std::size_t{32} << 20;
  const int chunks = argc > 1 ? std::atoi(argv[1]) : 16;
  std::vector<char*> blocks;
  std::vector<double> first, again;
  const auto touch = [&](char* p, unsigned char value) {
    const auto t0 = std::chrono::steady_clock::now();
    std::memset(p, value, chunk);
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  };
  const double sys0 = system_seconds();
  for (int i = 0; i < chunks; ++i) {
    auto* p = static_cast<char*>(std::aligned_alloc(std::size_t{2} << 20, chunk));
    if (p == nullptr) return 1;
    ::madvise(p, chunk, MADV_HUGEPAGE);
    first.push_back(touch(p, 1));
    blocks.push_back(p);
  }
  const double sys1 = system_seconds();
  for (char* p : blocks) again.push_back(touch(p, 2));
  const double sys2 = system_seconds();
  std::printf("%.2f %.2f %.3f %.3f\n", median(first), median(again), sys1 - sys0, sys2 - sys1);
  for (char* p : blocks) std::free(p);
}
EOF
c++ -O2 -std=c++17 -o "$tmp/touch" "$tmp/touch.cpp" || die "cannot compile the probe"

load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
read -r first again sys_first sys_again < <(taskset -c "$PIN_CPU" "$tmp/touch" "$CHUNKS")
mb=$((CHUNKS * 32))
{
  echo "### fresh_memory.sh: $RESULTS_LABEL"
  echo
  echo "- date: $(date -u '+%a %b %e %H:%M:%S UTC %Y')"
  echo "- machine: $(lscpu | sed -n 's/^Model name: *//p' | head -n1), $(nproc) cores, kernel $(uname -r); pinned to core $PIN_CPU; load average at start $load_at_start"
  echo "- $CHUNKS blocks of 32 MiB ($mb MiB), 2 MiB-aligned, MADV_HUGEPAGE, every byte written"
  echo
  echo "| touch | median ms per 32 MiB | MB/s | system time, all blocks |"
  echo "|---|---:|---:|---:|"
  printf '| first | %s | %.0f | %s s |\n' "$first" "$(awk -v t="$first" 'BEGIN {print 33.554432 / t * 1000}')" "$sys_first"
  printf '| again | %s | %.0f | %s s |\n' "$again" "$(awk -v t="$again" 'BEGIN {print 33.554432 / t * 1000}')" "$sys_again"
  echo
  printf 'summary: a first touch costs %.1fx a second one; 278 MB touched first would take %.0f ms\n' \
    "$(awk -v a="$first" -v b="$again" 'BEGIN {print a / b}')" \
    "$(awk -v t="$first" 'BEGIN {print 278 / 33.554432 * t}')"
  echo
} | tee "$tmp/section.md"
if [[ -n ${RESULTS_MD:-} ]]; then cat "$tmp/section.md" >> "$RESULTS_MD"; fi
