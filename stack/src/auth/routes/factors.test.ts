// TOTP as GoTrue checks it, against RFC 6238's own test vector and an independent HOTP (RFC 4226)
// written here with node:crypto, so the library is not checked against itself.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'vitest';
import { otpauthUri, qrSvg, totpCodeValid } from './factors.ts';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(bytes: Buffer): string {
  let bits = '';
  for (const b of bytes) bits += b.toString(2).padStart(8, '0');
  let out = '';
  for (let i = 0; i < bits.length; i += 5) out += BASE32[parseInt(bits.slice(i, i + 5).padEnd(5, '0'), 2)];
  return out;
}

function hotp(key: Buffer, counter: number, digits = 6): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(msg).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const bin = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return String(bin).padStart(digits, '0');
}

const KEY = Buffer.from('12345678901234567890');
const SECRET = base32(KEY);

test('the RFC 6238 SHA-1 vector (T = 59 s → 94287082, six digits 287082) is accepted', () => {
  assert.equal(hotp(KEY, 1, 8), '94287082');
  assert.equal(totpCodeValid(SECRET, '287082', 59_000), true);
});

test('one 30-second step of skew either way, not two (pquerna/otp Skew: 1)', () => {
  const now = 1_800_000_015_000; // 15 s into a step
  const step = Math.floor(now / 30_000);
  assert.equal(totpCodeValid(SECRET, hotp(KEY, step), now), true);
  assert.equal(totpCodeValid(SECRET, hotp(KEY, step - 1), now), true);
  assert.equal(totpCodeValid(SECRET, hotp(KEY, step + 1), now), true);
  assert.equal(totpCodeValid(SECRET, hotp(KEY, step - 2), now), false);
  assert.equal(totpCodeValid(SECRET, hotp(KEY, step + 2), now), false);
});

test('anything but six digits is refused before any comparison', () => {
  const now = 1_800_000_015_000;
  const code = hotp(KEY, Math.floor(now / 30_000));
  for (const bad of ['', `${code}0`, code.slice(1), ` ${code.slice(1)}`, 'abcdef']) assert.equal(totpCodeValid(SECRET, bad, now), false, bad);
});

test('the otpauth URI carries issuer, account and secret as pquerna/otp writes them', () => {
  const uri = new URL(otpauthUri('127.0.0.1:3000', 'ada@example.com', SECRET));
  assert.equal(uri.protocol, 'otpauth:');
  assert.equal(decodeURIComponent(uri.pathname), '/127.0.0.1:3000:ada@example.com');
  assert.equal(uri.searchParams.get('secret'), SECRET);
  assert.equal(uri.searchParams.get('issuer'), '127.0.0.1:3000');
  assert.deepEqual([uri.searchParams.get('algorithm'), uri.searchParams.get('digits'), uri.searchParams.get('period')], ['SHA1', '6', '30']);
});

test('the QR code is an SVG document', () => {
  const svg = qrSvg('otpauth://totp/x:y?secret=ABC');
  assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.match(svg, /<\/svg>$/);
});
