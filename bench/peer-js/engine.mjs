// The engine's own rate for every workload of compare.mjs, with no network and no client: the
// engine surreal-local serves (@surrealdb/node's native SurrealNodeEngine, loaded as
// tools/surreal-local loads it) executes the same RPC requests in-process, in an attached session
// signed in as the root user, as surreal-local runs each WebSocket's requests. compare.mjs starts
// it with mimalloc preloaded, as tools/surreal-local/surreal-local does.
//
//   node engine.mjs [--records N] [--only WORKLOAD] [--gap-ms G]
//
// One JSON line per workload, named as bench_peer's and peer.mjs's:
// {workload, ops, wall (s), cpu (this process, all threads: the engine's CPU, s), js_cpu and
// tokio_cpu (s: the JavaScript thread's and the engine's tokio workers' share, from /proc)}.
//
// Requests are encoded before the clock starts and answers are checked after it stops (the
// client's work is not the engine's); what is timed is `execute()` of each request and the
// promise that carries its answer back, the least any server built on this binding can do.

import crypto from 'node:crypto';
import fs from 'node:fs';
import { inspect } from 'node:util';
import { loadBinding } from '../../tools/surreal-local/lib/engine.mjs';
import { Tagged, encode, decode, toBuffer } from '../../tools/surreal-local/lib/cbor.mjs';

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

function die(message) {
  process.stderr.write(`engine.mjs: ${message}\n`);
  process.exit(1);
}

const records = Number(arg('--records', 20000));
const only = arg('--only', null);
// --gap-ms G: an idle pause after each answer, as a server sees between one client's requests
// (its network round trip). The rate is then meaningless; the CPU per operation is the point:
// the engine's workers park in the pause and every request wakes them again.
const gapMs = Number(arg('--gap-ms', 0));
const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });
const wanted = (w) => only === null || only === w;

const { SurrealNodeEngine } = loadBinding();
const engine = await SurrealNodeEngine.connect('memory', undefined);
const session = new Tagged(37, Buffer.from(crypto.randomUUID().replace(/-/g, ''), 'hex'));

// A request as surreal-local hands it to the engine for a WebSocket client: {method, params, session}.
const request = (method, params) => encode(new Map([['method', method], ['params', params], ['session', session]]));

function failure(out) {
  return out instanceof Map && out.size === 1 && out.get('error') instanceof Map ? out.get('error') : null;
}

async function call(method, params, inSession = true) {
  const bytes = inSession ? request(method, params) : encode(new Map([['method', method], ['params', params]]));
  const out = decode(toBuffer(await engine.execute(bytes)));
  const error = failure(out);
  if (error) die(`${method}: ${inspect(error, { depth: 5 })}`);
  return out;
}

// surreal-local's set-up: a root user, then per connection an attached session signed in as it.
await call('query', ["DEFINE USER root ON ROOT PASSWORD 'root' ROLES OWNER"], false);
await call('attach', []);
await call('signin', [new Map([['user', 'root'], ['pass', 'root']])]);
await call('use', ['bench', 'peer']);

// surreal-local waits on the engine's notification channel all the time; so does this process.
const rx = await engine.notifications();
let onNotification = () => {};
(async () => {
  for (;;) {
    const v = await rx.recv();
    if (v === null || v === undefined) return;
    onNotification(v);
  }
})();

// The same records as bench_peer.cpp's and peer.mjs's: the id is a record id of the table.
function record(table, i) {
  return new Map([['id', new Tagged(8, [table, i])], ['n', i], ['name', `user-${i}`], ['email', `user${i}@example.org`],
    ['age', 18 + (i % 60)], ['active', i % 3 !== 0], ['score', i * 0.5]]);
}

function insertRequests(table, batch) {
  const out = [];
  for (let start = 0; start < records; start += batch) {
    const rows = [];
    for (let i = start; i < Math.min(records, start + batch); i++) rows.push(record(table, i + 1));
    out.push(request('insert', [new Tagged(7, table), rows]));
  }
  return out;
}

// peer.mjs's generator: uniform over the ids, as bench_peer's.
function rng(seed) {
  let s = seed >>> 0;
  return (n) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

// CPU (s) of this process's JavaScript thread and of the engine's tokio workers, from /proc.
function threadCpu() {
  const out = { js: 0, tokio: 0 };
  try {
    for (const tid of fs.readdirSync('/proc/self/task')) {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cpu = (Number(f[11]) + Number(f[12])) / 100;
      if (Number(tid) === process.pid) out.js += cpu;
      else if (/^tokio/.test(fs.readFileSync(`/proc/self/task/${tid}/comm`, 'utf8'))) out.tokio += cpu;
    }
  } catch { /* no /proc: only the total is reported */ }
  return out;
}

let current;
function start(workload, ops) {
  current = { workload, ops, threads0: threadCpu(), cpu0: process.cpuUsage(), t0: process.hrtime.bigint() };
}
function stop() {
  const wall = Number(process.hrtime.bigint() - current.t0) / 1e9;
  const u = process.cpuUsage(current.cpu0);
  const threads = threadCpu();
  const line = { workload: current.workload, ops: current.ops, wall, cpu: (u.user + u.system) / 1e6,
    js_cpu: threads.js - current.threads0.js, tokio_cpu: threads.tokio - current.threads0.tokio };
  current = null;
  return line;
}
const emit = (line, extra = {}) => process.stdout.write(JSON.stringify({ ...line, ...extra }) + '\n');

// Executes requests with at most `window` in flight; answers in request order.
async function execute(requests, window) {
  const answers = new Array(requests.length);
  let next = 0;
  async function lane() {
    while (next < requests.length) {
      const k = next++;
      answers[k] = await engine.execute(requests[k]);
      if (gapMs > 0) await sleep(gapMs);
    }
  }
  await Promise.all(Array.from({ length: Math.min(window, requests.length) }, lane));
  return answers;
}

function checkAll(workload, answers, check) {
  for (const a of answers) {
    const out = decode(toBuffer(a));
    const error = failure(out);
    if (error) die(`${workload}: ${inspect(error, { depth: 5 })}`);
    check(out);
  }
}

// The inserts always run: they fill the tables the reads use, as in bench_peer and peer.mjs.
for (const [workload, table, batch] of [['insert-100', 'peer_a', 100], ['insert-1000', 'peer_b', 1000]]) {
  const requests = insertRequests(table, batch);
  start(workload, records);
  const answers = await execute(requests, 1);
  const line = stop();
  checkAll(workload, answers, (out) => {
    if (!Array.isArray(out) || out.length !== Math.min(batch, records)) die(`${workload}: insert stored ${out.length}`);
  });
  if (wanted(workload)) emit(line);
}

const pointSelects = (count) => {
  const pick = rng(42);
  return Array.from({ length: count }, () => request('select', [new Tagged(8, ['peer_a', pick(records) + 1])]));
};
for (const [workload, count, window] of [['select-seq', Math.max(1, Math.floor(records / 10)), 1],
  ['select-16', Math.floor(records / 2), 16]]) {
  if (!wanted(workload)) continue;
  const requests = pointSelects(count);
  start(workload, count);
  const answers = await execute(requests, window);
  const line = stop();
  checkAll(workload, answers, (out) => {
    if (!(out instanceof Map) || out.get('n') === undefined) die(`${workload}: no record`);
  });
  emit(line);
}

// select-all: the `select` of the table; model-load: what SurrealQt's Query<T>::all() sends.
const fullReads = 5;
for (const [workload, req, rows] of [
  ['select-all', request('select', [new Tagged(7, 'peer_a')]), (out) => out],
  ['model-load', request('query', ['SELECT * FROM peer_a', new Map()]), (out) => out[0]?.get('result')]]) {
  if (!wanted(workload)) continue;
  start(workload, fullReads * records);
  const answers = await execute(Array(fullReads).fill(req), 1);
  const line = stop();
  checkAll(workload, answers, (out) => {
    const r = rows(out);
    if (!Array.isArray(r) || r.length !== records) die(`${workload}: ${r?.length} rows`);
  });
  emit(line);
}

// live: one query's FOR loop of CREATEs, timed until its last notification has come out of the
// engine's notification channel (where surreal-local picks notifications up to route them).
if (wanted('live')) {
  const notifications = Math.floor(records / 2);
  await call('query', ['DEFINE TABLE peer_live']);
  const liveId = await call('live', [new Tagged(7, 'peer_live')]);
  let received = 0;
  let done;
  const all = new Promise((resolve) => { done = resolve; });
  onNotification = () => { if (++received === notifications) done(); };
  const writer = request('query', ['FOR $i IN 1..=$n { CREATE peer_live CONTENT { n: $i } }', new Map([['n', notifications]])]);
  start('live', notifications);
  const answer = engine.execute(writer);
  const timeout = setTimeout(() => die(`live: ${received} of ${notifications} notifications`), 600000);
  await all;
  const line = stop();
  clearTimeout(timeout);
  checkAll('live', [await answer], () => {});
  await call('kill', [liveId]);
  emit(line);
}

// bulk-defaults: BulkOperations' defaults, batches of 100 with 8 in flight, into a table defined
// first (concurrent first writes to a new table conflict while creating it).
if (wanted('bulk-defaults')) {
  await call('query', ['DEFINE TABLE peer_c']);
  const requests = insertRequests('peer_c', 100);
  start('bulk-defaults', records);
  let next = 0;
  let retries = 0;
  async function lane() {
    while (next < requests.length) {
      const req = requests[next++];
      let out = decode(toBuffer(await engine.execute(req)));
      // Write conflicts between concurrent batches are retried, as BulkOperations retries them.
      while (/can be retried/.test(failure(out)?.get('message') ?? '')) {
        ++retries;
        out = decode(toBuffer(await engine.execute(req)));
      }
      if (!Array.isArray(out) || out.length === 0) die(`bulk insert answered ${inspect(out, { depth: 5 })}`);
    }
  }
  await Promise.all(Array.from({ length: 8 }, lane));
  const line = stop();
  const [entry] = await call('query', ['RETURN count(SELECT id FROM peer_c)']);
  if (Number(entry.get('result')) !== records) die(`the engine stored ${entry.get('result')} of ${records} records`);
  emit(line, { retries });
}
process.exit(0);
