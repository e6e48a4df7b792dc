// Isolation between WebSocket connections: state, sessions, live notifications.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, RawClient, rid, uuid, isNone, sleep, Tag } from './helpers.mjs';

let srv, A, B;
before(async () => {
  srv = await startServer();
  A = await RawClient.open(srv.ws);
  B = await RawClient.open(srv.ws);
  for (const c of [A, B]) await c.call('signin', [{ user: 'root', pass: 'root' }]);
});
after(async () => {
  await A?.close();
  await B?.close();
  await srv?.stop();
});

const who = (c, extra) => c.call('query', ['RETURN [$session.ns, $session.db, $v]'], extra).then((r) => r[0].result);

test('use and let on A are not visible on B', async () => {
  await A.call('use', ['nsa', 'dba']);
  await A.call('let', ['v', 'from-a']);
  assert.deepEqual(await who(A), ['nsa', 'dba', 'from-a']);
  // B has no namespace selected: a query needing one fails there
  const r = await B.call('query', ['RETURN $session.ns']);
  assert.equal(r[0].status, 'ERR');
  await B.call('use', ['nsb', 'dbb']);
  const b = await who(B);
  assert.deepEqual(b.slice(0, 2), ['nsb', 'dbb']);
  assert.ok(isNone(b[2]), JSON.stringify(b));
  assert.deepEqual(await who(A), ['nsa', 'dba', 'from-a']);
});

test('signin on one connection does not authenticate another', async () => {
  const C = await RawClient.open(srv.ws);
  const r = await C.request({ method: 'query', params: ['RETURN 1'] });
  assert.equal(r.error.kind, 'NotAllowed');
  await C.close();
});

test('live query on A gets CREATE/UPDATE/DELETE made from B; B gets none', async () => {
  await A.call('use', ['live', 'live']);
  await B.call('use', ['live', 'live']);
  await B.call('query', ['DEFINE TABLE item']);
  const lq = await A.call('live', ['item']);
  assert.ok(lq instanceof Tag && lq.tag === 37);
  await B.call('create', [rid('item', 1), { v: 1 }]);
  await B.call('merge', [rid('item', 1), { v: 2 }]);
  await B.call('delete', [rid('item', 1)]);
  const actions = [];
  for (const want of ['CREATE', 'UPDATE', 'DELETE']) {
    const n = await A.waitNoId((m) => m.result && m.result.action === want);
    assert.equal(n.id, undefined);
    assert.equal(n.session, undefined); // default session: no envelope session
    assert.ok(Buffer.from(n.result.id.value).equals(Buffer.from(lq.value)));
    assert.deepEqual(n.result.record.value, ['item', 1]);
    assert.ok(isNone(n.result.session));
    actions.push(n.result.action);
  }
  assert.deepEqual(actions, ['CREATE', 'UPDATE', 'DELETE']);
  await sleep(200);
  assert.equal(B.noId.length, 0, 'B must not receive notifications');
  await A.call('kill', [lq]);
});

test('LIVE SELECT via query delivers to the owning attached session with its id', async () => {
  const s = uuid();
  await A.call('attach', [], { session: s });
  await A.call('signin', [{ user: 'root', pass: 'root' }], { session: s });
  await A.call('use', ['live', 'live'], { session: s });
  const res = await A.call('query', ['LIVE SELECT * FROM item WHERE v > 5'], { session: s });
  assert.equal(res[0].type, 'live');
  await B.call('create', [rid('item', 2), { v: 1 }]);
  await B.call('create', [rid('item', 3), { v: 9 }]);
  const n = await A.waitNoId((m) => m.result && m.result.action === 'CREATE');
  assert.deepEqual(n.result.record.value, ['item', 3]);
  assert.ok(Buffer.from(n.session.value).equals(Buffer.from(s.value)));
  assert.ok(Buffer.from(n.result.session.value).equals(Buffer.from(s.value)));
  await A.call('query', ['KILL $id', { id: res[0].result }], { session: s });
  await A.call('detach', [], { session: s });
  await sleep(100);
  A.noId.length = 0;
  await B.call('create', [rid('item', 4), { v: 10 }]);
  await sleep(300);
  assert.equal(A.noId.filter((m) => m.result?.action === 'CREATE').length, 0);
  assert.equal(B.noId.length, 0);
});

test('attached sessions are private to their connection', async () => {
  const s = uuid();
  assert.ok(isNone(await B.call('attach', [], { session: s })));
  await B.call('use', ['pb', 'pb'], { session: s });
  // a fresh attached session starts anonymous, whatever the default session is
  assert.equal((await B.request({ method: 'query', params: ['RETURN 1'], session: s })).error.kind, 'NotAllowed');
  await B.call('signin', [{ user: 'root', pass: 'root' }], { session: s });
  const sessions = await B.call('sessions');
  assert.equal(sessions.length, 1);
  assert.deepEqual(Buffer.from(sessions[0].value), Buffer.from(s.value));
  assert.deepEqual(await A.call('sessions'), []);
  const r = await A.request({ method: 'use', params: ['x', 'y'], session: s });
  assert.equal(r.error.kind, 'NotFound');
  assert.equal(r.error.details.kind, 'Session');
  assert.ok(Buffer.from(r.session.value).equals(Buffer.from(s.value)));
  // A may attach the same id: it gets its own, separate session
  await A.call('attach', [], { session: s });
  const again = await A.request({ method: 'attach', session: s });
  assert.equal(again.error.kind, 'AlreadyExists');
  await A.call('signin', [{ user: 'root', pass: 'root' }], { session: s });
  const inA = (await A.call('query', ['RETURN $session.ns'], { session: s }))[0];
  assert.equal(inA.status, 'ERR'); // A's session has no namespace selected
  const inB = (await B.call('query', ['RETURN $session.ns'], { session: s }))[0].result;
  assert.equal(inB, 'pb');
  await A.call('detach', [], { session: s });
  // B's session survives A's detach
  assert.equal((await B.call('query', ['RETURN $session.ns'], { session: s }))[0].result, 'pb');
});

test('closing a connection kills its live queries', async () => {
  const C = await RawClient.open(srv.ws);
  await C.call('signin', [{ user: 'root', pass: 'root' }]);
  await C.call('use', ['live', 'live']);
  await C.call('live', ['item']);
  await C.close();
  await sleep(200);
  const count = async () => (await A.call('query', ['INFO FOR TABLE item']))[0].result.lives;
  await A.call('use', ['live', 'live']);
  const lives = await count();
  assert.equal(Object.keys(lives).length, 0, JSON.stringify(lives));
});
