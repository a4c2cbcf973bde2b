#include "ndjson_rows.hpp"
