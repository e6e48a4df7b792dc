// Shutdown and persistence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { startServer, RawClient, rid, basic } from './helpers.mjs';

test('SIGTERM closes WebSockets with 1001 and exits 0', async () => {
  const srv = await startServer();
  const c = await RawClient.open(srv.ws);
  await c.call('ping');
  const closed = once(c.ws, 'close');
  const { code, signal } = await srv.stop('SIGTERM');
  const [closeCode] = await closed;
  assert.equal(closeCode, 1001);
  assert.equal(signal, null);
  assert.equal(code, 0, srv.stderr());
});

test('SIGINT exits 0 too', async () => {
  const srv = await startServer();
  const r = await srv.stop('SIGINT');
  await new Promise((x) => setTimeout(x, 200));
  assert.equal(r.code, 0, JSON.stringify(r) + srv.stderr());
});

test('wrong Basic credentials on the WebSocket upgrade are rejected with 401', async () => {
  const srv = await startServer();
  try {
    await assert.rejects(RawClient.open(srv.ws, { headers: { authorization: basic('root', 'bad') } }), /401/);
    const ok = await RawClient.open(srv.ws, {
      headers: { authorization: basic('root', 'root'), 'surreal-ns': 'h', 'surreal-db': 'h' },
    });
    const r = await ok.call('query', ['RETURN $session.ns']);
    assert.equal(r[0].result, 'h');
    await ok.close();
  } finally {
    await srv.stop();
  }
});

test('with --storage surrealkv:PATH a record survives a restart', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'surreal-local-'));
  const storage = ['--user', 'root', '--pass', 'root', '--storage', `surrealkv:${path.join(dir, 'db')}`];
  try {
    let srv = await startServer(storage);
    let c = await RawClient.open(srv.ws);
    await c.call('signin', [{ user: 'root', pass: 'root' }]);
    await c.call('use', ['p', 'p']);
    await c.call('create', [rid('kept', 1), { v: 'persisted' }]);
    await c.close();
    assert.equal((await srv.stop()).code, 0, srv.stderr());

    srv = await startServer(storage);
    c = await RawClient.open(srv.ws);
    await c.call('signin', [{ user: 'root', pass: 'root' }]);
    await c.call('use', ['p', 'p']);
    const rec = await c.call('select', [rid('kept', 1)]);
    assert.equal(rec.v, 'persisted');
    await c.close();
    assert.equal((await srv.stop()).code, 0, srv.stderr());
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// The launcher keeps the process id (signals reach the server, as the tests above show) and
// puts the engine on mimalloc, the allocator `surreal start` uses, when the library is installed.
test('the launcher runs the engine on mimalloc, and SURREAL_LOCAL_ALLOCATOR=system turns it off', async () => {
  // The warning follows the address line: give stderr a moment to arrive.
  const settle = async (srv) => {
    for (let i = 0; i < 40 && !/listening on .*auth/.test(srv.stderr()); i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 200));
  };
  const onMimalloc = (pid) => /libmimalloc/.test(fs.readFileSync(`/proc/${pid}/maps`, 'utf8'));
  const installed = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/usr/local/lib']
    .some((d) => fs.existsSync(path.join(d, 'libmimalloc.so.2')) || fs.existsSync(path.join(d, 'libmimalloc.so')));
  const srv = await startServer();
  try {
    const c = await RawClient.open(srv.ws);
    await c.call('ping');
    await c.close();
    await settle(srv);
    assert.equal(onMimalloc(srv.proc.pid), installed, srv.stderr());
    assert.equal(/C library's malloc/.test(srv.stderr()), !installed, srv.stderr());
  } finally {
    await srv.stop();
  }
  const plain = await startServer(undefined, { ...process.env, SURREAL_LOCAL_ALLOCATOR: 'system' });
  try {
    await settle(plain);
    assert.equal(onMimalloc(plain.proc.pid), false);
    assert.match(plain.stderr(), /C library's malloc/);
  } finally {
    await plain.stop();
  }
});
