// Runs SQL files in DuckDB (the npm package, with its own binary) and prints
// the last statement's result as CSV with a header, as `psql --csv` would.
// Usage: node duckdb_run.cjs NODE_MODULES_DIR DATABASE FILE.sql...
// A failing statement prints its message on stderr and exits 1.
'use strict';
const fs = require('fs');
const path = require('path');
const [modules, database, ...files] = process.argv.slice(2);
const { DuckDBInstance } = require(path.join(modules, '@duckdb/node-api'));

function csvField(v) {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'object' ? String(v) : String(v);
  return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

(async () => {
  const instance = await DuckDBInstance.create(database);
  const connection = await instance.connect();
  let last = null;
  try {
    for (const file of files) {
      const statements = await connection.extractStatements(fs.readFileSync(file, 'utf8'));
      for (let i = 0; i < statements.count; i++) {
        const prepared = await statements.prepare(i);
        last = await prepared.runAndReadAll();
      }
    }
  } catch (e) {
    process.stderr.write(String(e.message) + '\n');
    process.exit(1);
  }
  if (last && last.columnCount > 0) {
    const names = last.columnNames();
    const lines = [names.map(csvField).join(',')];
    for (const row of last.getRowsJS()) lines.push(row.map(csvField).join(','));
    process.stdout.write(lines.join('\n') + '\n');
  }
  connection.closeSync();
})();
