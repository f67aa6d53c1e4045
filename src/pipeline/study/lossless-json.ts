/**
 * JSON that gives back exactly what was written, so results saved by one process (a shard, a
 * checkpoint) are bit for bit those another process computes with. Plain JSON loses NaN, ±Infinity
 * and −0 (written as null or 0) and turns typed arrays into objects; here they are tagged:
 *   NaN, ±Infinity, −0     → {"$number": "NaN" | "Infinity" | "-Infinity" | "-0"}
 *   Float64Array etc.      → {"$typed": "Float64Array", "base64": <the array's bytes, little-endian>}
 *   Map                    → {"$map": [[key, value], …]}
 *   undefined in an array  → {"$undefined": true}
 * Finite numbers stay JSON numbers (JavaScript prints the shortest text that parses back to the same
 * double). Anything else that JSON would change — functions, class instances, Dates — is refused
 * with the path to it. Object keys starting with "$" are reserved for the tags.
 */

const TYPED_ARRAYS = {
  Float64Array,
  Float32Array,
  Int32Array,
  Uint32Array,
  Int16Array,
  Uint16Array,
  Int8Array,
  Uint8Array,
} as const;
type TypedArrayName = keyof typeof TYPED_ARRAYS;
type TypedArray = InstanceType<(typeof TYPED_ARRAYS)[TypedArrayName]>;

const littleEndian = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
if (!littleEndian) throw new Error('lossless JSON stores typed arrays little-endian; this machine is big-endian');

function typedArrayName(value: object): TypedArrayName | undefined {
  return (Object.keys(TYPED_ARRAYS) as TypedArrayName[]).find((name) => value instanceof TYPED_ARRAYS[name]);
}

function encodeValue(value: unknown, path: string): unknown {
  if (typeof value === 'number') {
    if (Number.isFinite(value) && !Object.is(value, -0)) return value;
    return { $number: Object.is(value, -0) ? '-0' : String(value) };
  }
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value !== 'object')
    throw new TypeError(`lossless JSON: ${path} is a ${typeof value}, which JSON cannot hold`);
  // Array.from visits holes too (map would skip them)
  if (Array.isArray(value))
    return Array.from(value, (v, i) => (v === undefined ? { $undefined: true } : encodeValue(v, `${path}[${i}]`)));
  const typed = ArrayBuffer.isView(value) ? typedArrayName(value) : undefined;
  if (typed) {
    const array = value as TypedArray;
    return { $typed: typed, base64: Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64') };
  }
  if (value instanceof Map)
    return {
      $map: [...value].map(([k, v], i) => [
        encodeValue(k, `${path}.key${i}`),
        encodeValue(v, `${path}.get(${String(k)})`),
      ]),
    };
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) {
    throw new TypeError(
      `lossless JSON: ${path} is a ${prototype?.constructor?.name ?? 'class instance'}, not plain data`,
    );
  }
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key.startsWith('$')) throw new TypeError(`lossless JSON: ${path}.${key}: keys starting with "$" are reserved`);
    if (v !== undefined) out[key] = encodeValue(v, `${path}.${key}`);
  }
  return out;
}

function decodeValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    value.forEach((v, i) => {
      if (!(isObject(v) && v.$undefined === true)) out[i] = decodeValue(v);
    });
    return out;
  }
  const object = value as Record<string, unknown>;
  if (typeof object.$number === 'string') return object.$number === '-0' ? -0 : Number(object.$number);
  if (typeof object.$typed === 'string') {
    const Type = TYPED_ARRAYS[object.$typed as TypedArrayName];
    if (!Type || typeof object.base64 !== 'string')
      throw new SyntaxError(`lossless JSON: bad typed array tag ${JSON.stringify(object.$typed)}`);
    const bytes = Buffer.from(object.base64, 'base64');
    // copy into a fresh, aligned buffer
    const buffer = new ArrayBuffer(bytes.length);
    new Uint8Array(buffer).set(bytes);
    return new Type(buffer);
  }
  if (Array.isArray(object.$map))
    return new Map((object.$map as [unknown, unknown][]).map(([k, v]) => [decodeValue(k), decodeValue(v)]));
  return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, decodeValue(v)]));
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** `value` as JSON text that decodeLossless turns back into an identical value (indented by `space`, as JSON.stringify). */
export function encodeLossless(value: unknown, space?: number): string {
  return JSON.stringify(encodeValue(value, '$'), null, space);
}

/** The value encodeLossless wrote. Throws SyntaxError on text that is not JSON. */
export function decodeLossless(text: string): unknown {
  return decodeValue(JSON.parse(text));
}
