// Shared test helpers: start the server as a child process, a raw CBOR RPC client.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import crypto from 'node:crypto';
import WebSocket from 'ws';
// An independent CBOR codec for the tests: the one the official JS SDK uses.
import { encode as cborEncode, decode as cborDecode, Tagged as Tag } from '@surrealdb/cbor';

export const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const SERVER = path.join(ROOT, 'server.mjs');
// The launcher every caller uses: server.mjs with the engine on mimalloc.
export const LAUNCHER = path.join(ROOT, 'surreal-local');

export const enc = (v) => Buffer.from(cborEncode(v));
export const dec = (b) => cborDecode(new Uint8Array(b.buffer ? b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) : b));
export { Tag };

export const NONE = new Tag(6, null);
export const isNone = (v) => v instanceof Tag && v.tag === 6;
export const uuid = () => new Tag(37, new Uint8Array(Buffer.from(crypto.randomUUID().replace(/-/g, ''), 'hex')));
export const rid = (tb, id) => new Tag(8, [tb, id]);

/** Starts the server; resolves {url, host, port, proc, stderr(), stop()}. */
export async function startServer(args = ['--user', 'root', '--pass', 'root', '--storage', 'memory'], env = process.env) {
  const proc = spawn('bash', [LAUNCHER, '--bind', '127.0.0.1:0', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const first = await new Promise((resolve, reject) => {
    let out = '';
    const onData = (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0) { proc.stdout.off('data', onData); resolve(out.slice(0, nl)); }
    };
    proc.stdout.on('data', onData);
    proc.once('exit', (code) => reject(new Error(`server exited (${code}) before listening:\n${stderr}`)));
    setTimeout(() => reject(new Error(`server did not start in time:\n${stderr}`)), 20000).unref();
  });
  const m = /listening on (\S+)/.exec(first);
  if (!m) throw new Error(`unexpected first line: ${first}`);
  const hostport = m[1];
  const port = Number(hostport.split(':').pop());
  // --tls-cert/--tls-key: the line goes on with "(TLS: https://…, wss://…)".
  const tls = /\(TLS: /.test(first);
  const srv = {
    first, hostport, port, proc, tls,
    http: `${tls ? 'https' : 'http'}://${hostport}`,
    ws: `${tls ? 'wss' : 'ws'}://${hostport}/rpc`,
    stderr: () => stderr,
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode !== null || proc.signalCode !== null) return { code: proc.exitCode, signal: proc.signalCode };
      proc.kill(signal);
      const [code, sig] = await once(proc, 'exit');
      return { code, signal: sig };
    },
  };
  return srv;
}

/** Raw CBOR RPC client over ws. */
export class RawClient {
  /** options beyond protocols go to ws (headers, and for wss:// TLS options such as ca). */
  static async open(url, { protocols = ['cbor'], ...options } = {}) {
    const c = new RawClient();
    c.ws = new WebSocket(url, protocols, options);
    c.pending = new Map();
    c.noId = []; // frames without id (notifications, undecodable-request errors)
    c.waiters = [];
    c.nextId = 1;
    c.ws.on('message', (data) => {
      const msg = dec(data);
      if (msg && typeof msg === 'object' && 'id' in msg) {
        const key = JSON.stringify(msg.id);
        const p = c.pending.get(key);
        if (p) { c.pending.delete(key); p(msg); return; }
      }
      c.noId.push(msg);
      for (const w of c.waiters.splice(0)) w();
    });
    await once(c.ws, 'open');
    return c;
  }
  sendRaw(bytes, binary = true) { this.ws.send(bytes, { binary }); }
  /** Sends a request map; resolves with the full reply frame. */
  request(req) {
    const id = 'id' in req ? req.id : this.nextId++;
    const full = { ...req, id };
    return new Promise((resolve, reject) => {
      this.pending.set(JSON.stringify(id), resolve);
      this.ws.send(enc(full));
      setTimeout(() => reject(new Error(`timeout waiting for ${JSON.stringify(req.method)}`)), 10000).unref();
    });
  }
  /** Like request but throws on error replies and returns result. */
  async call(method, params = [], extra = {}) {
    const r = await this.request({ method, params, ...extra });
    if (r.error) throw Object.assign(new Error(`${method}: ${r.error.message}`), { rpc: r.error });
    return r.result;
  }
  /** Waits until a frame without id satisfies pred (or times out). */
  async waitNoId(pred, ms = 5000) {
    const deadline = Date.now() + ms;
    for (;;) {
      const i = this.noId.findIndex(pred);
      if (i >= 0) return this.noId.splice(i, 1)[0];
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timeout waiting for frame without id');
      await new Promise((r) => { this.waiters.push(r); setTimeout(r, left).unref(); });
    }
  }
  async close() {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    this.ws.close();
    await once(this.ws, 'close');
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const basic = (u, p) => 'Basic ' + Buffer.from(`${u}:${p}`).toString('base64');

/** POST /rpc with a CBOR request; resolves {status, body (decoded or text), headers}. */
export async function httpRpc(base, req, headers = {}) {
  const res = await fetch(`${base}/rpc`, {
    method: 'POST',
    headers: { 'content-type': 'application/cbor', accept: 'application/cbor', ...headers },
    body: enc(req),
  });
  const buf = Buffer.from(await res.arrayBuffer());
  const ct = res.headers.get('content-type') || '';
  return { status: res.status, headers: res.headers, body: ct.includes('cbor') ? dec(buf) : buf.toString('utf8') };
}
