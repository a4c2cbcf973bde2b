# Shared start of the CDNOW shell checks: sourced, not run.
# Arguments: CLTV_BINARY DATA_DIR SCRATCH_DIR; sets cltv, data, scratch and fail().
set -u
cltv=$1
data=$2
scratch=$3
mkdir -p "$scratch" || exit 2
fail() {
  echo "FAIL: $*"
  exit 1
}
