// A plain SHA-256 in JavaScript (FIPS 180-4), written for Bantin's benchmark:
// the baseline the widget's WASM proof-of-work solver is compared against.
// It is a straightforward, reasonably tuned implementation (typed arrays, one
// reused message schedule, no allocation per hash); nothing clever.
// Loaded as a classic script by bench/pages/sha256.html and by Node
// (bench/browser.mjs checks it against node:crypto before measuring).

(function (global) {
  'use strict';

  // The constants are derived, not typed in: the first 32 bits of the
  // fractional parts of the square roots (H0) and cube roots (K) of the first
  // primes. Checked against known digests by the self-test.
  function primes(n) {
    const out = [];
    for (let c = 2; out.length < n; c++) {
      if (out.every((p) => c % p !== 0)) out.push(c);
    }
    return out;
  }
  function frac32(x) {
    return Math.floor((x - Math.floor(x)) * 4294967296) | 0;
  }
  const P = primes(64);
  const K = new Int32Array(P.map((p) => frac32(Math.cbrt(p))));
  const H0 = new Int32Array(P.slice(0, 8).map((p) => frac32(Math.sqrt(p))));

  const W = new Int32Array(64);

  // One 64-byte block at `off` of `bytes` into the state `h` (Int32Array(8)).
  function compress(h, bytes, off) {
    for (let i = 0; i < 16; i++) {
      const j = off + i * 4;
      W[i] = (bytes[j] << 24) | (bytes[j + 1] << 16) | (bytes[j + 2] << 8) | bytes[j + 3];
    }
    for (let i = 16; i < 64; i++) {
      const a = W[i - 15];
      const b = W[i - 2];
      const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
      const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
      W[i] = (W[i - 16] + s0 + W[i - 7] + s1) | 0;
    }
    let a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const ch = (e & f) ^ (~e & g);
      const t1 = (k + S1 + ch + K[i] + W[i]) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (S0 + maj) | 0;
      k = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h[0] = (h[0] + a) | 0;
    h[1] = (h[1] + b) | 0;
    h[2] = (h[2] + c) | 0;
    h[3] = (h[3] + d) | 0;
    h[4] = (h[4] + e) | 0;
    h[5] = (h[5] + f) | 0;
    h[6] = (h[6] + g) | 0;
    h[7] = (h[7] + k) | 0;
  }

  // Digest of the first `len` bytes of `bytes` into `h` (Int32Array(8)).
  // `scratch` must hold at least len + 72 bytes; it is overwritten.
  function digestInto(h, bytes, len, scratch) {
    h.set(H0);
    const blocks = Math.ceil((len + 9) / 64);
    const total = blocks * 64;
    if (scratch !== bytes) scratch.set(bytes.subarray(0, len));
    scratch.fill(0, len, total);
    scratch[len] = 0x80;
    const bits = len * 8;
    scratch[total - 4] = bits >>> 24;
    scratch[total - 3] = (bits >>> 16) & 255;
    scratch[total - 2] = (bits >>> 8) & 255;
    scratch[total - 1] = bits & 255;
    scratch[total - 5] = Math.floor(bits / 4294967296) & 255;
    for (let off = 0; off < total; off += 64) compress(h, scratch, off);
    return h;
  }

  function hex(h) {
    let s = '';
    for (let i = 0; i < 8; i++) s += (h[i] >>> 0).toString(16).padStart(8, '0');
    return s;
  }

  function sha256Hex(text) {
    const bytes = new TextEncoder().encode(text);
    const scratch = new Uint8Array(bytes.length + 72);
    return hex(digestInto(new Int32Array(8), bytes, bytes.length, scratch));
  }

  // A proof-of-work solver in the widget's format: finds `number` in
  // start..end with hex(SHA-256(salt + number)) == challenge. Returns
  // {number, hashes} (number -1 when not found in the range).
  function solveRange(salt, challenge, start, end) {
    const saltBytes = new TextEncoder().encode(salt);
    const buf = new Uint8Array(saltBytes.length + 96);
    buf.set(saltBytes);
    const target = new Int32Array(8);
    for (let i = 0; i < 8; i++) target[i] = parseInt(challenge.slice(i * 8, i * 8 + 8), 16) | 0;
    const h = new Int32Array(8);
    const digits = new Uint8Array(20);
    for (let n = start; n < end; n++) {
      // Decimal digits of n after the salt, without building a string.
      let len = saltBytes.length;
      let m = n;
      let d = 0;
      do {
        digits[d++] = 48 + (m % 10);
        m = Math.floor(m / 10);
      } while (m > 0);
      while (d > 0) buf[len++] = digits[--d];
      digestInto(h, buf, len, buf);
      if (h[0] === target[0] && h[1] === target[1] && h[2] === target[2] && h[3] === target[3] &&
          h[4] === target[4] && h[5] === target[5] && h[6] === target[6] && h[7] === target[7]) {
        return { number: n, hashes: n - start + 1 };
      }
    }
    return { number: -1, hashes: end - start };
  }

  const api = { sha256Hex, solveRange };
  if (typeof module === 'object' && module.exports) module.exports = api;
  else global.benchSha256 = api;
})(typeof globalThis !== 'undefined' ? globalThis : this);
