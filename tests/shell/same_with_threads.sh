# Sourced by the tests that compare cltv's runs with --threads 1 and more
# (log_threads_test.sh, batch_threads_test.sh), after they set `cltv` (the
# binary) and `dir` (a scratch directory).
#
# same NAME THREADS STDIN COMMAND ARGS...: runs cltv COMMAND ARGS... under
# --threads 1 and each of THREADS (given right after COMMAND, so that ARGS
# ending in a flag without its value stay so), reading STDIN, and fails unless
# stdout, stderr and the exit code are the same. The --threads 1 run's are
# left in $dir/out-1, $dir/err-1 and $dir/rc-1.
same() {
  local name=$1 threads=$2 stdin=$3
  shift 3
  local t rc
  for t in 1 $threads; do
    rc=0
    "$cltv" "$1" --threads "$t" "${@:2}" <"$stdin" >"$dir/out-$t" 2>"$dir/err-$t" || rc=$?
    echo "$rc" >"$dir/rc-$t"
  done
  for t in $threads; do
    if ! cmp -s "$dir/out-1" "$dir/out-$t" || ! cmp -s "$dir/err-1" "$dir/err-$t" ||
      ! cmp -s "$dir/rc-1" "$dir/rc-$t"; then
      echo "FAIL: $name: --threads $t differs from --threads 1" >&2
      diff <(head -c 2000 "$dir/out-1") <(head -c 2000 "$dir/out-$t") >&2 || true
      diff "$dir/err-1" "$dir/err-$t" >&2 || true
      diff "$dir/rc-1" "$dir/rc-$t" >&2 || true
      exit 1
    fi
  done
}
