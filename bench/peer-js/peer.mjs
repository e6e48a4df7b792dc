// The official JavaScript SDK (npm surrealdb, pinned in package.json) running the workloads of
// bench/bench_peer.cpp against the same kind of server, with the same records and checks.
//
//   node peer.mjs --url ws://host:port [--records N] [--server-pid PID]
//
// One JSON line per workload: {workload, ops, wall (s), cpu (this process, s), server_cpu (s)}.

import fs from 'node:fs';
import { Surreal, RecordId, Table } from 'surrealdb';
import WebSocket from 'ws';

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

function die(message) {
  process.stderr.write(`peer.mjs: ${message}\n`);
  process.exit(1);
}

const url = arg('--url');
if (!url) die('usage: node peer.mjs --url ws://host:port [--records N] [--server-pid PID]');
const records = Number(arg('--records', 20000));
const serverPid = Number(arg('--server-pid', 0));
const clockTicks = 100; // sysconf(_SC_CLK_TCK) on Linux; Node has no sysconf

function processCpu() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function serverCpu() {
  if (!serverPid) return 0;
  try {
    const stat = fs.readFileSync(`/proc/${serverPid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / clockTicks;
  } catch {
    return 0;
  }
}

let current;
function start(workload, ops) {
  current = { workload, ops, server0: serverCpu(), cpu0: processCpu(), t0: process.hrtime.bigint() };
}
function stop() {
  const wall = Number(process.hrtime.bigint() - current.t0) / 1e9;
  const cpu = processCpu() - current.cpu0;
  const server = serverCpu() - current.server0;
  process.stdout.write(JSON.stringify({
    workload: current.workload, ops: current.ops, wall, cpu, server_cpu: server,
  }) + '\n');
}

// The same record bench_peer.cpp builds.
function record(i) {
  return { id: new RecordId('peer_a', i), n: i, name: `user-${i}`, email: `user${i}@example.org`,
    age: 18 + (i % 60), active: i % 3 !== 0, score: i * 0.5 };
}

// A small deterministic generator (bench_peer uses QRandomGenerator(42); the sequences differ,
// the distribution is the same: uniform over the ids).
function rng(seed) {
  let s = seed >>> 0;
  return (n) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

async function runWindow(total, window, make) {
  let next = 0;
  async function lane() {
    while (next < total) {
      const k = next++;
      await make(k);
    }
  }
  await Promise.all(Array.from({ length: Math.min(window, total) }, lane));
}

async function insertBatches(db, table, batch) {
  const batches = Math.ceil(records / batch);
  await runWindow(batches, 1, async (k) => {
    const rows = [];
    for (let i = k * batch; i < Math.min(records, (k + 1) * batch); i++) {
      const r = record(i + 1);
      r.id = new RecordId(table, i + 1);
      rows.push(r);
    }
    const stored = await db.insert(new Table(table), rows);
    if (stored.length !== Math.min(batch, records)) die(`insert stored ${stored.length} records`);
  });
}

async function pointSelects(db, count, window) {
  const pick = rng(42);
  await runWindow(count, window, async () => {
    const row = await db.select(new RecordId('peer_a', pick(records) + 1));
    if (!row || row.n === undefined) die('point select returned no record');
  });
}

// Counts the frames the SDK's socket receives (for the live workload).
class CountingWebSocket extends WebSocket {
  static frames = 0;
  static expect = Infinity;
  static reached = () => {};
  constructor(...args) {
    super(...args);
    this.on('message', () => {
      if (++CountingWebSocket.frames === CountingWebSocket.expect) CountingWebSocket.reached();
    });
  }
}

const db = new Surreal({ websocketImpl: CountingWebSocket }); // Node 20 has no global WebSocket
try {
  await db.connect(url);
  await db.signin({ username: 'root', password: 'root' });
  await db.use({ namespace: 'bench', database: 'peer' });
} catch (e) {
  die(`connect failed: ${e.message}`);
}

start('insert-100', records);
await insertBatches(db, 'peer_a', 100);
stop();

start('insert-1000', records);
await insertBatches(db, 'peer_b', 1000);
stop();

const sequential = Math.max(1, Math.floor(records / 10));
start('select-seq', sequential);
await pointSelects(db, sequential, 1);
stop();

start('select-16', Math.floor(records / 2));
await pointSelects(db, Math.floor(records / 2), 16);
stop();

const fullReads = 5;
start('select-all', fullReads * records);
for (let r = 0; r < fullReads; r++) {
  const rows = await db.select(new Table('peer_a'));
  if (rows.length !== records) die(`select all returned ${rows.length} rows`);
}
stop();

// The JS SDK has no model layer: its plain select is what a JS app loads its objects with.
start('model-load', fullReads * records);
for (let r = 0; r < fullReads; r++) {
  const rows = await db.select(new Table('peer_a'));
  if (rows.length !== records || !rows[records - 1].name) die(`model load returned ${rows.length} rows`);
}
stop();

{
  // The SDK's subscribe() handler misses most notifications of a burst (measured: 7 to 38 of
  // 100 CREATEs in one query reached it, while a raw WebSocket client counted all 100; see
  // bench/README.md). So the workload ends when the socket has received every notification
  // frame, each of which the SDK has decoded and dispatched by then; `delivered` says how many
  // reached the subscriber.
  const notifications = Math.floor(records / 2);
  await db.query('DEFINE TABLE peer_live').collect();
  const live = await db.live(new Table('peer_live'));
  let delivered = 0;
  live.subscribe(() => { ++delivered; });
  let done;
  const all = new Promise((resolve) => { done = resolve; });
  CountingWebSocket.frames = 0;
  CountingWebSocket.expect = notifications + 1; // + the writer query's reply
  CountingWebSocket.reached = done;
  start('live', notifications);
  // The SDK's query() is lazy (it is sent when awaited): start it now, as bench_peer does.
  const writer = (async () => db.query('FOR $i IN 1..=$n { CREATE peer_live CONTENT { n: $i } }',
    { n: notifications }).collect())();
  const timeout = setTimeout(() => die(`live: ${CountingWebSocket.frames} of ${notifications + 1} frames`), 600000);
  await all;
  stop();
  clearTimeout(timeout);
  await writer;
  process.stderr.write(`peer.mjs: live: ${delivered} of ${notifications} notifications reached the subscriber\n`);
  await live.kill();
}

await db.close();
