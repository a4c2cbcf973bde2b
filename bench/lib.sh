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
