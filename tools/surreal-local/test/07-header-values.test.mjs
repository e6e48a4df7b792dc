// Surreal-NS / Surreal-DB / Surreal-Auth-NS / Surreal-Auth-DB carry visible ASCII only, as in
// SurrealDB (HeaderValue::to_str()); other bytes are refused, never read as another name.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer, httpRpc, basic, enc, dec } from './helpers.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

// Header values as raw bytes: Node sends a string's code units as Latin-1 bytes.
const utf8Bytes = (text) => Buffer.from(text, 'utf8').toString('latin1');

function rawRpc(headers, req, path = '/rpc') {
  return new Promise((resolve, reject) => {
    const body = enc(req);
    const r = http.request(`${srv.http}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/cbor', accept: 'application/cbor', 'content-length': body.length, ...headers },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const buf = Buffer.concat(chunks);
        const ct = res.headers['content-type'] || '';
        resolve({ status: res.statusCode, body: ct.includes('cbor') ? dec(buf) : buf.toString('utf8') });
      });
    });
    r.on('error', reject);
    r.end(body);
  });
}

function rawUpgrade(headers) {
  return new Promise((resolve, reject) => {
    const r = http.request(`${srv.http}/rpc`, {
      headers: {
        connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13',
        'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-protocol': 'cbor', ...headers,
      },
    });
    r.on('response', (res) => { res.resume(); resolve(res.statusCode); });
    r.on('upgrade', (res, socket) => { socket.destroy(); resolve(res.statusCode); });
    r.on('error', reject);
    r.end();
  });
}

const auth = { authorization: basic('root', 'root') };

test('a UTF-8 namespace header is refused with 400 and does not select the Latin-1 reading of it', async () => {
  // What "café" sent as UTF-8 and read as Latin-1 would name.
  const misread = Buffer.from('café', 'utf8').toString('latin1');
  const seed = await httpRpc(srv.http, { method: 'query', params: [`DEFINE NAMESPACE \`${misread}\`; USE NS \`${misread}\` DB d; CREATE marker:1 SET v = 'wrong database'`] }, auth);
  assert.equal(seed.status, 200);
  const r = await rawRpc({ ...auth, 'surreal-ns': utf8Bytes('café'), 'surreal-db': 'd' }, { method: 'select', params: ['marker'] });
  assert.equal(r.status, 400);
  assert.match(JSON.stringify(r.body), /surreal-ns/);
  assert.match(JSON.stringify(r.body), /visible ASCII/);
});

test('database, auth namespace and auth database headers are checked the same way', async () => {
  for (const [name, extra] of [
    ['surreal-db', { 'surreal-ns': 'n', 'surreal-db': utf8Bytes('données') }],
    ['surreal-auth-ns', { 'surreal-auth-ns': 'caf\xe9' }],
    ['surreal-auth-db', { 'surreal-auth-ns': 'n', 'surreal-auth-db': 'x\x80y' }],
  ]) {
    const r = await rawRpc({ ...auth, ...extra }, { method: 'ping' });
    assert.equal(r.status, 400, name);
    assert.match(JSON.stringify(r.body), new RegExp(name), name);
  }
});

test('the WebSocket upgrade refuses such headers too', async () => {
  assert.equal(await rawUpgrade({ 'surreal-ns': utf8Bytes('café') }), 400);
  assert.equal(await rawUpgrade({ 'surreal-ns': 'plain', 'surreal-db': 'ascii' }), 101);
});

test('visible ASCII, including spaces and punctuation, still selects that namespace', async () => {
  const r = await rawRpc({ ...auth, 'surreal-ns': 'with space-and_punct.1', 'surreal-db': 'd~b' }, { method: 'query', params: ['RETURN [$session.ns, $session.db]'] });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.result[0].result, ['with space-and_punct.1', 'd~b']);
});
