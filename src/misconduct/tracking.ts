/**
 * Tracking codes (查询码) for complainants: 16 characters of Crockford base32 (80 random bits),
 * shown once in groups of four and stored only as a SHA-256. Reading back forgives case,
 * spaces, dashes and the letters people confuse with digits (O for 0, I and L for 1).
 *
 * @example
 * const code = newTrackingCode();        // 'K7QM-2XHD-9RTB-W3PN'
 * trackingHash('k7qm 2xhd 9rtb w3pn') === trackingHash(code) // true
 */
import { randomBytes } from 'node:crypto';
import { sha256 } from '../platform/hash.ts';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const TRACKING_CODE_LENGTH = 16;

/** A fresh code, grouped for reading: XXXX-XXXX-XXXX-XXXX. */
export function newTrackingCode(): string {
  const bytes = randomBytes(10);
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let out = '';
  for (let i = 0; i < TRACKING_CODE_LENGTH; i++) {
    out = ALPHABET[Number(bits & 31n)] + out;
    bits >>= 5n;
  }
  return out.match(/.{4}/g)!.join('-');
}

/** The code as typed, reduced to its 16 characters; null when it cannot be a code. */
export function normalizeTrackingCode(input: string): string | null {
  const s = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (s.length !== TRACKING_CODE_LENGTH) return null;
  for (const ch of s) if (!ALPHABET.includes(ch)) return null;
  return s;
}

/** What is stored: the SHA-256 of the normalized code (null for something that is not a code). */
export function trackingHash(input: string): string | null {
  const n = normalizeTrackingCode(input);
  return n ? sha256(`neikong-tracking:${n}`) : null;
}
