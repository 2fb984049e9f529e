#!/usr/bin/env node
// encodings.js: the bytes that the JavaScript WAMP peers we interoperate
// with put on the wire for everyday JavaScript values, for wampgo's codec
// corpus (codec/testdata/peer_encodings_js.json, checked by
// codec/peer_corpus_test.go).
//
// Usage: node encodings.js > ../../codec/testdata/peer_encodings_js.json
//
// Each value below travels as the only argument of a PUBLISH (and a few as
// the kwargs or inside a larger message), encoded by each peer library's
// own serializer object, configured as the library configures it:
//   wampy.js     msgpack  wampy's MsgpackSerializer: msgpackr pack()
//   wampy.js     cbor     wampy's CborSerializer: a cbor-x Encoder with
//                         wampy's options (useRecords false, mapsAsObjects,
//                         int64AsNumber, largeBigIntToFloat)
//   autobahn-js  msgpack  autobahn's MsgpackSerializer: msgpack5 with
//                         forceFloat64
//   autobahn-js  cbor     autobahn's CBORSerializer: the cbor package's
//                         encodeAsync with its defaults
//   msgpack-lite msgpack  msgpack-lite's encode() with its defaults: not a
//                         WAMP peer's, but fox-wamp's MessagePack library
//                         (for its own protocol), and so a likely one for
//                         a JavaScript WAMP router; its Date and typed
//                         arrays are application extensions (types 13, 17..)
// A value a library cannot encode is listed with the library's error and
// no bytes: such a value never reaches the wire.
//
// The output is deterministic (fixed values, fixed order): a change means
// a library or this file changed.
'use strict'

const path = require('path')

// autobahn logs each encoding error, with its stack, through console.warn
// (bound when it loads); the sample records the error.
console.warn = () => {}

const MODULES = path.join(__dirname, '..', 'router', 'node_modules')
const mod = (name) => require(path.join(MODULES, name))

const { MsgpackSerializer: WampyMsgpack } = mod('wampy/dist/cjs/serializers/msgpack-serializer.cjs')
const { CborSerializer: WampyCBOR } = mod('wampy/dist/cjs/serializers/cbor-serializer.cjs')
const autobahnSerializers = mod('autobahn/lib/serializer.js')

const version = (name) => mod(name + '/package.json').version

// The serializers, each with the name of its peer and library.
function serializers () {
  const wm = new WampyMsgpack()
  const wc = new WampyCBOR()
  const am = new autobahnSerializers.MsgpackSerializer()
  const ac = new autobahnSerializers.CBORSerializer()
  const ml = mod('msgpack-lite')
  return [
    { peer: 'wampy.js ' + version('wampy'), codec: 'msgpack', library: 'msgpackr ' + version('msgpackr'), encode: (m) => wm.encode(m) },
    { peer: 'wampy.js ' + version('wampy'), codec: 'cbor', library: 'cbor-x ' + version('cbor-x'), encode: (m) => wc.encode(m) },
    { peer: 'autobahn-js ' + version('autobahn'), codec: 'msgpack', library: 'msgpack5 ' + version('msgpack5'), encode: (m) => am.serialize(m) },
    { peer: 'autobahn-js ' + version('autobahn'), codec: 'cbor', library: 'cbor ' + version('cbor'), encode: (m) => ac.serialize(m) },
    { peer: 'none (fox-wamp ' + version('fox-wamp') + "'s library)", codec: 'msgpack', library: 'msgpack-lite ' + version('msgpack-lite'), encode: (m) => ml.encode(m) }
  ]
}

// records returns n objects of the same shape, the case for which cbor-x
// and msgpackr have record ("structure") extensions.
function records (n) {
  return Array.from({ length: n }, (_, i) => ({ id: i, name: 'sensor-' + i, value: i * 1.5, ok: i % 2 === 0 }))
}

// values: [name, description, value]. The name is the key of the value
// the Go test expects.
const values = [
  ['null', 'null', null],
  ['true', 'true', true],
  ['false', 'false', false],
  ['undefined', '[undefined] (undefined as a list element)', [undefined]],
  ['undefined-kwarg', '{a: undefined, b: 1}', { a: undefined, b: 1 }],
  ['zero', '0', 0],
  ['negative-zero', '-0', -0],
  ['int-small', '[1, -1, 127, 128, -32, -33, 255, 256, -129]', [1, -1, 127, 128, -32, -33, 255, 256, -129]],
  ['int-32', '[65535, 65536, 2147483647, 2147483648, -2147483648, -2147483649, 4294967295, 4294967296]',
    [65535, 65536, 2147483647, 2147483648, -2147483648, -2147483649, 4294967295, 4294967296]],
  ['max-safe-integer', 'Number.MAX_SAFE_INTEGER (2^53-1)', Number.MAX_SAFE_INTEGER],
  ['min-safe-integer', 'Number.MIN_SAFE_INTEGER', Number.MIN_SAFE_INTEGER],
  ['two-pow-53', '2 ** 53', 2 ** 53],
  ['two-pow-64', '2 ** 64 (a Number)', 2 ** 64],
  ['float', '1.5', 1.5],
  ['float-tenth', '0.1', 0.1],
  ['float-large', '1e300', 1e300],
  ['float-tiny', '5e-324', 5e-324],
  ['nan', 'NaN', NaN],
  ['infinity', 'Infinity', Infinity],
  ['negative-infinity', '-Infinity', -Infinity],
  ['bigint-small', '5n', 5n],
  ['bigint-2-pow-53-plus-1', '2n ** 53n + 1n', 2n ** 53n + 1n],
  ['bigint-max-int64', '2n ** 63n - 1n', 2n ** 63n - 1n],
  ['bigint-min-int64', '-(2n ** 63n)', -(2n ** 63n)],
  ['bigint-max-uint64', '2n ** 64n - 1n', 2n ** 64n - 1n],
  ['bigint-2-pow-64', '2n ** 64n', 2n ** 64n],
  ['bigint-below-min-int64', '-(2n ** 63n) - 1n', -(2n ** 63n) - 1n],
  ['date-epoch', 'new Date(0)', new Date(0)],
  ['date-seconds', 'new Date(1700000000000)', new Date(1700000000000)],
  ['date-millis', 'new Date(1234)', new Date(1234)],
  ['date-now', 'new Date(1700000000123)', new Date(1700000000123)],
  ['date-2106', 'new Date(2 ** 32 * 1000) (past the 32-bit form)', new Date(2 ** 32 * 1000)],
  ['date-before-epoch', 'new Date(-1)', new Date(-1)],
  ['date-1900', 'new Date(Date.UTC(1900, 0, 1))', new Date(Date.UTC(1900, 0, 1))],
  ['date-2600', 'new Date(Date.UTC(2600, 0, 1, 0, 0, 0, 5)) (past the 64-bit form)', new Date(Date.UTC(2600, 0, 1, 0, 0, 0, 5))],
  ['date-max', 'new Date(8.64e15) (the latest Date)', new Date(8.64e15)],
  ['date-min', 'new Date(-8.64e15) (the earliest Date)', new Date(-8.64e15)],
  ['date-invalid', 'new Date(NaN) (an invalid Date)', new Date(NaN)],
  ['date-kwarg', '{at: new Date(1700000000123)}', { at: new Date(1700000000123) }],
  ['uint8array', 'new Uint8Array([1, 2, 3])', new Uint8Array([1, 2, 3])],
  ['uint8array-empty', 'new Uint8Array(0)', new Uint8Array(0)],
  ['buffer', 'Buffer.from([0, 255])', Buffer.from([0, 255])],
  ['arraybuffer', 'new Uint8Array([7, 8]).buffer', new Uint8Array([7, 8]).buffer],
  ['int16array', 'new Int16Array([1, -1])', new Int16Array([1, -1])],
  ['float32array', 'new Float32Array([1.5])', new Float32Array([1.5])],
  ['float64array', 'new Float64Array([1])', new Float64Array([1])],
  ['string-empty', "''", ''],
  ['string-ascii', "'hello'", 'hello'],
  ['string-bmp', "'héllo wörld ✓'", 'héllo wörld ✓'],
  ['string-astral', "'\\u{1F600}\\u{1D11E}' (outside the BMP)", '\u{1F600}\u{1D11E}'],
  ['string-nul-led', "'\\u0000abc' (NUL first, not base64)", '\u0000abc'],
  ['string-nul-base64', "'\\u0000AQID' (NUL first, then base64: JSON's binary convention)", '\u0000AQID'],
  ['string-long', "'x'.repeat(300)", 'x'.repeat(300)],
  ['string-lone-surrogate', "'\\uD800' (a lone surrogate, as '\\u{1F600}'.slice(0, 1) makes)", '\uD800'],
  ['object-empty', '{}', {}],
  ['array-empty', '[]', []],
  ['nested', "{a: {b: [1, {c: null}], d: []}, e: 'f'}", { a: { b: [1, { c: null }], d: [] }, e: 'f' }],
  ['object-many-keys', '{k0: 0, ..., k19: 19} (more keys than a fixmap holds)',
    Object.fromEntries(Array.from({ length: 20 }, (_, i) => ['k' + i, i]))],
  ['records-100', '100 objects {id, name, value, ok} of the same shape', records(100)],
  ['map-string-keys', "new Map([['a', 1], ['b', 'two']])", new Map([['a', 1], ['b', 'two']])],
  ['map-number-keys', "new Map([[1, 'one']])", new Map([[1, 'one']])],
  ['set', "new Set([1, 'x'])", new Set([1, 'x'])],
  ['regexp', '/ab+c/i', /ab+c/i],
  ['error', "new Error('boom')", new Error('boom')]
]

// messages: [name, description, message]: whole messages a peer sends.
const messages = [
  ['call-kwargs', "CALL [48, 7, {}, 'com.example.log', [], {at: new Date(1700000000123), id: 2n ** 53n + 1n, data: Uint8Array [1, 2], note: undefined}]",
    [48, 7, {}, 'com.example.log', [], { at: new Date(1700000000123), id: 2n ** 53n + 1n, data: new Uint8Array([1, 2]), note: undefined }]],
  ['yield-records', "YIELD [70, 9, {}, [records(40)]]", [70, 9, {}, [records(40)]]],
  ['event-date', 'EVENT [36, 5512, 4429, {}, [new Date(0), new Date(1234)], {at: new Date(-1)}]',
    [36, 5512, 4429, {}, [new Date(0), new Date(1234)], { at: new Date(-1) }]],
  // IDs of global scope are random in [1, 2^53]: a JavaScript router
  // writes them as Numbers, which msgpackr and cbor-x write as 64-bit
  // floats from 2^32 on.
  ['event-large-ids', 'EVENT [36, 5512315355, 4429313566, {}, []]', [36, 5512315355, 4429313566, {}, []]]
]

async function main () {
  const samples = []
  for (const s of serializers()) {
    const add = async (name, description, msg) => {
      const sample = { peer: s.peer, codec: s.codec, library: s.library, name, description }
      try {
        sample.hex = Buffer.from(await s.encode(msg)).toString('hex')
      } catch (e) {
        sample.peer_error = String(e.message).split('\n')[0]
      }
      samples.push(sample)
    }
    for (const [name, description, value] of values) {
      // msgpack-lite writes an Error with its stack, which names this
      // machine's paths.
      if (s.library.startsWith('msgpack-lite') && name === 'error') continue
      await add(name, "PUBLISH [16, 1, {}, 'com.peer.values', [" + description + ']]',
        [16, 1, {}, 'com.peer.values', [value]])
    }
    for (const [name, description, msg] of messages) {
      await add(name, description, msg)
    }
  }
  process.stdout.write(JSON.stringify({ generator: 'testdata/peers/encodings.js', samples }, null, 1) + '\n')
}

main().catch((e) => { process.stderr.write(String(e.stack || e) + '\n'); process.exit(1) })
