// /health, /version, /status, /export and /import.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, httpRpc, basic, rid } from './helpers.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

test('/health, /status and /version', async () => {
  const h = await fetch(`${srv.http}/health`);
  assert.equal(h.status, 200);
  assert.equal(await h.text(), '');
  assert.equal((await fetch(`${srv.http}/status`)).status, 200);
  const v = await fetch(`${srv.http}/version`);
  assert.equal(v.status, 200);
  assert.equal(await v.text(), 'surrealdb-3.0.2');
  const bad = await fetch(`${srv.http}/health`, { headers: { authorization: basic('root', 'bad') } });
  assert.equal(bad.status, 401);
  assert.equal((await fetch(`${srv.http}/nope`)).status, 404);
});

test('/export and /import need auth', async () => {
  const e = await fetch(`${srv.http}/export`, { headers: { 'surreal-ns': 'a', 'surreal-db': 'b' } });
  assert.equal(e.status, 403);
  const i = await fetch(`${srv.http}/import`, { method: 'POST', headers: { 'surreal-ns': 'a', 'surreal-db': 'b' }, body: 'CREATE x:1;' });
  assert.equal(i.status, 403);
  const w = await fetch(`${srv.http}/export`, { headers: { authorization: basic('root', 'x'), 'surreal-ns': 'a', 'surreal-db': 'b' } });
  assert.equal(w.status, 401);
});

test('export a database and import it into another one', async () => {
  const auth = { authorization: basic('root', 'root') };
  const src = { ...auth, 'surreal-ns': 'exp', 'surreal-db': 'src' };
  const dst = { ...auth, 'surreal-ns': 'exp', 'surreal-db': 'dst' };
  const c = await httpRpc(srv.http, { method: 'create', params: [rid('book', 'b1'), { title: 'Dune', n: 7 }] }, src);
  assert.equal(c.body.result.title, 'Dune');
  const ex = await fetch(`${srv.http}/export`, { headers: src });
  assert.equal(ex.status, 200);
  const sql = await ex.text();
  assert.match(sql, /TABLE DATA: book/);
  assert.match(sql, /Dune/);
  const viaPost = await fetch(`${srv.http}/export`, { method: 'POST', headers: { ...src, 'content-type': 'application/json' }, body: '{}' });
  assert.equal(viaPost.status, 200);
  assert.match(await viaPost.text(), /Dune/);
  const im = await fetch(`${srv.http}/import`, { method: 'POST', headers: { ...dst, 'content-type': 'text/plain' }, body: sql });
  assert.equal(im.status, 200, await im.text());
  const s = await httpRpc(srv.http, { method: 'select', params: [rid('book', 'b1')] }, dst);
  assert.equal(s.body.result.title, 'Dune');
  assert.equal(s.body.result.n, 7);
  // the source is untouched and other dbs are not affected
  const other = await httpRpc(srv.http, { method: 'query', params: ['SELECT * FROM book'] }, { ...auth, 'surreal-ns': 'exp', 'surreal-db': 'none' });
  assert.equal(other.body.result[0].status, 'ERR');
});
