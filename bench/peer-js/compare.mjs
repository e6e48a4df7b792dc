// Runs bench_peer (SurrealQt) and peer.mjs (the official JS SDK) alternately, each against a
// fresh surreal-local, and engine.mjs (the same requests executed in-process by surreal-local's
// engine), and prints per workload the ratios to the SDK and to the engine, whether the workload
// is bound by the server or by the client, and the target that applies (medians over the
// rounds). See bench/README.md, "bench_peer".
//
//   node bench/peer-js/compare.mjs [--rounds 3] [--records 20000] [--bench-peer build/bench/bench_peer]

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const rounds = Number(arg('--rounds', 3));
const records = Number(arg('--records', 20000));
const benchPeer = path.resolve(arg('--bench-peer', path.join(root, 'build/bench/bench_peer')));
if (!fs.existsSync(benchPeer)) {
  console.error(`compare.mjs: ${benchPeer} not found (build the bench_peer target, or pass --bench-peer)`);
  process.exit(1);
}

// The allocator `surreal start` uses, found as tools/surreal-local/surreal-local finds it.
function mimalloc() {
  for (const dir of ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/usr/local/lib'])
    for (const name of ['libmimalloc.so.2', 'libmimalloc.so'])
      if (fs.existsSync(path.join(dir, name))) return path.join(dir, name);
  return null;
}

function run(command, args, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`${path.basename(command)} ${args.join(' ')} exited ${code}: ${err.trim()}`));
      else resolve({ lines: out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)), err });
    });
  });
}

function startServer() {
  return new Promise((resolve, reject) => {
    // The launcher execs node, so its pid is the server's (whose CPU the clients read).
    const child = spawn('bash', [path.join(root, 'tools/surreal-local/surreal-local'), '--bind', '127.0.0.1:0',
      '--storage', 'memory', '--user', 'root', '--pass', 'root', '--log-level', 'error'],
    { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve({ child, address: m[1] });
    });
    child.on('exit', (code) => reject(new Error(`surreal-local exited ${code}`)));
  });
}

async function withServer(fn) {
  const server = await startServer();
  try {
    return await fn(server);
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((r) => server.child.once('exit', r));
  }
}

const clients = {
  surrealqt: (s) => run(benchPeer, ['--url', `ws://${s.address}`, '--records', String(records),
    '--server-pid', String(s.child.pid)]),
  js: (s) => run(process.execPath, [path.join(here, 'peer.mjs'), '--url', `ws://${s.address}`,
    '--records', String(records), '--server-pid', String(s.child.pid)]),
};

const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};

const results = []; // per round: {surrealqt: Map(workload -> row), js: ..., engine: ...}
const preload = mimalloc();
for (let r = 0; r < rounds; r++) {
  const order = r % 2 === 0 ? ['surrealqt', 'js'] : ['js', 'surrealqt'];
  const round = {};
  for (const name of order) {
    const { lines, err } = await withServer((s) => clients[name](s));
    round[name] = new Map(lines.map((l) => [l.workload, l]));
    const note = err.split('\n').find((l) => /reached the subscriber/.test(l));
    if (note) round.jsLiveNote = note.replace(/^peer\.mjs: /, '');
  }
  const engine = await run(process.execPath, [path.join(here, 'engine.mjs'), '--records', String(records)],
    preload ? { LD_PRELOAD: preload } : {});
  round.engine = new Map(engine.lines.map((l) => [l.workload, l]));
  results.push(round);
  console.error(`round ${r + 1}/${rounds} done`);
}

const workloads = [...results[0].js.keys()];
const fmt = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '-');
const rate = (row) => row.ops / row.wall;
const perOp = (seconds, row) => (seconds / row.ops) * 1e6;
const med = (f) => median(results.map(f));

// The rule (bench/README.md, "Server-bound or client-bound"): with one request in flight a request
// costs at least the server's CPU for it, so no client can run faster than one request per
// `server µs/op` of its own run. `reach` = the SDK's wall µs/op over that: the ratio to the SDK
// that a client costing nothing would reach. Below 1.5 the workload is server-bound (the 1.5×
// target cannot be met by the client) and is measured against the engine's in-process rate
// instead (target 0.9); with requests in flight the server uses more than one of the two cores,
// its CPU per operation exceeds the wall time and `reach` falls below 1 (server-bound again).
const reach = (r, w) => (r.js.get(w).wall / r.js.get(w).ops) / perOp(r.surrealqt.get(w).server_cpu, r.surrealqt.get(w)) * 1e6;
const bound = (w) => (med((r) => reach(r, w)) < 1.5 ? 'server' : 'client');
// How much of our run's wall time the server spent on CPU (above 1: on more than one core).
const share = (r, w) => r.surrealqt.get(w).server_cpu / r.surrealqt.get(w).wall;

console.log(`${records} records, ${rounds} rounds, alternating, a fresh surreal-local per client and round; `
  + `engine = the same requests executed in-process by surreal-local's engine${preload ? ' (mimalloc)' : ''}`);
console.log('workload        ops/s qt   ops/s js  ops/s engine |  cpu us/op qt    js  engine'
  + ' | server us/op qt    js | wall us/op qt    js | share  reach  bound');
for (const w of workloads) {
  const col = (side, f) => med((r) => f(r[side].get(w)));
  const engineCol = (f) => med((r) => (r.engine.has(w) ? f(r.engine.get(w)) : NaN));
  console.log(`${w.padEnd(14)} ${fmt(col('surrealqt', rate), 0).padStart(9)} ${fmt(col('js', rate), 0).padStart(10)}`
    + ` ${fmt(engineCol(rate), 0).padStart(13)} |`
    + ` ${fmt(col('surrealqt', (x) => perOp(x.cpu, x)), 1).padStart(13)} ${fmt(col('js', (x) => perOp(x.cpu, x)), 1).padStart(5)}`
    + ` ${fmt(engineCol((x) => perOp(x.cpu, x)), 1).padStart(7)} |`
    + ` ${fmt(col('surrealqt', (x) => perOp(x.server_cpu, x)), 1).padStart(15)} ${fmt(col('js', (x) => perOp(x.server_cpu, x)), 1).padStart(5)} |`
    + ` ${fmt(col('surrealqt', (x) => perOp(x.wall, x)), 1).padStart(13)} ${fmt(col('js', (x) => perOp(x.wall, x)), 1).padStart(5)} |`
    + ` ${fmt(med((r) => share(r, w))).padStart(5)}  ${fmt(med((r) => reach(r, w))).padStart(5)}  ${bound(w)}`);
}
const bulkRate = (r) => rate(r.surrealqt.get('bulk-defaults'));
console.log(`bulk-defaults (SurrealQt) ${fmt(med(bulkRate), 0)} records/s; engine in-process, 8 batches of 100 in flight`
  + `${preload ? ', mimalloc' : ''}: ${fmt(med((r) => rate(r.engine.get('bulk-defaults'))), 0)} records/s`);
if (results[0].jsLiveNote) console.log(`JS SDK: ${results[0].jsLiveNote}`);
console.log('columns: cpu = the client\'s own CPU per op (engine: the in-process engine\'s); server = surreal-local\'s'
  + ' CPU per op from /proc/PID/stat; share = server CPU ÷ wall time of our run; reach = the SDK\'s wall per op ÷'
  + ' our run\'s server CPU per op, the ratio to the SDK that a client costing nothing could reach; bound = server'
  + ' when reach < 1.5 (target: surrealqt/engine-in-process ≥ 0.9), else client (target: surrealqt/js ≥ 1.5)');
const verdicts = [];
for (const w of workloads) {
  const vsJs = med((r) => rate(r.surrealqt.get(w)) / rate(r.js.get(w)));
  const vsEngine = med((r) => (r.engine.has(w) ? rate(r.surrealqt.get(w)) / rate(r.engine.get(w)) : NaN));
  console.log(`ratio throughput ${w} surrealqt/js = ${fmt(vsJs)}`);
  console.log(`ratio throughput ${w} surrealqt/engine-in-process = ${fmt(vsEngine)}`);
  const server = bound(w) === 'server';
  const [name, value, goal] = server ? ['surrealqt/engine-in-process', vsEngine, 0.9] : ['surrealqt/js', vsJs, 1.5];
  verdicts.push(`${w}: ${bound(w)}-bound (reach ${fmt(med((r) => reach(r, w)))}), target ${name} ≥ ${goal}: `
    + `${fmt(value)} ${value >= goal ? 'met' : 'missed'}`);
}
const sumCpu = (m) => workloads.reduce((s, w) => s + m.get(w).cpu, 0);
const clientCpu = med((r) => sumCpu(r.js) / sumCpu(r.surrealqt));
console.log(`ratio client-cpu js/surrealqt = ${fmt(clientCpu)}`);
const bulkVsEngine = med((r) => bulkRate(r) / rate(r.engine.get('bulk-defaults')));
console.log(`ratio bulk-defaults/engine-in-process = ${fmt(bulkVsEngine)}`);
for (const v of verdicts) console.log(`target ${v}`);
console.log(`target client-cpu js/surrealqt ≥ 4: ${fmt(clientCpu)} ${clientCpu >= 4 ? 'met' : 'missed'}`);
console.log(`target bulk-defaults/engine-in-process ≥ 0.9: ${fmt(bulkVsEngine)} ${bulkVsEngine >= 0.9 ? 'met' : 'missed'}`);
