// --tls-cert/--tls-key: HTTPS and WSS on one port with a certificate from a throw-away test CA
// (make-test-certs.sh); a client that does not trust the CA is refused by its own TLS stack.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import WebSocket from 'ws';
import { startServer, RawClient, enc, dec, rid, ROOT, LAUNCHER } from './helpers.mjs';

let srv;
let dir;
let ca;
before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'surreal-local-tls-'));
  execFileSync('bash', [path.join(ROOT, 'make-test-certs.sh'), dir]);
  ca = fs.readFileSync(path.join(dir, 'ca.pem'));
  srv = await startServer(['--user', 'root', '--pass', 'root', '--storage', 'memory',
    '--tls-cert', path.join(dir, 'server.pem'), '--tls-key', path.join(dir, 'server.key')]);
});
after(async () => {
  await srv?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** POST /rpc over HTTPS with the given TLS options; resolves {status, body}. */
function httpsRpc(base, req, headers, tlsOptions) {
  return new Promise((resolve, reject) => {
    const body = enc(req);
    const r = https.request(`${base}/rpc`, {
      method: 'POST',
      headers: { 'content-type': 'application/cbor', accept: 'application/cbor', 'content-length': body.length, ...headers },
      ...tlsOptions,
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: dec(Buffer.concat(chunks)) }));
    });
    r.on('error', reject);
    r.end(body);
  });
}

test('the first line keeps "listening on HOST:PORT" and names both TLS schemes', () => {
  assert.match(srv.first, /^listening on 127\.0\.0\.1:\d+ \(TLS: https:\/\/127\.0\.0\.1:\d+, wss:\/\/127\.0\.0\.1:\d+\/rpc\)$/);
  assert.equal(srv.tls, true);
  assert.match(srv.ws, /^wss:\/\//);
});

test('wss:// with the CA trusted: RPC round trip and a live notification', async () => {
  const c = await RawClient.open(srv.ws, { ca });
  try {
    await c.call('signin', [{ user: 'root', pass: 'root' }]);
    await c.call('use', ['tls', 'tls']);
    await c.call('query', ['DEFINE TABLE note SCHEMALESS']);
    const lq = await c.call('live', ['note']);
    await c.call('create', [rid('note', 1), { text: 'secret' }]);
    const n = await c.waitNoId((m) => m?.result?.action === 'CREATE');
    assert.equal(n.result.result.text, 'secret');
    assert.ok(lq);
  } finally {
    await c.close();
  }
});

test('https:// with the CA trusted: POST /rpc works; also by the name localhost', async () => {
  const auth = { authorization: 'Basic ' + Buffer.from('root:root').toString('base64'), 'surreal-ns': 'tls', 'surreal-db': 'tls' };
  const r = await httpsRpc(srv.http, { method: 'select', params: ['note'] }, auth, { ca });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.result.map((x) => x.text), ['secret']);
  const byName = await httpsRpc(`https://localhost:${srv.port}`, { method: 'version' }, {}, { ca });
  assert.equal(byName.body.result, 'surrealdb-3.0.2');
});

test('without the CA the client refuses the certificate, over https and wss', async () => {
  await assert.rejects(httpsRpc(srv.http, { method: 'version' }, {}, {}), { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
  const ws = new WebSocket(srv.ws, ['cbor']);
  const [err] = await once(ws, 'error');
  assert.equal(err.code, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
});

test('plain HTTP on the TLS port is not served', async () => {
  await assert.rejects(fetch(`http://127.0.0.1:${srv.port}/version`));
});

test('a missing key file fails at start with its name and exit code 2', () => {
  const r = spawnSync('bash', [LAUNCHER, '--bind', '127.0.0.1:0', '--storage', 'memory',
    '--tls-cert', path.join(dir, 'server.pem'), '--tls-key', path.join(dir, 'nope.key')], { encoding: 'utf8', timeout: 20000 });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /nope\.key/);
  const half = spawnSync('bash', [LAUNCHER, '--tls-cert', path.join(dir, 'server.pem')], { encoding: 'utf8', timeout: 20000 });
  assert.equal(half.status, 2);
  assert.match(half.stderr, /--tls-cert and --tls-key must be given together/);
});
