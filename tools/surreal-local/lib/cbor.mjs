// Minimal CBOR (RFC 8949) reader/writer used by the server.
//
// The server never re-encodes user data: requests and engine results are
// spliced as raw byte slices. This module only needs to
//   * walk items to find their byte boundaries (skip),
//   * decode small envelope values (ids, methods, session UUIDs, query result
//     metadata) into plain JS values,
//   * encode envelopes around raw slices.

export class CborError extends Error {}

/** A tagged value (tag number + content). */
export class Tagged {
  constructor(tag, value) {
    this.tag = tag;
    this.value = value;
  }
}

/** Pre-encoded CBOR bytes, inserted verbatim by encode(). */
export class Raw {
  constructor(bytes) {
    this.bytes = toBuffer(bytes);
  }
}

/** CBOR `undefined` (simple value 23). */
export const UNDEFINED = Symbol('cbor.undefined');

const MAX_DEPTH = 512;

// One decoder for every text string: constructing a TextDecoder per string cost more than the
// decoding (each request's keys and method name went through it). decode() without `stream`
// starts afresh each call, so sharing it is safe.
const utf8 = new TextDecoder('utf-8', { fatal: true });

function need(buf, pos, n) {
  if (pos + n > buf.length) throw new CborError('Unexpected end of CBOR data');
}

// Reads the argument of an initial byte. Returns [value(number|bigint|null for indefinite), newPos].
function readArg(buf, pos, info) {
  if (info < 24) return [info, pos];
  switch (info) {
    case 24: need(buf, pos, 1); return [buf[pos], pos + 1];
    case 25: need(buf, pos, 2); return [buf.readUInt16BE(pos), pos + 2];
    case 26: need(buf, pos, 4); return [buf.readUInt32BE(pos), pos + 4];
    case 27: {
      need(buf, pos, 8);
      const v = buf.readBigUInt64BE(pos);
      return [v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v, pos + 8];
    }
    case 31: return [null, pos];
    default: throw new CborError(`Invalid CBOR additional info ${info}`);
  }
}

function lenOf(v) {
  if (typeof v === 'bigint') throw new CborError('CBOR length too large');
  return v;
}

/** Returns the position just after the item starting at pos. */
export function skip(buf, pos = 0, depth = 0) {
  if (depth > MAX_DEPTH) throw new CborError('CBOR nesting too deep');
  need(buf, pos, 1);
  const ib = buf[pos++];
  const major = ib >> 5;
  const info = ib & 31;
  if (major === 7) {
    if (info < 24) return pos;
    if (info === 24) { need(buf, pos, 1); return pos + 1; }
    if (info === 25) { need(buf, pos, 2); return pos + 2; }
    if (info === 26) { need(buf, pos, 4); return pos + 4; }
    if (info === 27) { need(buf, pos, 8); return pos + 8; }
    throw new CborError('Unexpected CBOR break or reserved simple value');
  }
  let arg;
  [arg, pos] = readArg(buf, pos, info);
  switch (major) {
    case 0: case 1:
      if (arg === null) throw new CborError('Indefinite integer');
      return pos;
    case 2: case 3:
      if (arg === null) {
        for (;;) {
          need(buf, pos, 1);
          if (buf[pos] === 0xff) return pos + 1;
          if ((buf[pos] >> 5) !== major) throw new CborError('Bad indefinite string chunk');
          pos = skip(buf, pos, depth + 1);
        }
      }
      need(buf, pos, lenOf(arg));
      return pos + arg;
    case 4:
      if (arg === null) {
        for (;;) {
          need(buf, pos, 1);
          if (buf[pos] === 0xff) return pos + 1;
          pos = skip(buf, pos, depth + 1);
        }
      }
      for (let i = 0; i < lenOf(arg); i++) pos = skip(buf, pos, depth + 1);
      return pos;
    case 5:
      if (arg === null) {
        for (;;) {
          need(buf, pos, 1);
          if (buf[pos] === 0xff) return pos + 1;
          pos = skip(buf, pos, depth + 1);
          pos = skip(buf, pos, depth + 1);
        }
      }
      for (let i = 0; i < lenOf(arg); i++) {
        pos = skip(buf, pos, depth + 1);
        pos = skip(buf, pos, depth + 1);
      }
      return pos;
    case 6:
      if (arg === null) throw new CborError('Indefinite tag');
      return skip(buf, pos, depth + 1);
    default:
      throw new CborError('Unreachable');
  }
}

function halfToFloat(h) {
  const s = (h & 0x8000) ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

/** Decodes the item at pos. Returns [value, endPos]. Maps become JS Map objects. */
export function decodeAt(buf, pos = 0, depth = 0) {
  if (depth > MAX_DEPTH) throw new CborError('CBOR nesting too deep');
  need(buf, pos, 1);
  const ib = buf[pos++];
  const major = ib >> 5;
  const info = ib & 31;
  if (major === 7) {
    switch (info) {
      case 20: return [false, pos];
      case 21: return [true, pos];
      case 22: return [null, pos];
      case 23: return [UNDEFINED, pos];
      case 24: need(buf, pos, 1); return [new Tagged(-1, buf[pos]), pos + 1];
      case 25: need(buf, pos, 2); return [halfToFloat(buf.readUInt16BE(pos)), pos + 2];
      case 26: need(buf, pos, 4); return [buf.readFloatBE(pos), pos + 4];
      case 27: need(buf, pos, 8); return [buf.readDoubleBE(pos), pos + 8];
      default:
        if (info < 20) return [new Tagged(-1, info), pos];
        throw new CborError('Unexpected CBOR break or reserved simple value');
    }
  }
  let arg;
  [arg, pos] = readArg(buf, pos, info);
  switch (major) {
    case 0:
      if (arg === null) throw new CborError('Indefinite integer');
      return [arg, pos];
    case 1:
      if (arg === null) throw new CborError('Indefinite integer');
      return [typeof arg === 'bigint' ? -1n - arg : -1 - arg, pos];
    case 2: case 3: {
      let bytes;
      if (arg === null) {
        const parts = [];
        for (;;) {
          need(buf, pos, 1);
          if (buf[pos] === 0xff) { pos++; break; }
          if ((buf[pos] >> 5) !== major) throw new CborError('Bad indefinite string chunk');
          const [chunkLen, p2] = readArg(buf, pos + 1, buf[pos] & 31);
          if (chunkLen === null) throw new CborError('Nested indefinite string');
          need(buf, p2, lenOf(chunkLen));
          parts.push(buf.subarray(p2, p2 + chunkLen));
          pos = p2 + chunkLen;
        }
        bytes = Buffer.concat(parts);
      } else {
        need(buf, pos, lenOf(arg));
        bytes = buf.subarray(pos, pos + arg);
        pos += arg;
      }
      if (major === 2) return [Buffer.from(bytes), pos];
      const text = utf8.decode(bytes);
      return [text, pos];
    }
    case 4: {
      const out = [];
      if (arg === null) {
        for (;;) {
          need(buf, pos, 1);
          if (buf[pos] === 0xff) return [out, pos + 1];
          let v;
          [v, pos] = decodeAt(buf, pos, depth + 1);
          out.push(v);
        }
      }
      for (let i = 0; i < lenOf(arg); i++) {
        let v;
        [v, pos] = decodeAt(buf, pos, depth + 1);
        out.push(v);
      }
      return [out, pos];
    }
    case 5: {
      const out = new Map();
      const one = () => {
        let k, v;
        [k, pos] = decodeAt(buf, pos, depth + 1);
        [v, pos] = decodeAt(buf, pos, depth + 1);
        out.set(k, v);
      };
      if (arg === null) {
        for (;;) {
          need(buf, pos, 1);
          if (buf[pos] === 0xff) return [out, pos + 1];
          one();
        }
      }
      for (let i = 0; i < lenOf(arg); i++) one();
      return [out, pos];
    }
    case 6: {
      if (arg === null) throw new CborError('Indefinite tag');
      let v;
      [v, pos] = decodeAt(buf, pos, depth + 1);
      return [new Tagged(Number(arg), v), pos];
    }
    default:
      throw new CborError('Unreachable');
  }
}

/** Decodes one complete item (trailing bytes are an error). */
export function decode(buf) {
  buf = toBuffer(buf);
  const [v, end] = decodeAt(buf, 0);
  if (end !== buf.length) throw new CborError('Trailing bytes after CBOR item');
  return v;
}

export function toBuffer(b) {
  if (Buffer.isBuffer(b)) return b;
  if (b instanceof ArrayBuffer) return Buffer.from(b);
  if (ArrayBuffer.isView(b)) return Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  if (Array.isArray(b)) return Buffer.concat(b.map(toBuffer));
  throw new TypeError('Expected bytes');
}

/**
 * Splits a top-level CBOR map into entries without decoding the values.
 * Returns null if the item is not a map. Each entry: {key (decoded), keyRaw, raw (value bytes)}.
 * Throws CborError if the data is not well-formed CBOR or has trailing bytes.
 */
export function splitMap(buf) {
  buf = toBuffer(buf);
  need(buf, 0, 1);
  if ((buf[0] >> 5) !== 5) {
    const end = skip(buf, 0); // validates the whole item
    if (end !== buf.length) throw new CborError('Trailing bytes after CBOR item');
    return null;
  }
  // One walk: skipping each value validates it, as a separate validating pass did before.
  let [count, pos] = readArg(buf, 1, buf[0] & 31);
  const entries = [];
  const one = () => {
    const kStart = pos;
    let key;
    [key, pos] = decodeAt(buf, pos, 1);
    const vStart = pos;
    pos = skip(buf, pos, 1);
    entries.push({ key, keyRaw: buf.subarray(kStart, vStart), raw: buf.subarray(vStart, pos) });
  };
  if (count === null) {
    for (;;) {
      need(buf, pos, 1);
      if (buf[pos] === 0xff) { pos++; break; }
      one();
    }
  } else {
    for (let i = 0; i < lenOf(count); i++) one();
  }
  if (pos !== buf.length) throw new CborError('Trailing bytes after CBOR item');
  return entries;
}

/** Decodes only the first element of a top-level CBOR array; undefined if not an array or empty. */
export function firstElement(buf) {
  buf = toBuffer(buf);
  if ((buf[0] >> 5) !== 4) return undefined;
  const [count, pos] = readArg(buf, 1, buf[0] & 31);
  if (count === 0 || (count === null && buf[pos] === 0xff)) return undefined;
  return decodeAt(buf, pos, 1)[0];
}

/** Splits a top-level CBOR array into raw element slices, or null if not an array. */
export function splitArray(buf) {
  buf = toBuffer(buf);
  if ((buf[0] >> 5) !== 4) return null;
  let [count, pos] = readArg(buf, 1, buf[0] & 31);
  const items = [];
  const one = () => {
    const s = pos;
    pos = skip(buf, pos, 1);
    items.push(buf.subarray(s, pos));
  };
  if (count === null) {
    while (buf[pos] !== 0xff) one();
  } else {
    for (let i = 0; i < count; i++) one();
  }
  return items;
}

// ---------------------------------------------------------------- encoding

// Two passes over the value: its exact size, then the bytes, written into one buffer (one
// allocation per encode instead of one per item plus a concatenation).

function headSize(n) {
  if (typeof n === 'bigint') return 9;
  if (n < 24) return 1;
  if (n < 0x100) return 2;
  if (n < 0x10000) return 3;
  if (n < 0x100000000) return 5;
  return 9;
}

function sizeOf(v) {
  if (v instanceof Raw) return v.bytes.length;
  if (v === null || v === undefined || v === UNDEFINED || v === true || v === false) return 1;
  if (typeof v === 'bigint') return headSize(v >= 0n ? v : -1n - v);
  if (typeof v === 'number') {
    if (Number.isSafeInteger(v)) return headSize(v >= 0 ? v : -1 - v);
    return 9;
  }
  if (typeof v === 'string') {
    const n = Buffer.byteLength(v, 'utf8');
    return headSize(n) + n;
  }
  if (v instanceof Uint8Array) return headSize(v.length) + v.length;
  if (v instanceof Tagged) return headSize(v.tag) + sizeOf(v.value);
  if (Array.isArray(v)) {
    let n = headSize(v.length);
    for (const x of v) n += sizeOf(x);
    return n;
  }
  if (v instanceof Map) {
    let n = headSize(v.size);
    for (const [k, x] of v) n += sizeOf(k) + sizeOf(x);
    return n;
  }
  if (typeof v === 'object') {
    const keys = Object.keys(v).filter((k) => v[k] !== undefined);
    let n = headSize(keys.length);
    for (const k of keys) n += sizeOf(k) + sizeOf(v[k]);
    return n;
  }
  throw new TypeError(`Cannot CBOR-encode ${typeof v}`);
}

function writeHead(buf, pos, major, n) {
  if (typeof n === 'bigint') {
    buf[pos] = (major << 5) | 27;
    buf.writeBigUInt64BE(n, pos + 1);
    return pos + 9;
  }
  if (n < 24) { buf[pos] = (major << 5) | n; return pos + 1; }
  if (n < 0x100) { buf[pos] = (major << 5) | 24; buf[pos + 1] = n; return pos + 2; }
  if (n < 0x10000) { buf[pos] = (major << 5) | 25; buf.writeUInt16BE(n, pos + 1); return pos + 3; }
  if (n < 0x100000000) { buf[pos] = (major << 5) | 26; buf.writeUInt32BE(n, pos + 1); return pos + 5; }
  buf[pos] = (major << 5) | 27;
  buf.writeBigUInt64BE(BigInt(n), pos + 1);
  return pos + 9;
}

function writeItem(v, buf, pos) {
  if (v instanceof Raw) {
    const b = v.bytes;
    buf.set(b, pos);
    return pos + b.length;
  }
  if (v === null) { buf[pos] = 0xf6; return pos + 1; }
  if (v === undefined || v === UNDEFINED) { buf[pos] = 0xf7; return pos + 1; }
  if (v === true) { buf[pos] = 0xf5; return pos + 1; }
  if (v === false) { buf[pos] = 0xf4; return pos + 1; }
  if (typeof v === 'bigint') return v >= 0n ? writeHead(buf, pos, 0, v) : writeHead(buf, pos, 1, -1n - v);
  if (typeof v === 'number') {
    if (Number.isSafeInteger(v)) return v >= 0 ? writeHead(buf, pos, 0, v) : writeHead(buf, pos, 1, -1 - v);
    buf[pos] = 0xfb;
    buf.writeDoubleBE(v, pos + 1);
    return pos + 9;
  }
  if (typeof v === 'string') {
    const n = Buffer.byteLength(v, 'utf8');
    pos = writeHead(buf, pos, 3, n);
    return pos + buf.write(v, pos, n, 'utf8');
  }
  if (v instanceof Uint8Array) {
    pos = writeHead(buf, pos, 2, v.length);
    buf.set(v, pos);
    return pos + v.length;
  }
  if (v instanceof Tagged) return writeItem(v.value, buf, writeHead(buf, pos, 6, v.tag));
  if (Array.isArray(v)) {
    pos = writeHead(buf, pos, 4, v.length);
    for (const x of v) pos = writeItem(x, buf, pos);
    return pos;
  }
  if (v instanceof Map) {
    pos = writeHead(buf, pos, 5, v.size);
    for (const [k, x] of v) pos = writeItem(x, buf, writeItem(k, buf, pos));
    return pos;
  }
  const keys = Object.keys(v).filter((k) => v[k] !== undefined);
  pos = writeHead(buf, pos, 5, keys.length);
  for (const k of keys) pos = writeItem(v[k], buf, writeItem(k, buf, pos));
  return pos;
}

export function encode(v) {
  const buf = Buffer.allocUnsafe(sizeOf(v));
  const end = writeItem(v, buf, 0);
  if (end !== buf.length) throw new Error(`CBOR encoder wrote ${end} of ${buf.length} bytes`);
  return buf;
}

// ---------------------------------------------------------------- helpers

export const NONE = new Tagged(6, null);

export function isNone(v) {
  return v instanceof Tagged && v.tag === 6;
}

/** UUID helpers: SurrealDB sends UUIDs as tag 37 with 16 bytes. */
export function uuidTag(bytes16) {
  return new Tagged(37, Buffer.from(bytes16));
}

export function uuidBytesFromString(s) {
  if (typeof s !== 'string') return null;
  const hex = s.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) return null;
  if (s.length !== 32 && !/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(s)) return null;
  return Buffer.from(hex, 'hex');
}

/** Converts a decoded value (tag 37 bytes, tag 9 text or plain text) to 16 UUID bytes, or null. */
export function uuidBytes(v) {
  if (v instanceof Tagged && v.tag === 37 && v.value instanceof Uint8Array && v.value.length === 16) return Buffer.from(v.value);
  if (v instanceof Tagged && v.tag === 9) return uuidBytesFromString(v.value);
  if (typeof v === 'string') return uuidBytesFromString(v);
  return null;
}

export function uuidString(bytes) {
  const h = Buffer.from(bytes).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Plain-object view of a decoded map (string keys only) for inspection. */
export function mapGet(m, key) {
  return m instanceof Map ? m.get(key) : undefined;
}
