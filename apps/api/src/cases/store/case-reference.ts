import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // 32 symbols: no 0/O or 1/I to misread

/**
 * A case reference such as NLN-7KQ2-M9XD: random (40 bits), so a reference says nothing about when a
 * report arrived or how many came before it.
 */
export function newCaseReference(): string {
  const chars = Array.from(randomBytes(8), (b) => ALPHABET[b % 32]).join('');
  return `NLN-${chars.slice(0, 4)}-${chars.slice(4)}`;
}
