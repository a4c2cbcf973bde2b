// Parses SQL files with node-sql-parser in a given mode, for the dialects no
// engine here can run (tests/sql/dialect_parse_test.py writes the list).
// Usage: node parse_queries.cjs NODE_MODULES LIST.json
//   LIST.json: [{"label": …, "mode": "bigquery", "file": …}, …]
// Prints one line per query ("ok LABEL" or "FAIL LABEL: message") and exits
// 1 when any fails.
const path = require('path');
const fs = require('fs');
const { Parser } = require(path.join(process.argv[2], 'node-sql-parser'));

const parser = new Parser();
let failed = 0;
for (const item of JSON.parse(fs.readFileSync(process.argv[3], 'utf8'))) {
  const sql = fs.readFileSync(item.file, 'utf8');
  try {
    parser.astify(sql, { database: item.mode });
    console.log(`ok ${item.label}`);
  } catch (e) {
    failed += 1;
    const message = String(e.message).replace(/\s+/g, ' ').slice(0, 400);
    const where = e.location ? ` (line ${e.location.start.line}, column ${e.location.start.column})` : '';
    console.log(`FAIL ${item.label}${where}: ${message}`);
  }
}
process.exit(failed ? 1 : 0);
