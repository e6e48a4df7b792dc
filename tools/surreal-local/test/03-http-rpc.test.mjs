// HTTP POST /rpc: headers, auth, statelessness.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, RawClient, httpRpc, basic, enc, rid, isNone } from './helpers.mjs';

let srv;
const H = { 'surreal-ns': 'web', 'surreal-db': 'app' };
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

test('Basic auth + Surreal-NS/DB: create and select', async () => {
  const auth = { ...H, authorization: basic('root', 'root') };
  const c = await httpRpc(srv.http, { id: 1, method: 'create', params: [rid('note', 1), { text: 'hi' }] }, auth);
  assert.equal(c.status, 200);
  assert.equal(c.headers.get('content-type'), 'application/cbor');
  assert.equal(c.body.id, undefined, 'no id over HTTP');
  assert.equal(c.body.result.text, 'hi');
  const s = await httpRpc(srv.http, { id: 2, method: 'select', params: ['note'] }, auth);
  assert.deepEqual(s.body.result.map((r) => r.text), ['hi']);
  const q = await httpRpc(srv.http, { method: 'query', params: ['RETURN [$session.ns, $session.db]'] }, auth);
  assert.deepEqual(q.body.result[0].result, ['web', 'app']);
});

test('Bearer token from an RPC signin works over HTTP', async () => {
  const ws = await RawClient.open(srv.ws);
  const token = await ws.call('signin', [{ user: 'root', pass: 'root' }]);
  await ws.close();
  const r = await httpRpc(srv.http, { method: 'select', params: ['note'] }, { ...H, authorization: `Bearer ${token}` });
  assert.equal(r.status, 200);
  assert.equal(r.body.result.length, 1);
  const bad = await httpRpc(srv.http, { method: 'select', params: ['note'] }, { ...H, authorization: `Bearer ${token}x` });
  assert.equal(bad.status, 401);
});

test('bad credentials give 401 plain text', async () => {
  const r = await httpRpc(srv.http, { method: 'ping' }, { ...H, authorization: basic('root', 'nope') });
  assert.equal(r.status, 401);
  assert.match(r.headers.get('content-type'), /text\/plain/);
  assert.equal(r.body, 'There was a problem with authentication');
});

test('anonymous HTTP requests may ping/signin but not read', async () => {
  const p = await httpRpc(srv.http, { method: 'ping' }, H);
  assert.equal(p.status, 200);
  assert.ok(isNone(p.body.result));
  const s = await httpRpc(srv.http, { method: 'select', params: ['note'] }, H);
  assert.equal(s.status, 200);
  assert.equal(s.body.error.kind, 'NotAllowed');
  const tok = await httpRpc(srv.http, { method: 'signin', params: [{ user: 'root', pass: 'root' }] });
  assert.equal(typeof tok.body.result, 'string');
});

test('no state leaks between HTTP requests', async () => {
  const auth = { ...H, authorization: basic('root', 'root') };
  const l = await httpRpc(srv.http, { method: 'let', params: ['leak', 123] }, auth);
  assert.equal(l.body.result, null);
  const q = await httpRpc(srv.http, { method: 'query', params: ['RETURN $leak'] }, auth);
  assert.ok(isNone(q.body.result[0].result));
  // use in one request does not change the next one
  await httpRpc(srv.http, { method: 'use', params: ['other', 'other'] }, auth);
  const q2 = await httpRpc(srv.http, { method: 'query', params: ['RETURN $session.ns'] }, auth);
  assert.equal(q2.body.result[0].result, 'web');
  // a signin in one request does not authenticate the next
  await httpRpc(srv.http, { method: 'signin', params: [{ user: 'root', pass: 'root' }] }, H);
  const s = await httpRpc(srv.http, { method: 'select', params: ['note'] }, H);
  assert.equal(s.body.error.kind, 'NotAllowed');
});

test('transactions and live queries are not available over HTTP', async () => {
  const auth = { ...H, authorization: basic('root', 'root') };
  const b = await httpRpc(srv.http, { method: 'begin' }, auth);
  assert.equal(b.body.error.kind, 'NotFound');
  assert.equal(b.body.error.code, -32601);
  const l = await httpRpc(srv.http, { method: 'live', params: ['note'] }, auth);
  assert.equal(l.body.error.kind, 'Configuration');
  const q = await httpRpc(srv.http, { method: 'query', params: ['LIVE SELECT * FROM note; RETURN 1'] }, auth);
  assert.equal(q.body.result[0].status, 'ERR');
  assert.equal(q.body.result[0].kind, 'Configuration');
  assert.equal(q.body.result[1].result, 1);
});

test('content type checks', async () => {
  const wrong = await fetch(`${srv.http}/rpc`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' });
  assert.equal(wrong.status, 415);
  const acc = await fetch(`${srv.http}/rpc`, {
    method: 'POST', headers: { 'content-type': 'application/cbor', accept: 'application/json' }, body: enc({ method: 'ping' }),
  });
  assert.equal(acc.status, 415);
  const garbage = await fetch(`${srv.http}/rpc`, {
    method: 'POST', headers: { 'content-type': 'application/cbor', accept: 'application/cbor' }, body: Buffer.from([0xff]),
  });
  assert.equal(garbage.status, 400);
});
