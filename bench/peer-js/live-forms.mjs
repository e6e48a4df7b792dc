// What a live query costs the writer, by its form (bench_listmodel's live-apply/select line,
// bench/README.md). A 10,000-row table; a second client updates 1,000 rows (every tenth) in one
// request, as bench_listmodel's writer does. Measured per form of the listener's live query:
//   none                      no live query on the table
//   LIVE SELECT * FROM t      whole records (what an unfiltered QueryListModel subscribes to)
//   LIVE SELECT id FROM t     ids only (filtered and query-form models)
//   LIVE SELECT DIFF FROM t   JSON patches
// the writer's answer time, and when the first and the last of the 1,000 notifications arrived;
// then a SELECT * FROM $ids of the changed ids (the re-read an id-only model would do).
//
//   node live-forms.mjs [--url ws://host:port] [--rows 10000] [--changes 1000] [--rounds 5]
// Without --url it starts tools/surreal-local (memory storage).

import { startServer, RawClient, rid, dec } from '../../tools/surreal-local/test/helpers.mjs';

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const rows = Number(arg('--rows', 10000));
const changes = Number(arg('--changes', 1000));
const rounds = Number(arg('--rounds', 5));
const step = Math.max(1, Math.floor(rows / changes));
let srv = null;
let url = arg('--url');
if (!url) {
  srv = await startServer();
  url = srv.ws;
} else if (!url.endsWith('/rpc')) {
  url += '/rpc';
}

async function client() {
  const c = await RawClient.open(url);
  await c.call('signin', [{ user: 'root', pass: 'root' }]);
  await c.call('use', ['bench', 'liveforms']);
  return c;
}

const now = () => Number(process.hrtime.bigint()) / 1e6;
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

const writer = await client();
const listener = await client();
// Notifications counted as they arrive (the helper keeps them in noId; counted and dropped here).
let seen = 0, first = 0, last = 0, t0 = 0, bytes = 0;
listener.ws.removeAllListeners('message');
listener.ws.on('message', (data) => {
  const msg = dec(data);
  if (msg && typeof msg === 'object' && 'id' in msg && msg.id !== undefined && msg.id !== null) {
    const key = JSON.stringify(msg.id);
    const p = listener.pending.get(key);
    if (p) { listener.pending.delete(key); p(msg); }
    return;
  }
  bytes += data.length;
  ++seen;
  const t = now() - t0;
  if (seen === 1) first = t;
  last = t;
});

const forms = [
  ['none', null],
  ['LIVE SELECT * FROM t', (t) => `LIVE SELECT * FROM ${t}`],
  ['LIVE SELECT id FROM t', (t) => `LIVE SELECT id FROM ${t}`],
  ['LIVE SELECT DIFF FROM t', (t) => `LIVE SELECT DIFF FROM ${t}`],
];
const update = 'FOR $i IN 1..=$n { UPDATE type::record($t, $i * $step) SET v = $base + $i RETURN NONE }';
const ids = (t) => Array.from({ length: changes }, (_, i) => rid(t, (i + 1) * step));

const out = [];
for (const [name, live] of forms) {
  const t = `lf_${out.length}`;
  await writer.call('query', [
    `DEFINE TABLE ${t} SCHEMALESS; FOR $i IN 1..=$n { CREATE type::record('${t}', $i) SET v = 0, ` +
    `name = 'Customer ' + <string>$i, email = 'customer' + <string>$i + '@example.com', ` +
    `city = ['Berlin', 'Lyon', 'Oslo', 'Porto'][$i % 4] };`, { n: rows }]);
  if (live) await listener.call('query', [live(t)]);
  const r = { form: name, write: [], first: [], last: [], reselect: [], bytesPerNote: 0 };
  for (let round = 0; round <= rounds; ++round) {
    seen = 0; first = 0; last = 0; bytes = 0;
    t0 = now();
    const res = await writer.call('query', [update, { n: changes, t, step, base: (round + 1) * 1000000 }]);
    if (res.some((s) => s.status !== 'OK')) throw new Error(`update failed: ${JSON.stringify(res)}`);
    const write = now() - t0;
    if (live) {
      const deadline = now() + 60000;
      while (seen < changes && now() < deadline) await new Promise((r) => setTimeout(r, 1));
      if (seen < changes) throw new Error(`${name}: ${seen} of ${changes} notifications`);
    }
    const s0 = now();
    const back = await listener.call('query', ['SELECT * FROM $ids', { ids: ids(t) }]);
    const reselect = now() - s0;
    if (back[0].result.length !== changes) throw new Error('re-select: wrong count');
    await new Promise((r) => setTimeout(r, 200));
    if (round > 0) {
      r.write.push(write); r.first.push(first); r.last.push(last); r.reselect.push(reselect);
      r.bytesPerNote = live ? bytes / changes : 0;
    }
  }
  out.push(r);
  const m = (xs) => median(xs).toFixed(1);
  console.log(`${name.padEnd(26)} write ${m(r.write).padStart(7)} ms   first note ${live ? m(r.first).padStart(7) : '      -'}` +
    ` ms   all notes ${live ? m(r.last).padStart(7) : '      -'} ms   re-select ${m(r.reselect).padStart(6)} ms` +
    (live ? `   ${r.bytesPerNote.toFixed(0)} B/note` : ''));
}
await writer.close();
await listener.close();
if (srv) await srv.stop();
