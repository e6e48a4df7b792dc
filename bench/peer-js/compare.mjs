// Runs bench_peer (SurrealQt) and peer.mjs (the official JS SDK) alternately, each against a
// fresh surreal-local, plus the engine's in-process insert rate, and prints one ratio line per
// workload (medians over the rounds). See bench/README.md, "bench_peer".
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

const results = []; // per round: {surrealqt: Map(workload -> row), js: ..., engine: row}
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
  round.engine = engine.lines[0];
  results.push(round);
  console.error(`round ${r + 1}/${rounds} done`);
}

const workloads = [...results[0].js.keys()];
const fmt = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '-');
console.log(`${records} records, ${rounds} rounds, alternating, a fresh surreal-local per client and round`);
console.log('workload        ops/s qt   ops/s js   cpu us/op qt  cpu us/op js  server us/op qt  server us/op js');
for (const w of workloads) {
  const col = (side, f) => median(results.map((r) => f(r[side].get(w))));
  const rate = (row) => row.ops / row.wall;
  const cpu = (row) => (row.cpu / row.ops) * 1e6;
  const server = (row) => (row.server_cpu / row.ops) * 1e6;
  console.log(`${w.padEnd(14)} ${fmt(col('surrealqt', rate), 0).padStart(10)} ${fmt(col('js', rate), 0).padStart(10)}`
    + ` ${fmt(col('surrealqt', cpu), 1).padStart(13)} ${fmt(col('js', cpu), 1).padStart(13)}`
    + ` ${fmt(col('surrealqt', server), 1).padStart(16)} ${fmt(col('js', server), 1).padStart(16)}`);
}
const bulk = median(results.map((r) => r.surrealqt.get('bulk-defaults').ops / r.surrealqt.get('bulk-defaults').wall));
const engineRate = median(results.map((r) => r.engine.ops / r.engine.wall));
console.log(`bulk-defaults (SurrealQt) ${fmt(bulk, 0)} records/s; engine in-process, 8 batches of 100 in flight`
  + `${preload ? ', mimalloc' : ''}: ${fmt(engineRate, 0)} records/s`);
if (results[0].jsLiveNote) console.log(`JS SDK: ${results[0].jsLiveNote}`);
for (const w of workloads) {
  const ratio = median(results.map((r) => (r.surrealqt.get(w).ops / r.surrealqt.get(w).wall)
    / (r.js.get(w).ops / r.js.get(w).wall)));
  console.log(`ratio throughput ${w} surrealqt/js = ${fmt(ratio)}`);
}
const sumCpu = (m) => workloads.reduce((s, w) => s + m.get(w).cpu, 0);
console.log(`ratio client-cpu js/surrealqt = ${fmt(median(results.map((r) => sumCpu(r.js) / sumCpu(r.surrealqt))))}`);
console.log(`ratio bulk-defaults/engine-in-process = ${fmt(median(results.map((r) =>
  (r.surrealqt.get('bulk-defaults').ops / r.surrealqt.get('bulk-defaults').wall) / (r.engine.ops / r.engine.wall))))}`);
