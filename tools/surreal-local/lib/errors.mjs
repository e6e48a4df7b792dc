// RPC error objects shaped like SurrealDB 3.0.2's
// {cause, code, details?, kind, message} (keys in the server's sorted order).

import { NONE } from './cbor.mjs';

export function rpcError(code, kind, message, details) {
  const e = new Map();
  e.set('cause', NONE);
  e.set('code', code);
  if (details !== undefined) e.set('details', details);
  e.set('kind', kind);
  e.set('message', message);
  return e;
}

const d = (kind, details) => (details === undefined ? { kind } : { details, kind });

export const parseError = () => rpcError(-32700, 'Validation', 'Parse error', d('Parse'));
export const invalidRequest = () => rpcError(-32600, 'Validation', 'Invalid request', d('InvalidRequest'));
export const invalidParams = (msg) => rpcError(-32603, 'Validation', msg, d('InvalidParams'));
export const methodNotFound = (name) => rpcError(-32601, 'NotFound', 'Method not found', d('Method', { name }));
export const sessionNotFound = (id) => rpcError(-32000, 'NotFound', `Session not found: ${id}`, d('Session', { id }));
export const sessionExists = (id) => rpcError(-32000, 'AlreadyExists', `Session already exists: ${id}`, d('Session', { id }));
export const liveNotSupported = () =>
  rpcError(-32604, 'Configuration', 'Unable to perform the realtime query', d('LiveQueryNotSupported'));
export const shuttingDown = () => rpcError(-32000, 'Internal', 'The server is gracefully shutting down');
export const internal = (msg) => rpcError(-32000, 'Internal', msg);

// What SurrealDB's datastore raises when an anonymous session runs a query while
// authentication is enabled and guest access is not allowed
// (IamError::NotAllowed { actor: "anonymous", action: "process", resource: "query" }).
export const anonymousNotAllowed = () =>
  rpcError(
    -32002,
    'NotAllowed',
    'IAM error: Not enough permissions to perform this action',
    d('Auth', d('NotAllowed', { action: 'process', actor: 'anonymous', resource: 'query' })),
  );

// Per-statement error entry for a LIVE statement over HTTP.
export function liveNotSupportedEntry(timeRaw) {
  const m = new Map();
  m.set('details', d('LiveQueryNotSupported'));
  m.set('kind', 'Configuration');
  m.set('result', 'Unable to perform the realtime query');
  m.set('status', 'ERR');
  m.set('time', timeRaw);
  m.set('type', NONE);
  return m;
}
