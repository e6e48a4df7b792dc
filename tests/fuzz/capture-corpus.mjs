#!/usr/bin/env node
// Regenerates the seed corpora of tests/fuzz from a real server: every frame surreal-local (or
// any SurrealDB at URL) sends back for a session that signs in, queries values of every type,
// fails in the usual ways and runs a live query. The frames are written as they came off the
// wire to corpus/rpcreply/ and corpus/cbor/ (seed-*; crash inputs kept there are named
// crash-*/regress-* and left alone), and the record ids the server printed to corpus/recordid/.
//   node tests/fuzz/capture-corpus.mjs ws://127.0.0.1:PORT/rpc [user pass]
// Run from the repository root; needs tools/surreal-local's node_modules (npm ci there).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = path.dirname(fileURLToPath(import.meta.url));
const local = path.join(here, '../../tools/surreal-local');
const { WebSocket } = createRequire(path.join(local, 'package.json'))('ws');
const { encode, decode, Tagged } = await import(path.join(local, 'lib/cbor.mjs'));

const [url, user = 'root', pass = 'root'] = process.argv.slice(2);
if (!url) { console.error('usage: capture-corpus.mjs ws://HOST:PORT/rpc [user pass]'); process.exit(2); }

const frames = [];
const ws = new WebSocket(url, 'cbor');
let nextId = 1;
const waiting = new Map();
ws.on('message', (data) => {
  const buf = Buffer.from(data);
  frames.push(buf);
  const msg = decode(buf);
  const id = msg instanceof Map ? msg.get('id') : msg.id;
  if (id !== undefined && waiting.has(Number(id))) { waiting.get(Number(id))(msg); waiting.delete(Number(id)); }
});
await new Promise((ok, ko) => { ws.on('open', ok); ws.on('error', ko); });
const call = (method, params = []) => new Promise((ok) => {
  const id = nextId++;
  waiting.set(id, ok);
  ws.send(encode({ id, method, params }));
});

await call('signin', [{ user, pass }]);
await call('use', ['fuzz', 'seed']);
await call('version');
await call('query', [`
  DEFINE TABLE person SCHEMALESS;
  CREATE person:tobie SET name = 'Tobie', age = 33, tags = ['a', 'b'], born = d'1990-01-02T03:04:05.123456789Z',
    span = 1h30m5ms, price = 19.99dec, uid = u'0192d3a0-7c3e-7b1e-9a6e-1c2d3e4f5a6b',
    place = (1.5, -2.25), nested = { deep: { list: [1, 2.5, NONE, NULL, true] } },
    link = person:⟨a b⟩, bytes = <bytes>'hi', ids = [person:[1, 'x'], person:{ k: 1 }, person:1..5];
  CREATE person:42 CONTENT { name: 'Int key', big: 9223372036854775807, neg: -9223372036854775808, f: -0.0 };
  CREATE person SET name = 'Generated';
  SELECT * FROM person ORDER BY name;
  RETURN { set: <set>[1, 2, 2], range: 1..=3, poly: { type: 'Polygon', coordinates: [[[0,0],[1,0],[1,1],[0,0]]] },
    line: { type: 'LineString', coordinates: [[0,0],[1,1]] }, dur: 1y2w3d4h5m6s7ms8us9ns,
    big: 12345678901234567890.123456789dec, inf: math::inf, nan: NaN, empty: [], emptyobj: {}, str: "ünïcödé ⟨⟩ \`" };
  SELECT * FROM nosuchtable;
  THROW 'custom error';
  CREATE person:tobie SET name = 'again';
`]);
await call('query', ['SELECT * FROM']);
await call('select', [new Tagged(8, ['person', 'tobie'])]);
await call('nosuchmethod');
await call('let', ['x', 1]);
await call('query', ['BEGIN; CREATE person:t1; THROW "no"; COMMIT;']);
const live = await call('live', ['person']);
const liveDiff = await call('query', ['LIVE SELECT DIFF FROM person']);
await call('query', [`CREATE person:live SET n = 1; UPDATE person:live SET n = 2; DELETE person:live;`]);
await new Promise((ok) => setTimeout(ok, 300));
const liveId = live instanceof Map ? live.get('result') : live.result;
await call('kill', [liveId]);
await new Promise((ok) => setTimeout(ok, 300));
ws.close();

const write = (dir, name, buf) => {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, name), buf);
};
for (const dir of ['rpcreply', 'cbor']) {
  for (const f of fs.readdirSync(path.join(here, 'corpus', dir)).filter((f) => f.startsWith('seed-')))
    fs.unlinkSync(path.join(here, 'corpus', dir, f));
}
frames.forEach((buf, i) => {
  const name = `seed-${String(i).padStart(2, '0')}`;
  write(path.join(here, 'corpus/rpcreply'), name, buf);
  write(path.join(here, 'corpus/cbor'), name, buf);
});
console.log(`${frames.length} frames captured (liveDiff ${liveDiff ? 'ok' : '-'})`);
