// Loads the native SurrealDB engine shipped in @surrealdb/node.
//
// The package's JS entry point only exports an SDK engine wrapper (NodeEngine)
// which hides the native object and reshapes notifications. We need the raw
// binding (SurrealNodeEngine: execute/notifications/export/import/free), so we
// locate the prebuilt .node file inside the package and require it directly.

import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);

function isMusl() {
  if (process.platform !== 'linux') return false;
  try {
    return fs.readFileSync('/usr/bin/ldd', 'utf8').includes('musl');
  } catch {
    const report = process.report?.getReport?.();
    return !(report && report.header && report.header.glibcVersionRuntime);
  }
}

function candidates() {
  const { platform, arch } = process;
  if (platform === 'linux') return [`linux-${arch}-${isMusl() ? 'musl' : 'gnu'}`];
  if (platform === 'darwin') return ['darwin-universal', `darwin-${arch}`];
  if (platform === 'win32') return [`win32-${arch}-msvc`];
  return [`${platform}-${arch}`];
}

export function loadBinding() {
  if (process.env.NAPI_RS_NATIVE_LIBRARY_PATH) return require(process.env.NAPI_RS_NATIVE_LIBRARY_PATH);
  const dir = path.dirname(fileURLToPath(import.meta.resolve('@surrealdb/node')));
  const errors = [];
  for (const c of candidates()) {
    const file = path.join(dir, `surrealdb-node.${c}.node`);
    if (!fs.existsSync(file)) { errors.push(`${file}: missing`); continue; }
    try {
      return require(file);
    } catch (e) {
      errors.push(`${file}: ${e.message}`);
    }
  }
  throw new Error(`Cannot load the @surrealdb/node native engine for ${process.platform}-${process.arch}:\n${errors.join('\n')}`);
}

/** Maps the --storage flag to the engine endpoint string. */
export function storageEndpoint(storage) {
  if (!storage || storage === 'memory' || storage === 'mem' || storage.startsWith('mem:')) return 'memory';
  const m = /^([a-z+]+):(?:\/\/)?(.+)$/.exec(storage);
  if (!m) throw new Error(`Unsupported --storage value: ${storage} (use memory or surrealkv:PATH)`);
  const [, scheme, p] = m;
  if (!['surrealkv', 'surrealkv+versioned', 'rocksdb'].includes(scheme)) {
    throw new Error(`Unsupported storage engine: ${scheme}`);
  }
  return `${scheme}://${path.resolve(p)}`;
}
