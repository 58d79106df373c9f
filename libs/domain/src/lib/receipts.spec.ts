// Receipts are the reporter's only key back to their case (docs/architecture.md "The reporter's receipt and
// pepper"): the word list must be exactly the EFF list, generation unbiased, and normalisation must give the
// same canonical form however the receipt is typed back, or the reporter is locked out.
import fc from 'fast-check';
import { EFF_LONG_WORDLIST } from './eff-long-wordlist';
import {
  RECEIPT_ENTROPY_BITS,
  RECEIPT_WORD_COUNT,
  generateReceipt,
  isReceiptWord,
  normaliseReceipt,
  receiptWords,
} from './receipts';

const wordArb = fc.constantFrom(...EFF_LONG_WORDLIST);
const receiptArb = fc.array(wordArb, { minLength: 7, maxLength: 7 });
const separatorArb = fc
  .array(fc.constantFrom(' ', '  ', '\t', '\n', '\r\n', '-', ' - ', '–', '_', '.', ', '), {
    minLength: 1,
    maxLength: 3,
  })
  .map((parts) => parts.join(''));
const caseChangeArb = fc.array(fc.boolean(), { minLength: 80, maxLength: 80 });

/** Types a receipt back the way a person might: any separators, any case, stray space at either end. */
function retype(
  words: readonly string[],
  separators: readonly string[],
  upper: readonly boolean[],
  edge: string,
): string {
  const text = words
    .map((w, i) => (i === 0 ? w : `${separators[i % separators.length]}${w}`))
    .join('')
    .split('')
    .map((ch, i) => (upper[i % upper.length] ? ch.toUpperCase() : ch))
    .join('');
  return `${edge}${text}${edge}`;
}

describe('the EFF long word list', () => {
  it('has 7776 unique words from abacus to zoom', () => {
    expect(EFF_LONG_WORDLIST).toHaveLength(7776);
    expect(new Set(EFF_LONG_WORDLIST).size).toBe(7776);
    expect(EFF_LONG_WORDLIST.slice(0, 5)).toEqual(['abacus', 'abdomen', 'abdominal', 'abide', 'abiding']);
    expect(EFF_LONG_WORDLIST.at(-1)).toBe('zoom');
    expect(Object.isFrozen(EFF_LONG_WORDLIST)).toBe(true);
  });

  it('holds only lower-case words, four of them hyphenated with halves that are not list words', () => {
    expect(EFF_LONG_WORDLIST.filter((word) => !/^[a-z]+(-[a-z]+)?$/.test(word))).toEqual([]);
    const hyphenated = EFF_LONG_WORDLIST.filter((w) => w.includes('-'));
    expect(hyphenated).toEqual(['drop-down', 'felt-tip', 't-shirt', 'yo-yo']);
    // normaliseReceipt reads a token pair as one word only when the first half is not a word itself.
    for (const word of hyphenated) expect(isReceiptWord(word.split('-')[0] as string)).toBe(false);
  });
});

describe('receipts', () => {
  it('carries at least 90 bits of entropy', () => {
    expect(RECEIPT_WORD_COUNT).toBe(7);
    expect(RECEIPT_ENTROPY_BITS).toBeGreaterThanOrEqual(90);
    expect(RECEIPT_ENTROPY_BITS).toBeCloseTo(90.47, 2);
  });

  it('generates seven list words in canonical form that normalise to themselves', () => {
    for (let i = 0; i < 50; i++) {
      const receipt = generateReceipt();
      expect(receipt).toMatch(/^[a-z]+(-[a-z]+){6,}$/);
      expect(normaliseReceipt(receipt)).toBe(receipt);
    }
  });

  it('does not generate the same receipt twice in a thousand', () => {
    const receipts = new Set(Array.from({ length: 1000 }, () => generateReceipt()));
    expect(receipts.size).toBe(1000);
  });

  it('redraws random values that would bias the choice of word instead of reducing them modulo 7776', () => {
    const limit = Math.floor(2 ** 32 / 7776) * 7776;
    const draws = [
      [limit, 2 ** 32 - 1, 0, 1, 2, 3, 4],
      [5, 7776, limit - 1, 0, 0, 0, 0],
    ];
    let call = 0;
    const receipt = generateReceipt((array) => {
      array.set(draws[call++] as number[]);
      return array;
    });
    expect(call).toBe(2);
    expect(receipt.split('-').slice(0, 7)).toEqual([
      'abacus',
      'abdomen',
      'abdominal',
      'abide',
      'abiding',
      'ability',
      'abacus',
    ]);
    expect(receipt).toBe('abacus-abdomen-abdominal-abide-abiding-ability-abacus');
  });

  it('accepts any case, spacing and separators', () => {
    const canonical = 'abacus-abdomen-abdominal-abide-abiding-ability-zoom';
    expect(normaliseReceipt('  Abacus ABDOMEN abdominal\tabide\nabiding - ability   zoom \n')).toBe(
      canonical,
    );
    expect(normaliseReceipt('abacus_abdomen.abdominal, abide–abiding—ability  zoom')).toBe(canonical);
    expect(normaliseReceipt('ＡＢＡＣＵＳ abdomen abdominal abide abiding ability zoom')).toBe(canonical);
  });

  it('reads the hyphenated list words whichever separator is typed inside them', () => {
    expect(normaliseReceipt('T Shirt yo-yo DROP down felt_tip abacus zoom zoom')).toBe(
      't-shirt-yo-yo-drop-down-felt-tip-abacus-zoom-zoom',
    );
  });

  it('gives the seven words to show, a hyphenated list word as one word', () => {
    expect(receiptWords('t-shirt-yo-yo-drop-down-felt-tip-abacus-zoom-zoom')).toEqual([
      't-shirt',
      'yo-yo',
      'drop-down',
      'felt-tip',
      'abacus',
      'zoom',
      'zoom',
    ]);
    expect(receiptWords('glue-caviar-t-shirt-trillion-fanatic-vastly-ribcage')).toHaveLength(7);
    expect(receiptWords('abacus abdomen')).toEqual([]);
    fc.assert(
      fc.property(receiptArb, (words) => {
        expect(receiptWords(words.join('-'))).toEqual(words);
      }),
    );
  });

  it('returns null, with no hint, for anything that is not seven list words', () => {
    for (const input of [
      '',
      '   ',
      'abacus abdomen abdominal abide abiding ability',
      'abacus abdomen abdominal abide abiding ability zoom zoom',
      'abacus abdomen abdominal abide abiding ability zoomx',
      'abacus abdomen abdominal abide abiding ability z00m',
      'abacusabdomen abdominal abide abiding ability zoom zoom',
      'abacus abdomen abdominal abide abiding ability tshirt',
      'abacus abdomen abdominal abide abiding ability shirt-t',
      `${'abacus '.repeat(200)}`,
      'abacus abdomen abdominal abide abiding ability zoom'.replace(/ /g, ' '.repeat(200)),
    ]) {
      expect(normaliseReceipt(input)).toBeNull();
    }
    expect(normaliseReceipt(undefined)).toBeNull();
    expect(normaliseReceipt(42)).toBeNull();
  });

  it('normalisation is idempotent and insensitive to case and separators', () => {
    fc.assert(
      fc.property(
        receiptArb,
        fc.array(separatorArb, { minLength: 1, maxLength: 6 }),
        caseChangeArb,
        fc.constantFrom('', ' ', '\n', '\t '),
        (words, separators, upper, edge) => {
          const canonical = words.join('-');
          const typed = retype(words, separators, upper, edge);
          expect(normaliseReceipt(typed)).toBe(canonical);
          expect(normaliseReceipt(canonical)).toBe(canonical);
          expect(normaliseReceipt(normaliseReceipt(typed))).toBe(canonical);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('should refuse any receipt with a word that is not on the list', () => {
    fc.assert(
      fc.property(
        receiptArb,
        fc.nat({ max: 6 }),
        fc.stringMatching(/^[a-z]{1,12}$/),
        (words, position, stranger) => {
          fc.pre(!isReceiptWord(stranger) && !stranger.includes('-'));
          const changed = [...words];
          changed[position] = stranger;
          expect(normaliseReceipt(changed.join(' '))).toBeNull();
        },
      ),
      { numRuns: 300 },
    );
  });
});
