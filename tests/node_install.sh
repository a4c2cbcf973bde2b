#!/bin/sh
# ctest fixture: installs the test tools of tests/package.json (exact versions,
# from its lock file) into DIR with `npm ci`. Skipped (77) without npm, except
# under CI=true, where scripts/install-deps has made sure it is there.
# Usage: node_install.sh TESTS_SOURCE_DIR DIR
set -eu
src=$1
dir=$2
if ! command -v npm >/dev/null 2>&1; then
  echo "npm is not installed (apt-get install -y nodejs npm)"
  [ "${CI:-}" = true ] && exit 1
  exit 77
fi
mkdir -p "$dir"
cp "$src/package.json" "$src/package-lock.json" "$dir/"
cd "$dir"
npm ci --no-audit --no-fund --loglevel=error
echo "installed $(ls node_modules | wc -l) packages in $dir/node_modules"
