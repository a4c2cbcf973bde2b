#!/bin/sh
# Runs vega_lite_test.cjs on the given specs with the packages the node/install
# fixture put in NODE_DIR; Skipped (77) without them, except under CI=true.
# Usage: vega_lite_test.sh NODE_DIR SPEC...
set -eu
modules=$1/node_modules
shift
if ! command -v node >/dev/null 2>&1 || [ ! -d "$modules/vega-lite" ]; then
  echo "node or the test packages are missing (see tests/node_install.sh)"
  [ "${CI:-}" = true ] && exit 1
  exit 77
fi
exec node "$(dirname "$0")/vega_lite_test.cjs" "$modules" "$@"
