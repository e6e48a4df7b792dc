// live-forms.mjs without the server in between: the embedded engine of @surrealdb/node (the one
// tools/surreal-local serves), called directly. Tells what a live query costs the engine's write
// from what the relay (surreal-local's notification loop and WebSocket) adds:
//   none       no live query
//   drained    LIVE SELECT * FROM t, notifications read as they come (as surreal-local does)
//   undrained  LIVE SELECT * FROM t, nobody reads the notifications during the write
//   id         LIVE SELECT id FROM t, drained
//
//   node live-engine.mjs [--rows 10000] [--changes 1000] [--rounds 5]

import { loadBinding } from '../../tools/surreal-local/lib/engine.mjs';
import { encode, decode, toBuffer } from '../../tools/surreal-local/lib/cbor.mjs';

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const rows = Number(arg('--rows', 10000));
const changes = Number(arg('--changes', 1000));
const rounds = Number(arg('--rounds', 5));
const step = Math.max(1, Math.floor(rows / changes));

const { SurrealNodeEngine } = loadBinding();
const native = await SurrealNodeEngine.connect('memory', undefined);
async function call(method, params) {
  const req = new Map([['method', method], ['params', params]]);
  return decode(toBuffer(await native.execute(encode(req))));
}
await call('use', ['bench', 'engine']);

const rx = await native.notifications();
let seen = 0, draining = true, t0 = 0, last = 0;
const waiters = [];
(async () => {
  for (;;) {
    while (!draining) await new Promise((r) => waiters.push(r));
    const v = await rx.recv();
    if (v === null || v === undefined) return;
    ++seen;
    last = performance.now() - t0;
  }
})();

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const update = 'FOR $i IN 1..=$n { UPDATE type::record($t, $i * $step) SET v = $base + $i RETURN NONE }';

const only = arg('--only', '');
for (const [name, live, drain] of [
  ['none', null, true],
  ['drained', 'LIVE SELECT * FROM', true],
  ['undrained', 'LIVE SELECT * FROM', false],
  ['id (drained)', 'LIVE SELECT id FROM', true],
].filter(([n]) => !only || only.split(',').includes(n))) {
  const t = `le_${name.replace(/\W/g, '')}`;
  await call('query', [`FOR $i IN 1..=$n { CREATE type::record('${t}', $i) SET v = 0, name = 'Customer ' + <string>$i, ` +
    `email = 'customer' + <string>$i + '@example.com', city = ['Berlin', 'Lyon', 'Oslo', 'Porto'][$i % 4] };`, { n: rows }]);
  if (live) await call('query', [`${live} ${t}`]);
  const writes = [], alls = [];
  for (let round = 0; round <= rounds; ++round) {
    seen = 0; last = 0;
    draining = drain;
    t0 = performance.now();
    await call('query', [update, { n: changes, t, step, base: (round + 1) * 1000000 }]);
    const write = performance.now() - t0;
    draining = true;
    for (const w of waiters.splice(0)) w();
    if (live) {
      const deadline = performance.now() + 60000;
      while (seen < changes && performance.now() < deadline) await new Promise((r) => setTimeout(r, 1));
    }
    if (round > 0) { writes.push(write); alls.push(last); }
    await new Promise((r) => setTimeout(r, 100));
  }
  console.log(`${name.padEnd(14)} write ${median(writes).toFixed(1).padStart(7)} ms` +
    (live ? `   all notes ${median(alls).toFixed(1).padStart(7)} ms (${seen} in the last round)` : ''));
}
await native.free();
process.exit(0);
