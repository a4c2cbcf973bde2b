# What the bench scripts share; sourced (not run) after they set CLTV and PIN_CPU.
#
# bench_start NAME PYTHON_MODULES: defines die() (messages start "NAME: "),
# checks that /usr/bin/python3 imports PYTHON_MODULES ("numpy" or
# "numpy, scipy"), that $CLTV runs and that hyperfine is there; makes $tmp
# (removed on exit); sets pin (the taskset prefix, empty when not pinned) and
# pin_note for the results, and load_at_start (the 1-, 5- and 15-minute load).

bench_start() {
  bench_name=$1
  die() { echo "$bench_name: $*" >&2; exit 2; }
  local modules=$2 package=python3-numpy
  [[ $modules == *scipy* ]] && package=python3-scipy
  /usr/bin/python3 -c "import $modules" 2>/dev/null ||
    die "/usr/bin/python3 cannot import $modules (apt-get install -y $package)"
  [[ -x $CLTV ]] || die "no cltv binary at $CLTV (see bench/README.md, or set CLTV)"
  command -v hyperfine >/dev/null || die "hyperfine not found (apt-get install -y hyperfine)"
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/cltv-${bench_name%.sh}.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  pin=()
  pin_note="NOT pinned"
  if [[ -n $PIN_CPU ]] && command -v taskset >/dev/null && taskset -c "$PIN_CPU" /bin/true 2>/dev/null; then
    pin=(taskset -c "$PIN_CPU")
    pin_note="pinned to core $PIN_CPU (taskset)"
  fi
  load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
}

# farm_medians REPORT: "A B R" from a farm-bench report: the median wall
# seconds of A and of B and the median paired ratio A/B.
farm_medians() {
  awk '/^A wall s/ {a = $5} /^B wall s/ {b = $5} /^A\/B wall/ {r = $4}
       END {printf "%s %s %s\n", a, b, r}' "$1"
}

# threads_pair NAME ARGS...: `$CLTV ARGS --threads 2` on both cores (A)
# against `--threads 1` pinned to core $PIN_CPU (B), $RUNS farm-bench pairs;
# dies unless both write the same, non-empty output. Sets pair_two and
# pair_one (median wall seconds) and pair_speedup (B/A, from the paired
# ratios). Needs $tmp and die().
threads_pair() {
  local name=$1 file a b r
  shift
  local args="$*"
  file=${name//[^a-z]/_}
  farm-bench -n "$RUNS" --timeout 900 \
    --vs "sh -c 'exec taskset -c $PIN_CPU $CLTV $args --threads 1 > $tmp/$file-1.out 2>/dev/null'" \
    -- sh -c "exec $CLTV $args --threads 2 > $tmp/$file-2.out 2>/dev/null" > "$tmp/$file.report" 2>&1 ||
    { cat "$tmp/$file.report"; die "farm-bench failed on $name"; }
  cmp -s "$tmp/$file-1.out" "$tmp/$file-2.out" || die "$name: --threads 2 and 1 differ"
  [[ -s $tmp/$file-1.out ]] || die "$name: no output"
  read -r a b r < <(farm_medians "$tmp/$file.report")
  pair_two=$a pair_one=$b
  pair_speedup=$(awk -v r="$r" 'BEGIN {printf "%.2f", 1 / r}')
}
