// Read an Arrow IPC file with the apache-arrow npm package (an independent
// implementation) and print its row count, batches and schema as JSON.
// ARROW_JS_MODULES is the node_modules directory holding apache-arrow.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(process.env.ARROW_JS_MODULES + '/');
const { tableFromIPC } = require('apache-arrow');
const t = tableFromIPC(readFileSync(process.argv[2]));
const ids = t.getChild('person_id').toArray();
console.log(JSON.stringify({
  rows: t.numRows,
  batches: t.batches.length,
  fields: t.schema.fields.map((f) => f.name + ':' + String(f.type)),
  first_id: ids.length ? ids[0] : null,
}));
