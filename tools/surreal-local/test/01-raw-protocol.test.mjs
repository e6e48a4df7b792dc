// Raw protocol: envelope, id echo, bad frames, auth gate, CRUD.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, RawClient, enc, rid, isNone, Tag } from './helpers.mjs';

let srv;
let c;
before(async () => {
  srv = await startServer();
  c = await RawClient.open(srv.ws);
});
after(async () => {
  await c?.close();
  await srv?.stop();
});

test('first stdout line has the documented format', () => {
  assert.match(srv.first, /^listening on 127\.0\.0\.1:\d+$/);
  assert.ok(srv.port > 0);
});

test('subprotocol cbor is selected', () => {
  assert.equal(c.ws.protocol, 'cbor');
});

test('integer and string ids are echoed exactly', async () => {
  const a = await c.request({ id: 42, method: 'ping' });
  assert.equal(a.id, 42);
  assert.ok(isNone(a.result));
  const b = await c.request({ id: 'req-α', method: 'version' });
  assert.equal(b.id, 'req-α');
  assert.equal(b.result, 'surrealdb-3.0.2');
  // a large integer keeps its CBOR type and value
  const big = await c.request({ id: 4294967296 * 1024, method: 'ping' });
  assert.equal(big.id, 4294967296 * 1024);
  assert.equal(big.session, undefined);
});

test('a non-CBOR frame gets an error without id and the socket lives on', async () => {
  c.sendRaw(Buffer.from([0xff, 0xfe, 0x00]));
  const err = await c.waitNoId((m) => m.error);
  assert.equal(err.error.code, -32700);
  assert.equal(err.error.kind, 'Validation');
  assert.equal(err.id, undefined);
  const r = await c.request({ id: 1001, method: 'ping' });
  assert.equal(r.id, 1001);
});

test('a text frame is decoded as CBOR and answered, not fatal', async () => {
  c.sendRaw(Buffer.from('not cbor at all'), false);
  const err = await c.waitNoId((m) => m.error);
  assert.ok([-32700, -32600].includes(err.error.code));
  assert.equal((await c.request({ id: 1002, method: 'ping' })).id, 1002);
});

test('a map without method gets InvalidRequest', async () => {
  c.sendRaw(enc({ id: 5, params: [] }));
  const err = await c.waitNoId((m) => m.error);
  assert.equal(err.error.code, -32600);
  assert.equal(err.error.details.kind, 'InvalidRequest');
  c.sendRaw(enc([1, 2, 3]));
  const err2 = await c.waitNoId((m) => m.error);
  assert.equal(err2.error.code, -32600);
  assert.equal((await c.request({ id: 1003, method: 'ping' })).id, 1003);
});

test('unknown method is NotFound/Method', async () => {
  const r = await c.request({ id: 9, method: 'VERSION' });
  assert.equal(r.error.kind, 'NotFound');
  assert.equal(r.error.code, -32601);
});

test('unauthenticated select is NotAllowed', async () => {
  const r = await c.request({ id: 10, method: 'select', params: ['person'] });
  assert.equal(r.id, 10);
  assert.equal(r.error.kind, 'NotAllowed');
  assert.equal(r.error.code, -32002);
  assert.equal(r.error.details.kind, 'Auth');
  const q = await c.request({ id: 11, method: 'query', params: ['INFO FOR ROOT'] });
  assert.equal(q.error.kind, 'NotAllowed');
});

test('signin with a wrong password gives the engine auth error', async () => {
  const r = await c.request({ id: 12, method: 'signin', params: [{ user: 'root', pass: 'wrong' }] });
  assert.equal(r.error.code, -32002);
  assert.equal(r.error.kind, 'NotAllowed');
  assert.equal(r.error.details.details.kind, 'InvalidAuth');
  assert.equal((await c.request({ id: 13, method: 'select', params: ['x'] })).error.kind, 'NotAllowed');
});

test('signin, use, create and select', async () => {
  const token = await c.call('signin', [{ user: 'root', pass: 'root' }]);
  assert.equal(typeof token, 'string');
  assert.equal(token.split('.').length, 3);
  const u = await c.call('use', ['shop', 'main']);
  assert.deepEqual(u, { namespace: 'shop', database: 'main' });
  const created = await c.call('create', [rid('person', 'ann'), { name: 'Ann', age: 30 }]);
  assert.equal(created.name, 'Ann');
  assert.ok(created.id instanceof Tag && created.id.tag === 8);
  assert.deepEqual(created.id.value, ['person', 'ann']);
  const all = await c.call('select', ['person']);
  assert.equal(all.length, 1);
  assert.equal(all[0].age, 30);
  const missing = await c.call('select', [rid('person', 'nobody')]);
  assert.ok(isNone(missing));
  const q = await c.call('query', ['SELECT VALUE name FROM person WHERE age > $min', { min: 18 }]);
  assert.deepEqual(q[0].result, ['Ann']);
  assert.equal(q[0].status, 'OK');
});

test('pipelined state changes apply in send order', async () => {
  const c2 = await RawClient.open(srv.ws);
  const replies = await Promise.all([
    c2.request({ method: 'signin', params: [{ user: 'root', pass: 'root' }] }),
    c2.request({ method: 'use', params: ['pipe', 'line'] }),
    c2.request({ method: 'let', params: ['who', 'first'] }),
    c2.request({ method: 'query', params: ['RETURN [$session.ns, $session.db, $who]'] }),
    c2.request({ method: 'let', params: ['who', 'second'] }),
    c2.request({ method: 'query', params: ['RETURN $who'] }),
  ]);
  assert.deepEqual(replies[3].result[0].result, ['pipe', 'line', 'first']);
  assert.equal(replies[5].result[0].result, 'second');
  await c2.close();
});

test('a client offering no subprotocol is spoken to in CBOR', async () => {
  const c3 = await RawClient.open(srv.ws, { protocols: [] });
  assert.equal(c3.ws.protocol, '');
  assert.equal((await c3.request({ id: 'np', method: 'version' })).result, 'surrealdb-3.0.2');
  await c3.close();
});

test('invalidate drops the identity again', async () => {
  await c.call('invalidate');
  const r = await c.request({ method: 'select', params: ['person'] });
  assert.equal(r.error.kind, 'NotAllowed');
  await c.call('signin', [{ user: 'root', pass: 'root' }]);
  assert.equal((await c.call('select', ['person'])).length, 1);
});

test('interactive transactions work and stay on their connection', async () => {
  const txn = await c.call('begin');
  assert.ok(txn instanceof Tag && txn.tag === 37);
  await c.call('create', [rid('tx', 1), { v: 1 }], { txn });
  const other = await RawClient.open(srv.ws);
  await other.call('signin', [{ user: 'root', pass: 'root' }]);
  await other.call('use', ['shop', 'main']);
  const foreign = await other.request({ method: 'commit', params: [txn] });
  assert.equal(foreign.error.message, 'Transaction not found');
  const foreignUse = await other.request({ method: 'select', params: ['person'], txn });
  assert.equal(foreignUse.error.message, 'Transaction not found');
  await other.close();
  await c.call('commit', [txn]);
  assert.equal((await c.call('select', [rid('tx', 1)])).v, 1);
});

test('record access users: signup works and table permissions are enforced', async () => {
  await c.call('query', [`
    DEFINE ACCESS account ON DATABASE TYPE RECORD
      SIGNUP (CREATE user SET email = $email, pass = crypto::argon2::generate($pass))
      SIGNIN (SELECT * FROM user WHERE email = $email AND crypto::argon2::compare(pass, $pass));
    DEFINE TABLE user PERMISSIONS FOR select WHERE id = $auth.id;
    DEFINE TABLE secret PERMISSIONS NONE;
    CREATE secret:1 SET x = 1;`]);
  const u = await RawClient.open(srv.ws);
  const tok = await u.call('signup', [{ ns: 'shop', db: 'main', ac: 'account', email: 'a@x.io', pass: 'pw' }]);
  assert.equal(typeof tok, 'string');
  assert.deepEqual(await u.call('select', ['secret']), []);
  const me = await u.call('info');
  assert.equal(me.email, 'a@x.io');
  const bad = await u.request({ method: 'signin', params: [{ ns: 'shop', db: 'main', ac: 'account', email: 'a@x.io', pass: 'nope' }] });
  assert.ok(bad.error);
  await u.close();
});
