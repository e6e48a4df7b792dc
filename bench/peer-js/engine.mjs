// The engine's own rate for the bulk-insert workload, with no network and no client: the
// surreal-local engine (@surrealdb/node, loaded as surreal-local loads it) executes the same
// `insert` RPC requests in-process, batches of 100 with 8 in flight (BulkOptions' defaults).
// compare.mjs starts it with mimalloc preloaded, as tools/surreal-local/surreal-local does.
//
//   node engine.mjs [--records N]
//
// One JSON line: {workload: "engine-insert", ops, wall (s), cpu (s)}.

import { inspect } from 'node:util';
import { loadBinding } from '../../tools/surreal-local/lib/engine.mjs';
import { Tagged, encode, decode, toBuffer } from '../../tools/surreal-local/lib/cbor.mjs';

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const records = Number(arg('--records', 20000));
const batch = 100;
const inFlight = 8;

const { SurrealNodeEngine } = loadBinding();
const engine = await SurrealNodeEngine.connect('memory', undefined);

async function call(method, params) {
  const out = decode(toBuffer(await engine.execute(encode(new Map([['method', method], ['params', params]])))));
  if (out instanceof Map && out.has('error')) throw new Error(`${method}: ${JSON.stringify([...out.get('error')])}`);
  return out;
}

await call('use', ['bench', 'peer']);
// Concurrent first writes to a table that does not exist yet conflict while creating it.
await call('query', ['DEFINE TABLE peer_c']);

// The same records as bench_peer.cpp's, with integer ids.
function record(i) {
  return new Map([['id', i], ['n', i], ['name', `user-${i}`], ['email', `user${i}@example.org`],
    ['age', 18 + (i % 60)], ['active', i % 3 !== 0], ['score', i * 0.5]]);
}
// Encoded before the clock starts: the client's work is not the engine's.
const requests = [];
for (let start = 0; start < records; start += batch) {
  const rows = [];
  for (let i = start; i < Math.min(records, start + batch); i++) rows.push(record(i + 1));
  requests.push(encode(new Map([['method', 'insert'], ['params', [new Tagged(7, 'peer_c'), rows]]])));
}

const cpu0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
let next = 0;
let retries = 0;
async function lane() {
  while (next < requests.length) {
    const request = requests[next++];
    let out = decode(toBuffer(await engine.execute(request)));
    // Write conflicts between concurrent batches are retried, as BulkOperations retries them.
    while (out instanceof Map && /can be retried/.test(out.get('error')?.get('message') ?? '')) {
      ++retries;
      out = decode(toBuffer(await engine.execute(request)));
    }
    if (!Array.isArray(out) || out.length === 0) throw new Error(`insert answered ${inspect(out, { depth: 5 })}`);
  }
}
await Promise.all(Array.from({ length: inFlight }, lane));
const wall = Number(process.hrtime.bigint() - t0) / 1e9;
const u = process.cpuUsage(cpu0);
const [entry] = await call('query', ['RETURN count(SELECT id FROM peer_c)']);
const count = entry.get('result');
if (Number(count) !== records) throw new Error(`the engine stored ${count} of ${records} records`);
process.stdout.write(JSON.stringify({ workload: 'engine-insert', ops: records, wall, cpu: (u.user + u.system) / 1e6, retries }) + '\n');
process.exit(0);
