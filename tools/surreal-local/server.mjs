#!/usr/bin/env node
// surreal-local: serves the embedded SurrealDB engine (@surrealdb/node 3.0.3,
// engine 3.0.2) over SurrealDB's network protocol (WebSocket /rpc with the
// `cbor` subprotocol, HTTP POST /rpc, /health, /version, /status, /export,
// /import). See README.md.

import http from 'node:http';
import https from 'node:https';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { WebSocketServer, WebSocket } from 'ws';
import {
  CborError, Raw, Tagged, NONE, UNDEFINED, encode, decode, splitMap, splitArray, firstElement, toBuffer,
  uuidTag, uuidBytes, uuidString, isNone,
} from './lib/cbor.mjs';
import * as E from './lib/errors.mjs';
import { loadBinding, storageEndpoint } from './lib/engine.mjs';

// Signal handlers go first so that a SIGTERM/SIGINT during start-up is not fatal.
let shutdownImpl = null;
let pendingSignal = null;
for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, () => {
    if (shutdownImpl) shutdownImpl(sig);
    else pendingSignal = pendingSignal ?? sig;
  });
}

// ------------------------------------------------------------------ options

function usage() {
  return `usage: node server.mjs [--bind HOST:PORT] [--user USER --pass PASS (or SURREAL_USER/SURREAL_PASS)] [--storage memory|surrealkv:PATH]
                      [--log-level error|warn|info|debug|trace] [--unauthenticated]
                      [--tls-cert CERT.pem --tls-key KEY.pem]  (https:// and wss:// on the same port)`;
}

function parseArgs(argv) {
  // SURREAL_USER / SURREAL_PASS as `surreal start` reads them: a secret in the environment is
  // readable by its owner only, unlike the command line.
  const opts = { bind: '127.0.0.1:8000', user: process.env.SURREAL_USER || null, pass: process.env.SURREAL_PASS || null,
    storage: 'memory', logLevel: 'info', unauthenticated: false, tlsCert: null, tlsKey: null };
  const names = { '--bind': 'bind', '-b': 'bind', '--user': 'user', '-u': 'user', '--pass': 'pass', '-p': 'pass',
    '--storage': 'storage', '--log-level': 'logLevel', '--log': 'logLevel', '-l': 'logLevel',
    // The names `surreal start` uses for the same thing (--web-crt / --web-key there).
    '--tls-cert': 'tlsCert', '--web-crt': 'tlsCert', '--tls-key': 'tlsKey', '--web-key': 'tlsKey' };
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    let v;
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq > 0) { v = a.slice(eq + 1); a = a.slice(0, eq); }
    if (a === '--help' || a === '-h') { process.stdout.write(usage() + '\n'); process.exit(0); }
    if (a === '--unauthenticated') { opts.unauthenticated = true; continue; }
    const key = names[a];
    if (!key) {
      // `surreal start`-style positional storage path (e.g. `memory`, `surrealkv:/x`)
      if (!a.startsWith('-')) { opts.storage = a; continue; }
      throw new Error(`unknown option ${a}\n${usage()}`);
    }
    if (v === undefined) {
      v = argv[++i];
      if (v === undefined) throw new Error(`option ${a} needs a value`);
    }
    opts[key] = v;
  }
  if ((opts.user === null) !== (opts.pass === null)) throw new Error('--user and --pass must be given together');
  if ((opts.tlsCert === null) !== (opts.tlsKey === null)) throw new Error('--tls-cert and --tls-key must be given together');
  return opts;
}

let opts;
let tls = null;
try {
  opts = parseArgs(process.argv.slice(2));
  // Read before the engine starts, so that a wrong path fails at once with its name.
  if (opts.tlsCert !== null) tls = { cert: fs.readFileSync(opts.tlsCert), key: fs.readFileSync(opts.tlsKey) };
} catch (e) {
  process.stderr.write(`${e.message}\n`);
  process.exit(2);
}

// ------------------------------------------------------------------ logging

const LEVELS = { error: 0, warn: 1, info: 2, debug: 3, trace: 4 };
const logLevel = LEVELS[String(opts.logLevel).toLowerCase()] ?? LEVELS.info;
function log(level, ...msg) {
  if (LEVELS[level] > logLevel) return;
  process.stderr.write(`${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} surreal-local: ${msg.join(' ')}\n`);
}

// `surreal start` runs the engine on mimalloc; the launcher preloads it for us (see README.md).
function engineOnMimalloc() {
  try {
    return /libmimalloc/.test(fs.readFileSync('/proc/self/maps', 'utf8'));
  } catch {
    return false; // no /proc: not Linux, where the question does not arise the same way
  }
}

// ------------------------------------------------------------------ engine

const { SurrealNodeEngine } = loadBinding();
const endpoint = storageEndpoint(opts.storage);
const native = await SurrealNodeEngine.connect(endpoint, undefined);
let engineReady = false;
let shuttingDown = false;

const hex = (b) => Buffer.from(b).toString('hex');
const newUuid = () => Buffer.from(crypto.randomUUID().replace(/-/g, ''), 'hex');

// A session's id is encoded once (every request names its session), keyed by the id's buffer,
// which lives as long as the session.
const encodedIds = new WeakMap();
function encodedUuid(bytes16) {
  let raw = encodedIds.get(bytes16);
  if (!raw) {
    raw = new Raw(encode(uuidTag(bytes16)));
    encodedIds.set(bytes16, raw);
  }
  return raw;
}

/** Raw engine call. Returns {result: Buffer} or {error: Buffer|Map}. Never throws. */
async function engineCall(method, paramsRaw, sessionId, txnRaw) {
  const req = new Map();
  req.set('method', method);
  req.set('params', paramsRaw instanceof Raw ? paramsRaw : new Raw(encode(paramsRaw ?? [])));
  if (sessionId) req.set('session', encodedUuid(sessionId));
  if (txnRaw) req.set('txn', new Raw(txnRaw));
  let out;
  try {
    out = toBuffer(await native.execute(encode(req)));
  } catch (e) {
    // The binding throws (instead of returning an error map) when it cannot
    // decode the request or encode the result.
    const msg = String(e?.message ?? e);
    log('debug', `engine threw on ${method}: ${msg}`);
    if (/invalid request/i.test(msg)) return { error: E.invalidRequest() };
    return { error: E.rpcError(-32700, 'Validation', msg, { kind: 'Parse' }) };
  }
  return classify(out);
}

// A one-entry map whose key is the text "error": the only shape of an engine error.
const ERROR_HEAD = Buffer.from([0xa1, 0x65, ...Buffer.from('error')]);

/** The engine returns either the bare result or {"error": {code, kind, message, ...}}. */
function classify(out) {
  // Only a map that starts like an error (or an indefinite-length map) is looked into: a record
  // is a map too, and need not be walked to be passed on.
  const maybeError = out[0] === 0xbf || (out[0] === 0xa1 && out.length > ERROR_HEAD.length
    && out.compare(ERROR_HEAD, 0, ERROR_HEAD.length, 0, ERROR_HEAD.length) === 0);
  if (maybeError) {
    try {
      const entries = splitMap(out);
      if (entries && entries.length === 1 && entries[0].key === 'error') {
        const inner = decode(entries[0].raw);
        if (inner instanceof Map && inner.has('code') && inner.has('message')) return { error: entries[0].raw };
      }
    } catch { /* fall through: treat as result */ }
  }
  return { result: out };
}

const V = (v) => new Raw(encode(v));

// The engine's own default session is reserved for server-internal work
// (bootstrap, /export, /import), serialised through this lock.
let internalLock = Promise.resolve();
function withInternal(fn) {
  const p = internalLock.then(fn);
  internalLock = p.catch(() => {});
  return p;
}

const versionString = decode((await engineCall('version', [], null)).result);

// Initial root user, like `surreal start --user --pass`: created only when no root user exists.
if (opts.user !== null) {
  await withInternal(async () => {
    const info = await engineCall('query', ['INFO FOR ROOT'], null);
    if (info.error) throw new Error('INFO FOR ROOT failed');
    const users = decode(info.result)[0]?.get('result')?.get('users');
    if (!(users instanceof Map) || users.size === 0) {
      const name = '`' + opts.user.replace(/\\/g, '\\\\').replace(/`/g, '\\`') + '`';
      const r = await engineCall('query', [`DEFINE USER ${name} ON ROOT PASSWORD ${JSON.stringify(opts.pass)} ROLES OWNER`], null);
      const st = r.result && decode(r.result)[0];
      if (r.error || st?.get('status') !== 'OK') throw new Error(`cannot create root user: ${st?.get('result')}`);
      log('info', `created initial root user '${opts.user}'`);
    }
  });
}

// ------------------------------------------------------------------ sessions & routing

const ANON_OK = new Set(['ping', 'version', 'use', 'signin', 'signup', 'authenticate', 'invalidate', 'reset',
  'let', 'set', 'unset', 'refresh', 'revoke', 'attach', 'detach', 'sessions', 'health']);
const KNOWN = new Set(['ping', 'version', 'info', 'use', 'signup', 'signin', 'authenticate', 'refresh', 'revoke',
  'invalidate', 'reset', 'let', 'set', 'unset', 'query', 'live', 'kill', 'select', 'create', 'insert',
  'insert_relation', 'update', 'upsert', 'merge', 'patch', 'delete', 'relate', 'run', 'attach', 'detach',
  'sessions', 'begin', 'commit', 'cancel', 'graphql', 'health']);
// State-changing methods: on one WebSocket they wait for every earlier request
// and every later request waits for them (reads still run concurrently).
const BARRIER = new Set(['use', 'signin', 'signup', 'authenticate', 'invalidate', 'reset', 'let', 'set', 'unset',
  'attach', 'detach', 'begin', 'commit', 'cancel', 'refresh', 'revoke']);

const engineSessions = new Map(); // engine session hex -> SessionState
const liveOwners = new Map(); // live query hex -> SessionState

class Ctx {
  constructor(transport) {
    this.transport = transport; // 'ws' | 'http'
    this.id = crypto.randomUUID();
    this.default = null;
    this.sessions = new Map(); // client session hex -> SessionState
    this.txns = new Set();
    this.closed = false;
    this.send = null;
  }
  get http() { return this.transport === 'http'; }
  allSessions() { return [this.default, ...this.sessions.values()].filter(Boolean); }
}

class SessionState {
  constructor(ctx, clientId) {
    this.ctx = ctx;
    this.clientId = clientId; // Buffer(16) or null for the default session
    this.engineId = newUuid();
    this.authed = false;
    this.lives = new Set();
  }
}

async function createSession(ctx, clientId) {
  const st = new SessionState(ctx, clientId);
  const r = await engineCall('attach', [], st.engineId);
  if (r.error) return { error: r.error };
  engineSessions.set(hex(st.engineId), st);
  return { state: st };
}

async function destroySession(st) {
  for (const lq of st.lives) {
    liveOwners.delete(lq);
    await engineCall('kill', [uuidTag(Buffer.from(lq, 'hex'))], st.engineId);
  }
  st.lives.clear();
  engineSessions.delete(hex(st.engineId));
  await engineCall('detach', [], st.engineId);
}

function registerLive(st, lqValue) {
  const b = uuidBytes(lqValue);
  if (!b) return;
  liveOwners.set(hex(b), st);
  st.lives.add(hex(b));
}

function forgetLive(lqHex) {
  const st = liveOwners.get(lqHex);
  if (st) st.lives.delete(lqHex);
  liveOwners.delete(lqHex);
}

async function teardownCtx(ctx) {
  ctx.closed = true;
  for (const t of ctx.txns) await engineCall('cancel', [uuidTag(Buffer.from(t, 'hex'))], null);
  ctx.txns.clear();
  for (const st of ctx.allSessions()) await destroySession(st);
  ctx.sessions.clear();
}

// Applies Authorization / Surreal-NS / Surreal-DB headers to a session, like the
// server's HTTP middleware. Throws {status: 401} for invalid credentials.
// SurrealDB reads these with HeaderValue::to_str(), which accepts visible ASCII (and tab) only;
// anything else is a 400, never a namespace or database spelled some other way. (Node hands
// header bytes over as Latin-1, so UTF-8 would otherwise select a different name.)
const NAME_HEADERS = ['surreal-ns', 'surreal-db', 'ns', 'db', 'surreal-auth-ns', 'surreal-auth-db'];
const VISIBLE_ASCII = /^[\t\x20-\x7e]*$/;

function checkNameHeaders(headers) {
  for (const name of NAME_HEADERS) {
    const v = headers[name];
    if (v !== undefined && !VISIBLE_ASCII.test(v)) {
      throw { status: 400, message: `Invalid header '${name}': only visible ASCII characters are allowed` };
    }
  }
}

async function applyHeaders(st, headers) {
  checkNameHeaders(headers);
  const auth = headers.authorization;
  const authNs = headers['surreal-auth-ns'];
  const authDb = headers['surreal-auth-db'];
  if (auth) {
    const m = /^(\w+)\s+(.*)$/.exec(auth.trim());
    const scheme = m?.[1].toLowerCase();
    let r;
    if (scheme === 'basic') {
      const text = Buffer.from(m[2].trim(), 'base64').toString('utf8');
      const colon = text.indexOf(':');
      if (colon < 0 || (authDb && !authNs)) throw { status: 401 };
      const creds = { user: text.slice(0, colon), pass: text.slice(colon + 1) };
      if (authNs) creds.ns = authNs;
      if (authDb) creds.db = authDb;
      r = await engineCall('signin', [creds], st.engineId);
    } else if (scheme === 'bearer') {
      r = await engineCall('authenticate', [m[2].trim()], st.engineId);
    } else {
      throw { status: 401 };
    }
    if (r.error) throw { status: 401 };
    st.authed = true;
  }
  const ns = headers['surreal-ns'] ?? headers.ns;
  const db = headers['surreal-db'] ?? headers.db;
  if (ns !== undefined || db !== undefined) {
    const r = await engineCall('use', [ns ?? NONE, db ?? NONE], st.engineId);
    if (r.error) throw { status: 400, message: 'Invalid Surreal-NS / Surreal-DB header' };
  }
}

async function setupCtx(ctx, headers) {
  const r = await createSession(ctx, null);
  if (r.error) throw new Error('cannot attach an engine session');
  ctx.default = r.state;
  try {
    await applyHeaders(r.state, headers);
  } catch (e) {
    await teardownCtx(ctx);
    throw e;
  }
}

// ------------------------------------------------------------------ request envelope

const ID_TAGS = new Set([0, 9, 10, 12, 37]);
function validId(v) {
  if (v === null || v === UNDEFINED) return true;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'string') return true;
  if (v instanceof Tagged) return ID_TAGS.has(v.tag) || v.tag === 6;
  return false;
}

/** Returns {fail: errMap} or an envelope {idRaw?, method, paramsRaw, session?, txn?}. */
function parseEnvelope(buf) {
  let entries;
  try {
    entries = splitMap(buf);
  } catch {
    return { fail: E.parseError() };
  }
  if (!entries) return { fail: E.invalidRequest() };
  const env = { idRaw: null, method: null, paramsRaw: null, session: null, txn: null };
  try {
    for (const e of entries) {
      switch (e.key) {
        case 'id': {
          const v = decode(e.raw);
          if (!validId(v)) return { fail: E.invalidRequest() };
          if (!isNone(v)) env.idRaw = e.raw;
          break;
        }
        case 'method': {
          const v = decode(e.raw);
          if (typeof v !== 'string') return { fail: E.invalidRequest() };
          env.method = v;
          break;
        }
        case 'params':
          if ((e.raw[0] >> 5) === 4) env.paramsRaw = e.raw;
          break;
        case 'session':
        case 'txn': {
          const v = decode(e.raw);
          if (v === null || v === UNDEFINED || isNone(v)) break;
          const b = uuidBytes(v);
          if (!b) return { fail: E.invalidRequest() };
          env[e.key] = b;
          break;
        }
        case 'version': {
          const v = decode(e.raw);
          if (!(v === null || isNone(v) || v === 1 || v === 2)) return { fail: E.invalidRequest() };
          break;
        }
        default:
          break;
      }
    }
  } catch {
    return { fail: E.invalidRequest() };
  }
  if (env.method === null) return { fail: E.invalidRequest() };
  if (!env.paramsRaw) env.paramsRaw = encode([]);
  return env;
}

function envelope(idRaw, res, sessionId) {
  const m = new Map();
  if (res.error) m.set('error', res.error instanceof Map ? res.error : new Raw(res.error));
  if (idRaw) m.set('id', new Raw(idRaw));
  if (!res.error) m.set('result', new Raw(res.result));
  if (sessionId) m.set('session', uuidTag(sessionId));
  return encode(m);
}

// ------------------------------------------------------------------ dispatch

async function dispatch(ctx, env) {
  const m = env.method;
  if (shuttingDown) return { error: E.shuttingDown() };

  if (m === 'attach' || m === 'detach' || m === 'sessions') {
    if (ctx.http) return { error: E.methodNotFound(m) };
    if (m === 'sessions') return { result: encode([...ctx.sessions.values()].map((s) => uuidTag(s.clientId))) };
    if (!env.session) return engineCall(m, new Raw(env.paramsRaw), null); // engine: "Expected a session ID"
    const key = hex(env.session);
    if (m === 'attach') {
      if (ctx.sessions.has(key)) return { error: E.sessionExists(uuidString(env.session)) };
      const r = await createSession(ctx, env.session);
      if (r.error) return { error: r.error };
      if (opts.unauthenticated) r.state.authed = true;
      ctx.sessions.set(key, r.state);
      return { result: encode(NONE) };
    }
    const st = ctx.sessions.get(key);
    if (st) {
      ctx.sessions.delete(key);
      await destroySession(st);
    }
    return { result: encode(NONE) };
  }

  let st = ctx.default;
  if (env.session) {
    if (ctx.http) return { error: E.sessionNotFound(uuidString(env.session)) };
    st = ctx.sessions.get(hex(env.session));
    if (!st) return { error: E.sessionNotFound(uuidString(env.session)) };
  }

  if (KNOWN.has(m) && !st.authed && !opts.unauthenticated && !ANON_OK.has(m)) {
    return { error: E.anonymousNotAllowed() };
  }
  if (ctx.http) {
    if (m === 'begin' || m === 'commit' || m === 'cancel') return { error: E.methodNotFound(m) };
    if (m === 'live') return { error: E.liveNotSupported() };
  }

  // Transactions: a connection may only use the transactions it began. Foreign
  // or unknown ids are replaced by a fresh id so the engine answers with its own
  // "Transaction not found" error.
  let txnRaw = null;
  if (env.txn) txnRaw = encode(uuidTag(ctx.txns.has(hex(env.txn)) ? env.txn : newUuid()));
  let paramsRaw = env.paramsRaw;
  let ownedTxn = null;
  if (m === 'commit' || m === 'cancel') {
    let params = [];
    try { params = decode(paramsRaw); } catch { /* engine reports */ }
    const last = params[params.length - 1];
    if (last instanceof Tagged && last.tag === 37) {
      const b = uuidBytes(last);
      if (b && ctx.txns.has(hex(b))) ownedTxn = hex(b);
      else paramsRaw = encode([...params.slice(0, -1), uuidTag(newUuid())]);
    }
  }

  const res = await engineCall(m, new Raw(paramsRaw), st.engineId, txnRaw);
  if (ownedTxn) ctx.txns.delete(ownedTxn);
  if (res.error) return res;

  switch (m) {
    case 'signin':
    case 'signup':
    case 'authenticate':
      st.authed = true;
      break;
    case 'invalidate':
      st.authed = false;
      break;
    case 'reset':
      st.authed = false;
      for (const lq of [...st.lives]) forgetLive(lq); // the engine removed them
      break;
    case 'begin': {
      const b = uuidBytes(decode(res.result));
      if (b) ctx.txns.add(hex(b));
      break;
    }
    case 'live':
      registerLive(st, decode(res.result));
      break;
    case 'kill': {
      let params = [];
      try { params = decode(env.paramsRaw); } catch { /* ignore */ }
      const b = uuidBytes(params[0]);
      // Keep the owner a moment so the engine's KILLED notification (which
      // carries no session) can still be routed.
      if (b) setTimeout(() => forgetLive(hex(b)), 2000).unref();
      break;
    }
    case 'query':
      return mayStartLive(env.paramsRaw) ? postQuery(ctx, st, res) : res;
    default:
      break;
  }
  return res;
}

// Only a query whose text says LIVE can start a live query (variables cannot hold statements),
// so the results of every other query go back without being walked: for a 100-record INSERT
// that walk was most of this thread's work.
function mayStartLive(paramsRaw) {
  try {
    const text = firstElement(paramsRaw);
    return typeof text !== 'string' || /live/i.test(text);
  } catch {
    return true;
  }
}

// Registers live queries started through LIVE SELECT (entries of type "live");
// over HTTP they are killed again and reported as unsupported, like the server.
async function postQuery(ctx, st, res) {
  let items;
  try {
    items = splitArray(res.result);
  } catch {
    return res;
  }
  if (!items) return res;
  let changed = false;
  const out = [];
  for (const raw of items) {
    let entry = new Raw(raw);
    try {
      const entries = splitMap(raw);
      const get = (k) => entries?.find((e) => e.key === k);
      const type = get('type');
      const status = get('status');
      if (type && status && decode(type.raw) === 'live' && decode(status.raw) === 'OK') {
        const lq = decode(get('result').raw);
        if (ctx.http) {
          const b = uuidBytes(lq);
          if (b) await engineCall('kill', [uuidTag(b)], st.engineId);
          entry = E.liveNotSupportedEntry(new Raw(get('time').raw));
          changed = true;
        } else {
          registerLive(st, lq);
        }
      }
    } catch { /* leave the entry alone */ }
    out.push(entry);
  }
  return changed ? { result: encode(out) } : res;
}

// ------------------------------------------------------------------ notifications

async function notificationLoop(rx) {
  for (;;) {
    let v;
    try {
      v = await rx.recv();
    } catch (e) {
      log('warn', `notification channel error: ${e.message}`);
      return;
    }
    if (v === null || v === undefined) return;
    try {
      routeNotification(toBuffer(v));
    } catch (e) {
      log('warn', `cannot route notification: ${e.message}`);
    }
  }
}

function routeNotification(buf) {
  const entries = splitMap(buf);
  if (!entries) return;
  const get = (k) => entries.find((e) => e.key === k);
  const idE = get('id');
  const lq = idE ? uuidBytes(decode(idE.raw)) : null;
  if (!lq) return;
  const lqHex = hex(lq);
  const sessE = get('session');
  const sess = sessE ? uuidBytes(decode(sessE.raw)) : null;
  const action = get('action') ? decode(get('action').raw) : null;
  // Route by the engine session (always set except on KILLED), else by live id.
  let st = sess ? engineSessions.get(hex(sess)) : liveOwners.get(lqHex);
  if (!st && !sess) st = null;
  if (action === 'KILLED') forgetLive(lqHex);
  if (!st || st.ctx.closed || !st.ctx.send) {
    log('trace', `dropped notification for live query ${uuidString(lq)}`);
    return;
  }
  const clientSession = st.clientId ? encodedUuid(st.clientId) : NONE;
  const inner = new Map();
  for (const e of entries) {
    if (e.key === 'session') inner.set('session', clientSession);
    else inner.set(e.key, new Raw(e.raw));
  }
  if (!inner.has('session')) inner.set('session', clientSession);
  const msg = new Map();
  msg.set('result', inner);
  if (st.clientId) msg.set('session', clientSession);
  st.ctx.send(encode(msg));
}

const rx = await native.notifications();
const notificationsDone = notificationLoop(rx);

// ------------------------------------------------------------------ HTTP helpers

function httpError(res, status, information, details = 'Request problems dectected') {
  const body = JSON.stringify({
    code: status,
    details,
    description: 'There is a problem with your request. Refer to the documentation for further information.',
    information,
  });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function unauthorized(res) {
  const body = 'There was a problem with authentication';
  res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function readBody(req, limit) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > limit) {
        reject(Object.assign(new Error('Payload too large'), { status: 413 }));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const mediaType = (v) => (v ? String(v).split(';')[0].trim().toLowerCase() : null);

/** Runs fn(ctx) inside a short-lived engine session built from the request headers. */
async function withHttpSession(req, res, fn) {
  const ctx = new Ctx('http');
  try {
    await setupCtx(ctx, req.headers);
  } catch (e) {
    if (e?.status === 401) return unauthorized(res);
    if (e?.status === 400) return httpError(res, 400, e.message);
    throw e;
  }
  if (opts.unauthenticated) ctx.default.authed = true;
  try {
    return await fn(ctx);
  } finally {
    await teardownCtx(ctx);
  }
}

async function sessionNsDb(st) {
  const r = await engineCall('query', ['RETURN [$session.ns, $session.db, $auth]'], st.engineId);
  if (r.error) return [null, null, null];
  const [ns, db, auth] = decode(r.result)[0].get('result');
  const s = (v) => (typeof v === 'string' ? v : null);
  return [s(ns), s(db), auth];
}

async function handleRpcPost(req, res) {
  const ct = mediaType(req.headers['content-type']);
  if (!ct) return httpError(res, 400, 'Missing Content-Type header');
  if (ct !== 'application/cbor') {
    return httpError(res, 415, `Unsupported media type ${ct}: this server speaks application/cbor only`, 'Unsupported media type');
  }
  const accept = mediaType(req.headers.accept);
  if (accept && accept !== 'application/cbor') {
    return httpError(res, 415, `Accept must be application/cbor, got ${accept}`, 'Unsupported media type');
  }
  const body = await readBody(req, 4 * 1024 * 1024);
  const env = parseEnvelope(body);
  if (env.fail) return httpError(res, 400, env.fail.get('message'));
  await withHttpSession(req, res, async (ctx) => {
    let r;
    try {
      r = await dispatch(ctx, env);
    } catch (e) {
      log('error', `HTTP rpc ${env.method} failed: ${e.stack ?? e}`);
      r = { error: E.internal(String(e.message ?? e)) };
    }
    const out = envelope(null, r, null);
    res.writeHead(200, { 'content-type': 'application/cbor', 'content-length': out.length });
    res.end(out);
  });
}

function forbidden(res) {
  httpError(res, 403, 'IAM error: Not enough permissions to perform this action', 'Not allowed to do this');
}

async function handleExport(req, res) {
  let config = encode(new Map());
  if (req.method === 'POST') {
    const body = await readBody(req, 1024 * 1024);
    if (body.length > 0) {
      const ct = mediaType(req.headers['content-type']);
      try {
        if (ct === 'application/cbor') { decode(body); config = body; } else config = encode(JSON.parse(body.toString('utf8')));
      } catch (e) {
        return httpError(res, 400, `Invalid export configuration: ${e.message}`);
      }
    }
  }
  await withHttpSession(req, res, async (ctx) => {
    const st = ctx.default;
    if (!st.authed) return forbidden(res);
    const [ns, db, auth] = await sessionNsDb(st);
    if (auth !== null && auth !== undefined && !isNone(auth)) return forbidden(res); // record users
    if (!ns || !db) return httpError(res, 400, 'Specify a namespace and database (Surreal-NS / Surreal-DB)');
    let sql;
    try {
      sql = await withInternal(async () => {
        const u = await engineCall('use', [ns, db], null);
        if (u.error) throw new Error('cannot select namespace/database');
        return native.export(config);
      });
    } catch (e) {
      return httpError(res, 400, String(e.message ?? e));
    }
    const out = Buffer.from(sql, 'utf8');
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': out.length });
    res.end(out);
  });
}

async function handleImport(req, res) {
  const body = await readBody(req, 4 * 1024 * 1024 * 1024);
  await withHttpSession(req, res, async (ctx) => {
    const st = ctx.default;
    if (!st.authed) return forbidden(res);
    const [ns, db, auth] = await sessionNsDb(st);
    if (auth !== null && auth !== undefined && !isNone(auth)) return forbidden(res);
    if (!ns || !db) return httpError(res, 400, 'Specify a namespace and database (Surreal-NS / Surreal-DB)');
    try {
      await withInternal(async () => {
        const u = await engineCall('use', [ns, db], null);
        if (u.error) throw new Error('cannot select namespace/database');
        await native.import(body.toString('utf8'));
      });
    } catch (e) {
      return httpError(res, 400, String(e.message ?? e));
    }
    res.writeHead(200, { 'content-length': 0 });
    res.end();
  });
}

async function handleHttp(req, res) {
  const url = new URL(req.url, 'http://localhost');
  const path = url.pathname.replace(/\/+$/, '') || '/';
  log('trace', `${req.method} ${path}`);
  const simple = async (status, body, type = 'text/plain; charset=utf-8') => {
    if (req.headers.authorization) {
      let ok = true;
      await withHttpSession(req, res, async () => {}).catch(() => { ok = false; });
      if (res.headersSent) return; // 401 already sent
      if (!ok) return unauthorized(res);
    }
    res.writeHead(status, body ? { 'content-type': type, 'content-length': Buffer.byteLength(body) } : { 'content-length': 0 });
    res.end(body ?? undefined);
  };
  switch (path) {
    case '/health':
      if (req.method !== 'GET' && req.method !== 'HEAD') break;
      if (!engineReady) return httpError(res, 500, 'Health check failed', 'Internal server error');
      return simple(200, '');
    case '/status':
      if (req.method !== 'GET' && req.method !== 'HEAD') break;
      return simple(200, '');
    case '/version':
      if (req.method !== 'GET') break;
      return simple(200, versionString);
    case '/rpc':
      if (req.method === 'POST') return handleRpcPost(req, res);
      if (req.method === 'GET') return httpError(res, 426, 'Upgrade to WebSocket required', 'Upgrade required');
      break;
    case '/export':
      if (req.method === 'GET' || req.method === 'POST') return handleExport(req, res);
      break;
    case '/import':
      if (req.method === 'POST') return handleImport(req, res);
      break;
    default:
      return httpError(res, 404, `No route for ${req.method} ${path}`, 'Not found');
  }
  return httpError(res, 405, `Method ${req.method} not allowed on ${path}`, 'Method not allowed');
}

// ------------------------------------------------------------------ WebSocket

const wss = new WebSocketServer({
  noServer: true,
  maxPayload: 128 * 1024 * 1024,
  perMessageDeflate: false,
  // Only `cbor` is spoken. A client offering no subprotocol is accepted and
  // spoken to in CBOR too; a client offering only other formats gets no
  // subprotocol selected (standard clients then fail the handshake).
  handleProtocols: (protocols) => (protocols.has('cbor') ? 'cbor' : false),
});

const connections = new Set();
const BINARY = { binary: true };

function onConnection(ws, ctx) {
  const conn = { ws, ctx, closed: null };
  connections.add(conn);
  log('debug', `ws ${ctx.id} connected (subprotocol '${ws.protocol || 'none'}')`);
  ctx.send = (buf) => {
    if (ws.readyState === WebSocket.OPEN) ws.send(buf, BINARY);
  };
  let barrier = Promise.resolve();
  // True while no state-changing call is waiting or running: a request then starts at once
  // instead of one promise hop later (the order of engine calls is the same either way).
  let barrierSettled = true;
  const inflight = new Set();

  // Never rejects: the ordering chain below relies on it.
  const run = async (env) => {
    let r;
    try {
      r = await dispatch(ctx, env);
    } catch (e) {
      log('error', `rpc ${env.method} failed: ${e.stack ?? e}`);
      r = { error: E.internal(String(e.message ?? e)) };
    }
    try {
      ctx.send(envelope(env.idRaw, r, env.session));
    } catch (e) {
      log('warn', `cannot send reply to ${ctx.id}: ${e.message}`);
    }
  };

  ws.on('message', (data) => {
    const buf = toBuffer(data);
    const env = parseEnvelope(buf);
    if (env.fail) {
      log('debug', `ws ${ctx.id}: undecodable request: ${env.fail.get('message')}`);
      ctx.send(envelope(null, { error: env.fail }, null));
      return;
    }
    if (logLevel >= LEVELS.trace) log('trace', `ws ${ctx.id}: ${env.method}`);
    if (BARRIER.has(env.method)) {
      const before = [barrier, ...inflight];
      const mine = Promise.allSettled(before).then(() => run(env));
      barrier = mine;
      barrierSettled = false;
      mine.then(() => { if (barrier === mine) barrierSettled = true; });
    } else {
      const p = barrierSettled ? run(env) : barrier.then(() => run(env));
      inflight.add(p);
      p.then(() => inflight.delete(p));
    }
  });

  const ping = setInterval(() => {
    if (ws.readyState === WebSocket.OPEN) ws.ping();
  }, 5000);
  ping.unref();

  ws.on('error', (e) => log('debug', `ws ${ctx.id} error: ${e.message}`));
  ws.on('close', (code) => {
    clearInterval(ping);
    ctx.closed = true;
    log('debug', `ws ${ctx.id} closed (${code})`);
    conn.closed = Promise.allSettled([barrier, ...inflight])
      .then(() => teardownCtx(ctx))
      .catch((e) => log('warn', `cleanup of ${ctx.id} failed: ${e.message}`))
      .finally(() => connections.delete(conn));
  });
}

function rejectUpgrade(socket, status, text, body = '') {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

// ------------------------------------------------------------------ server

const onRequest = (req, res) => {
  handleHttp(req, res).catch((e) => {
    log('error', `HTTP ${req.method} ${req.url} failed: ${e.stack ?? e}`);
    if (!res.headersSent) httpError(res, e?.status ?? 500, String(e?.message ?? e), 'Internal server error');
    else res.destroy();
  });
};
// With a certificate, HTTPS and WSS share the port as they do on `surreal start --web-crt`.
let server;
try {
  server = tls ? https.createServer({ cert: tls.cert, key: tls.key }, onRequest) : http.createServer(onRequest);
} catch (e) {
  process.stderr.write(`cannot use --tls-cert/--tls-key: ${e.message}\n`);
  process.exit(2);
}
// A client that refuses our certificate ends the handshake; that is its verdict, not our failure.
server.on('tlsClientError', (e) => log('debug', `TLS handshake failed: ${e.message}`));

server.on('upgrade', (req, socket, head) => {
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname.replace(/\/+$/, '') !== '/rpc') return rejectUpgrade(socket, 404, 'Not Found');
  if (shuttingDown) return rejectUpgrade(socket, 503, 'Service Unavailable', 'The server is gracefully shutting down');
  const sid = req.headers['surreal-id'];
  if (sid !== undefined && !uuidBytes(sid)) return rejectUpgrade(socket, 400, 'Bad Request', 'Invalid Surreal-Id header');
  const ctx = new Ctx('ws');
  setupCtx(ctx, req.headers).then(() => {
    if (opts.unauthenticated) ctx.default.authed = true;
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, ctx));
  }, (e) => {
    if (e?.status === 401) return rejectUpgrade(socket, 401, 'Unauthorized', 'There was a problem with authentication');
    if (e?.status === 400) return rejectUpgrade(socket, 400, 'Bad Request', e.message);
    log('error', `upgrade failed: ${e?.stack ?? e}`);
    rejectUpgrade(socket, 500, 'Internal Server Error');
  });
});

function parseBind(bind) {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(bind) ?? /^([^:]*):(\d+)$/.exec(bind);
  if (m) return { host: m[1] || '0.0.0.0', port: Number(m[2]) };
  if (/^\d+$/.test(bind)) return { host: '127.0.0.1', port: Number(bind) };
  throw new Error(`invalid --bind ${bind}`);
}

const { host, port } = parseBind(opts.bind);
await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(port, host, resolve);
});
engineReady = true;
shutdownImpl = shutdown;
const addr = server.address();
const shown = addr.family === 'IPv6' || addr.family === 6 ? `[${addr.address}]:${addr.port}` : `${addr.address}:${addr.port}`;
// "listening on HOST:PORT" first, as every caller parses it; a TLS server says so after it.
const tlsNote = tls ? ` (TLS: https://${shown}, wss://${shown}/rpc)` : '';
process.stdout.write(`listening on ${shown}${tlsNote}\n`);
log('info', `${versionString} (${endpoint}) listening on ${shown}${tlsNote}; auth ${opts.unauthenticated ? 'disabled' : 'enforced'}`);
if (!engineOnMimalloc()) {
  log('warn', 'the engine runs on the C library\'s malloc (start through tools/surreal-local/surreal-local with '
    + 'libmimalloc installed to get the allocator `surreal start` uses): bulk writes run about a third slower');
}

async function shutdown(signal) {
  if (shuttingDown) return;
  shuttingDown = true;
  log('info', `received ${signal}, shutting down`);
  server.close();
  for (const c of connections) {
    try { c.ws.close(1001, 'Server shutting down'); } catch { /* ignore */ }
  }
  const deadline = new Promise((r) => setTimeout(r, 3000).unref());
  const closing = Promise.all([...connections].map((c) => new Promise((r) => {
    if (c.ws.readyState === WebSocket.CLOSED) return r();
    c.ws.once('close', r);
  })));
  await Promise.race([closing, deadline]);
  for (const c of connections) if (c.ws.readyState !== WebSocket.CLOSED) c.ws.terminate();
  await Promise.race([Promise.allSettled([...connections].map((c) => c.closed)), deadline]);
  server.closeAllConnections?.();
  try {
    await internalLock;
    await native.free(); // drops the datastore: flushes and closes persistent storage
  } catch (e) {
    log('warn', `engine close: ${e.message}`);
  }
  await Promise.race([notificationsDone, new Promise((r) => setTimeout(r, 200).unref())]);
  log('info', 'bye');
  process.exit(0);
}
if (pendingSignal) shutdown(pendingSignal);
