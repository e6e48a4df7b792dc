// What surreal-local costs per request, apart from any real client: starts a fresh surreal-local,
// fills a table, then sends requests over one WebSocket from a minimal client (pre-encoded CBOR
// frames, answers only counted) and prints the server's CPU per request, user and system, from
// /proc/PID/stat, next to its wall time per request. Used to find where surreal-local's
// per-request CPU goes (bench/README.md, "What surreal-local costs per request").
//
//   node server-cost.mjs [--requests 4000] [--records 2000] [--window 1] [--server path/to/surreal-local]
//                        [--workload select|insert-100|ping|query] [-- extra surreal-local arguments]
//
// --server lets the same measurement run against another checkout's surreal-local (before/after).

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { Tagged, encode, decode, toBuffer } from '../../tools/surreal-local/lib/cbor.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const requests = Number(arg('--requests', 4000));
const records = Number(arg('--records', 2000));
const window = Number(arg('--window', 1));
const workload = arg('--workload', 'select');
const server = path.resolve(arg('--server', path.join(root, 'tools/surreal-local/surreal-local')));
const dashes = process.argv.indexOf('--');
const extra = dashes >= 0 ? process.argv.slice(dashes + 1) : [];
const clockTicks = 100;

function serverCpu(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(f[11]) / clockTicks, system: Number(f[12]) / clockTicks };
}

// Per thread group: the JavaScript thread (its id is the process id), the engine's tokio workers,
// and the rest (libuv's pool, V8's compiler and GC threads): CPU (s) and context switches.
function threadGroups(pid) {
  const out = {};
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    let stat, status, comm;
    try {
      stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      status = fs.readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8');
      comm = fs.readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
    } catch {
      continue; // the thread ended meanwhile
    }
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const group = Number(tid) === pid ? 'js' : /^tokio/.test(comm) ? 'tokio' : 'other';
    const g = (out[group] ??= { cpu: 0, switches: 0 });
    g.cpu += (Number(f[11]) + Number(f[12])) / clockTicks;
    for (const m of status.matchAll(/^(?:non)?voluntary_ctxt_switches:\s+(\d+)/gm)) g.switches += Number(m[1]);
  }
  return out;
}

const child = spawn('bash', [server, '--bind', '127.0.0.1:0', '--storage', 'memory', '--user', 'root', '--pass', 'root',
  '--log-level', 'error', ...extra], { stdio: ['ignore', 'pipe', 'inherit'] });
const address = await new Promise((resolve, reject) => {
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
    const m = /listening on (\S+)/.exec(out);
    if (m) resolve(m[1]);
  });
  child.on('exit', (code) => reject(new Error(`surreal-local exited ${code}`)));
});

const ws = new WebSocket(`ws://${address}/rpc`, 'cbor');
await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
let nextId = 1;
const waiting = new Map();
ws.on('message', (data) => {
  const reply = decode(toBuffer(data));
  const id = reply.get('id');
  const w = waiting.get(id);
  waiting.delete(id);
  if (reply.has('error')) w.reject(new Error(JSON.stringify([...reply.get('error')])));
  else w.resolve(reply.get('result'));
});
const frame = (method, params) => encode(new Map([['id', nextId++], ['method', method], ['params', params]]));
function send(bytes) {
  const id = decode(bytes).get('id');
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    ws.send(bytes, { binary: true });
  });
}
const call = (method, params) => send(frame(method, params));

await call('signin', [new Map([['user', 'root'], ['pass', 'root']])]);
await call('use', ['bench', 'peer']);
const record = (i) => new Map([['id', i], ['n', i], ['name', `user-${i}`], ['email', `user${i}@example.org`],
  ['age', 18 + (i % 60)], ['active', i % 3 !== 0], ['score', i * 0.5]]);
for (let start = 0; start < records; start += 100) {
  const rows = [];
  for (let i = start; i < Math.min(records, start + 100); i++) rows.push(record(i + 1));
  await call('insert', [new Tagged(7, 'peer_a'), rows]);
}

let s = 12345;
const pick = () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return (s % records) + 1; };
let insertAt = 1;
const make = {
  select: () => frame('select', [new Tagged(8, ['peer_a', pick()])]),
  ping: () => frame('ping', []),
  query: () => frame('query', ['SELECT * FROM ONLY $id', new Map([['id', new Tagged(8, ['peer_a', pick()])]])]),
  'insert-100': () => {
    const rows = [];
    for (let i = 0; i < 100; i++) { const r = record(insertAt++); rows.push(r); }
    return frame('insert', [new Tagged(7, 'peer_x'), rows]);
  },
}[workload];
if (!make) throw new Error(`unknown --workload ${workload}`);
const frames = Array.from({ length: requests }, make);

const cpu0 = serverCpu(child.pid);
const threads0 = threadGroups(child.pid);
const t0 = process.hrtime.bigint();
let next = 0;
await Promise.all(Array.from({ length: window }, async () => {
  while (next < frames.length) await send(frames[next++]);
}));
const wall = Number(process.hrtime.bigint() - t0) / 1e9;
const cpu1 = serverCpu(child.pid);
const threads1 = threadGroups(child.pid);
const us = (x) => Number(((x / requests) * 1e6).toFixed(1));
const perThread = {};
for (const [g, v] of Object.entries(threads1)) {
  perThread[`${g}_us`] = us(v.cpu - (threads0[g]?.cpu ?? 0));
  perThread[`${g}_switches`] = Number(((v.switches - (threads0[g]?.switches ?? 0)) / requests).toFixed(2));
}
console.log(JSON.stringify({ workload, requests, window, wall_us: us(wall),
  server_user_us: us(cpu1.user - cpu0.user), server_system_us: us(cpu1.system - cpu0.system),
  server_us: us(cpu1.user - cpu0.user + cpu1.system - cpu0.system), ...perThread }));
ws.close();
child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));
