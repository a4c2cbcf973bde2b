// Checks cltv's Vega-Lite specs with Vega-Lite itself (npm vega-lite@5):
// each validates against the JSON schema the package ships, compiles without
// a warning, and renders in Vega (headless, to SVG) with marks drawn.
//
// Usage: node vega_lite_test.cjs NODE_MODULES SPEC...   (Node 18 or later)
'use strict';
const fs = require('fs');
const path = require('path');

const [modules, ...specs] = process.argv.slice(2);
const need = (name) => require(path.join(modules, name));
const vl = need('vega-lite');
const vega = need('vega');
const Ajv = need('ajv');

const schema = JSON.parse(
  fs.readFileSync(path.join(modules, 'vega-lite', 'build', 'vega-lite-schema.json'), 'utf8'));
const validate = new Ajv({strict: false, allowUnionTypes: true, validateFormats: false, logger: false}).compile(schema);

async function check(file) {
  const problems = [];
  const spec = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (spec.$schema !== 'https://vega.github.io/schema/vega-lite/v5.json')
    problems.push(`$schema is ${spec.$schema}`);
  if (!validate(spec))
    problems.push('schema: ' + validate.errors.slice(0, 3).map((e) => `${e.instancePath} ${e.message}`).join('; '));
  const messages = [];
  const logger = {
    level() { return this; },
    warn(...m) { messages.push('warning: ' + m.join(' ')); return this; },
    info() { return this; },
    debug() { return this; },
    error(...m) { messages.push('error: ' + m.join(' ')); return this; },
  };
  let compiled;
  try {
    compiled = vl.compile(spec, {logger});
  } catch (e) {
    problems.push('compile: ' + e.message);
  }
  problems.push(...messages);
  if (compiled) {
    const view = new vega.View(vega.parse(compiled.spec), {renderer: 'none'});
    const svg = await view.toSVG();
    const marks = (svg.match(/<path|<line|<circle|<rect/g) || []).length;
    if (!svg.startsWith('<svg') || marks < 5) problems.push(`rendered ${marks} marks`);
    view.finalize();
  }
  return problems;
}

(async () => {
  let failed = 0;
  for (const file of specs) {
    const problems = await check(file);
    for (const p of problems) console.log(`${file}: ${p}`);
    failed += problems.length;
  }
  console.log(`${specs.length} Vega-Lite specs checked, ${failed} problems`);
  process.exit(specs.length === 0 || failed > 0 ? 1 : 0);
})().catch((e) => {
  console.log(e.stack);
  process.exit(1);
});
