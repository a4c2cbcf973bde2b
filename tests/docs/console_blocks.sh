#!/bin/sh
# Runs every ```console block of README.md, doc/*.md and doc/*/*.md and
# compares what its commands print with the block's text (ctest
# docs/console-blocks).
# Usage: sh tests/docs/console_blocks.sh CLTV_BINARY SOURCE_DIR SCRATCH_DIR [FILE.md...]
# (the files default to those above, under SOURCE_DIR).
#
# The convention (also in doc/development.md, "Console blocks are tests"):
# - A line starting "$ " is a command; a command line ending in "\" goes on
#   at the next line. The lines up to the next command or the end of the
#   block are what the command prints: its standard output, then its standard
#   error.
# - A line holding only "…" matches any run of lines, none included.
# - Spaces, tabs and CRs at the end of a line, and a missing final newline,
#   are ignored; everything else is compared exactly.
# - The commands of a block run one after another in one POSIX sh (so `$?` is
#   the previous command's exit status and `cd` carries over), with stdin
#   /dev/null, NO_COLOR=1, and `cltv` meaning CLTV_BINARY (first on PATH).
#   Each block starts in its own scratch directory that links every top-level
#   entry of the repository: `examples/…` and `tests/data/…` work, and a file a
#   block writes stays out of the source tree.
# - A block that runs fish or zsh is skipped, and reported, when that shell is
#   not installed (scripts/install-deps installs both).
# - A transcript that cannot run here (it needs sudo, or builds the project)
#   is a ```text block instead, and is not run.
set -u
cltv=$1
root=$2
scratch=$3
shift 3
[ $# -gt 0 ] || set -- "$root/README.md" "$root"/doc/*.md "$root"/doc/*/*.md

rm -rf "$scratch"
mkdir -p "$scratch/bin" "$scratch/blocks" || exit 2
ln -s "$cltv" "$scratch/bin/cltv" || exit 2
PATH="$scratch/bin:$PATH"
NO_COLOR=1
export PATH NO_COLOR

# Split the files into $scratch/blocks/<n>/: `where` (file:line of the
# fence), and per command k: cmd.<k> (its text), line.<k>, exp.<k>.
n=0 files=0
for file in "$@"; do
  [ -f "$file" ] || continue  # a pattern that matched no page
  files=$((files + 1))
  name=${file#"$root"/}
  if ! awk -v name="$name" -v out="$scratch/blocks" -v first="$n" '
    function flush() { if (f != "") close(f); f = "" }
    BEGIN { n = first; fence = "" }
    { sub(/\r$/, "") }
    fence == "" && /^```console[ \t]*$/ { fence = "console"; n++; k = 0; dir = out "/" n
      system("mkdir -p \"" dir "\""); print name ":" NR > (dir "/where"); close(dir "/where")
      start = NR; next }
    fence == "" && /^```/ { fence = "other"; next }
    fence != "" && /^```[ \t]*$/ {
      if (fence == "console" && k == 0) { print name ":" start ": a console block without a \"$ \" command" > "/dev/stderr"; bad = 1 }
      fence = ""; flush(); cont = 0; next }
    fence != "console" { next }
    cont { print > (dir "/cmd." k); cont = /\\$/; if (!cont) close(dir "/cmd." k); next }
    /^\$ / { flush(); k++; print substr($0, 3) > (dir "/cmd." k); cont = /\\$/
      if (!cont) close(dir "/cmd." k)
      print NR > (dir "/line." k); close(dir "/line." k)
      f = dir "/exp." k; printf "" > f; next }
    k == 0 { print name ":" NR ": output before the first \"$ \" command of a console block" > "/dev/stderr"; bad = 1; next }
    { print > f }
    END {
      if (fence != "") { print name ":" start ": a code block that is never closed" > "/dev/stderr"; bad = 1 }
      print n > (out "/count")
      exit bad
    }' "$file"; then
    echo "console blocks: $name is malformed (see above)"
    exit 1
  fi
  n=$(cat "$scratch/blocks/count")
done

# Compare an expected file ($1, with "…" lines) and an actual one ($2), both
# normalised; exit 0 when they match. A line "…" is a wildcard over lines
# (the classic star matching, with backtracking to the last star).
matches() {
  awk 'NR == FNR { e[++n] = $0; next } { a[++m] = $0 }
    END {
      i = 1; j = 1; star = 0; mark = 0
      while (j <= m) {
        if (i <= n && e[i] != "…" && e[i] == a[j]) { i++; j++ }
        else if (i <= n && e[i] == "…") { star = i; mark = j; i++ }
        else if (star) { i = star + 1; mark++; j = mark }
        else exit 1
      }
      while (i <= n && e[i] == "…") i++
      exit i <= n
    }' "$1" "$2"
}
cr=$(printf '\r')
normalise() { sed "s/[ 	$cr]*\$//" "$@"; }

passed=0 failed=0 skipped=0
b=0
while [ "$b" -lt "$n" ]; do
  b=$((b + 1))
  dir=$scratch/blocks/$b
  where=$(cat "$dir/where")
  work=$scratch/work/$b
  mkdir -p "$work"
  for entry in "$root"/*; do
    case ${entry##*/} in
      build | build-*) ;;  # build trees: a block never reaches into one
      *) ln -s "$entry" "$work/" ;;
    esac
  done

  # The block as one script: each command's output to its own files.
  k=0 skip=""
  {
    echo 'cd "$1" || exit 99'
    while [ -f "$dir/cmd.$((k + 1))" ]; do
      k=$((k + 1))
      echo '{'
      cat "$dir/cmd.$k"
      echo "} >\"\$2/out.$k\" 2>\"\$2/err.$k\""
    done
  } >"$dir/run.sh"
  for shell in fish zsh; do
    if grep -Eq "(^|[^[:alnum:]_])$shell([^[:alnum:]_]|\$)" "$dir"/cmd.* &&
      ! command -v "$shell" >/dev/null 2>&1; then
      skip="$shell is not installed"
    fi
  done
  if [ -n "$skip" ]; then
    echo "skipped $where: $skip"
    skipped=$((skipped + 1))
    continue
  fi
  sh "$dir/run.sh" "$work" "$dir" </dev/null >"$dir/run.out" 2>&1

  ok=1 c=0
  while [ "$c" -lt "$k" ]; do
    c=$((c + 1))
    normalise "$dir/exp.$c" >"$dir/expected.$c"
    cat "$dir/out.$c" "$dir/err.$c" 2>/dev/null | normalise >"$dir/actual.$c"
    if ! matches "$dir/expected.$c" "$dir/actual.$c"; then
      ok=0
      echo "FAILED ${where%%:*}:$(cat "$dir/line.$c") (block at line ${where##*:}): \$ $(head -n 1 "$dir/cmd.$c")"
      echo "--- expected (a line \"…\" matches any lines)"
      echo "+++ actual (stdout, then stderr)"
      diff -u "$dir/expected.$c" "$dir/actual.$c" | tail -n +3
      if [ -s "$dir/run.out" ]; then
        echo "(the block's shell said:)"
        cat "$dir/run.out"
      fi
    fi
  done
  if [ "$ok" -eq 1 ]; then
    [ "$k" -eq 1 ] && plural="" || plural=s
    echo "ok $where ($k command$plural)"
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
  fi
done

echo "console blocks: $n in $files files: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$n" -gt 0 ]
