#!/bin/sh
# tests/if_present.sh DIR COMMAND…: run COMMAND when DIR exists; otherwise
# say so and exit 77, which ctest reports as Skipped (SKIP_RETURN_CODE).
dir=$1
shift
if [ -d "$dir" ]; then exec "$@"; fi
echo "skipped: $dir not found (the shared reference data live outside the project)"
exit 77
