// Reporter receipts: seven words from the EFF long word list, about 90.5 bits, the reporter's only way
// back to their case (docs/architecture.md "The reporter's receipt and pepper"). The API looks a receipt up
// by HMAC(pepper, canonical form) and encrypts the reporter's key under it, so the canonical form must be
// exactly the same however the reporter types the receipt back: any case, any spacing, hyphens or new
// lines between words. A receipt that does not parse gives no hint about which word was wrong.
//
// Four list words contain a hyphen (drop-down, felt-tip, t-shirt, yo-yo). The canonical form joins words
// with '-', so those read as two tokens; normaliseReceipt accepts a token pair as one word when the pair
// is a list word. None of their halves ("drop", "felt", "t", "yo") is itself a list word, so the parse is
// never ambiguous, and the canonical string is the same either way.

import { EFF_LONG_WORDLIST } from './eff-long-wordlist';

export const RECEIPT_WORD_COUNT = 7;

/** Entropy of a receipt in bits: 7 × log2(7776) ≈ 90.47. */
export const RECEIPT_ENTROPY_BITS = RECEIPT_WORD_COUNT * Math.log2(EFF_LONG_WORDLIST.length);

/** Fills an array with cryptographically secure random values, like crypto.getRandomValues. */
export type RandomFill = (array: Uint32Array) => Uint32Array;

const WORD_COUNT = EFF_LONG_WORDLIST.length;
/** The largest multiple of the list length that fits in 32 bits: values at or above it are redrawn. */
const UNBIASED_LIMIT = Math.floor(2 ** 32 / WORD_COUNT) * WORD_COUNT;
/** Generous bound on what a person might paste; the longest receipt is 69 characters. */
const MAX_INPUT_LENGTH = 1000;
const SEPARATORS = /[\s\-_.,;:/\\|+\u2010-\u2015\u2212\u00b7]+/u;

let wordSet: ReadonlySet<string> | undefined;

/**
 * A new receipt in canonical form: seven lower-case list words joined by '-'. Each word is drawn by
 * rejection sampling from 32-bit values of a CSPRNG, so every word is equally likely (no modulo bias).
 * @param fill the random source; globalThis.crypto.getRandomValues unless a test supplies one.
 */
export function generateReceipt(
  fill: RandomFill = (array) => globalThis.crypto.getRandomValues(array),
): string {
  const words: string[] = [];
  const buffer = new Uint32Array(RECEIPT_WORD_COUNT);
  while (words.length < RECEIPT_WORD_COUNT) {
    fill(buffer);
    for (const value of buffer) {
      if (value < UNBIASED_LIMIT && words.length < RECEIPT_WORD_COUNT) {
        words.push(EFF_LONG_WORDLIST[value % WORD_COUNT] as string);
      }
    }
  }
  return words.join('-');
}

/**
 * The canonical form of a receipt as a reporter typed it, or null when it is not seven list words.
 * Accepts any letter case, leading and trailing space, and any mix of spaces, tabs, new lines, hyphens,
 * dashes, underscores, dots, commas and similar separators between words. Says nothing about which word
 * was wrong, by design.
 */
export function normaliseReceipt(input: unknown): string | null {
  return readReceipt(input)?.tokens.join('-') ?? null;
}

/**
 * The seven words of a receipt, as a page shows them to be written down: a hyphenated list word such as
 * "t-shirt" stays one word. Empty when `receipt` is not a receipt.
 */
export function receiptWords(receipt: string): string[] {
  return readReceipt(receipt)?.words ?? [];
}

/** A receipt read once: its tokens (joined by '-', its canonical form) and the seven words they make. */
function readReceipt(input: unknown): { tokens: string[]; words: string[] } | null {
  if (typeof input !== 'string' || input.length > MAX_INPUT_LENGTH) return null;
  const tokens = input
    .normalize('NFKC')
    .toLowerCase()
    .split(SEPARATORS)
    .filter((t) => t !== '');
  if (tokens.length < RECEIPT_WORD_COUNT || tokens.length > RECEIPT_WORD_COUNT * 2) return null;
  if (!tokens.every((t) => /^[a-z]+$/.test(t))) return null;
  const words = readWords(tokens);
  return words?.length === RECEIPT_WORD_COUNT ? { tokens, words } : null;
}

/** Whether `word` is in the EFF long word list. */
export function isReceiptWord(word: string): boolean {
  wordSet ??= new Set(EFF_LONG_WORDLIST);
  return wordSet.has(word);
}

/** The list words the tokens read as, or null when they cannot all be read as list words. */
function readWords(tokens: readonly string[]): string[] | null {
  const words: string[] = [];
  for (let i = 0; i < tokens.length;) {
    const token = tokens[i] as string;
    const pair = i + 1 < tokens.length ? `${token}-${tokens[i + 1]}` : null;
    if (isReceiptWord(token)) {
      words.push(token);
      i += 1;
    } else if (pair !== null && isReceiptWord(pair)) {
      words.push(pair);
      i += 2;
    } else {
      return null;
    }
  }
  return words;
}
