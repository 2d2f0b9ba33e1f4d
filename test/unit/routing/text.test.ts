import { describe, expect, it } from 'vitest';
import { containsPhrase, normaliseKey, normaliseText, tokenize, words } from '../../../shared/domain/routing';

describe('normaliseText', () => {
  it.each([
    ['ASCII is lower-cased only', 'Printer JAM', 'printer jam'],
    ['Arabic yeh and kaf become Persian', 'كار نمي‌كند', 'کار نمیکند'],
    ['alef maksura becomes Persian yeh', 'ى', 'ی'],
    ['half-space, joiner and soft hyphen vanish', 'می\u200Cخواهم\u200D\u00AD', 'میخواهم'],
    ['harakat, superscript alef and tatweel vanish', 'كَتـــاب\u0670', 'کتاب'],
    ['Persian and Arabic-Indic digits become ASCII', '۱۲۳ ٤٥٦', '123 456'],
    ['presentation forms and full-width letters fold (NFKC)', 'ﻛﺎﺭ ＡＢＣ', 'کار abc'],
    ['Latin accents stay', 'Café', 'café'],
  ])('%s', (_name, input, expected) => {
    expect(normaliseText(input)).toBe(expected);
  });
  it('normaliseKey also trims', () => {
    expect(normaliseKey('  VIP ')).toBe('vip');
  });
});

describe('words', () => {
  it.each([
    ['punctuation and spaces separate', "The printer's tray-2 (jammed)!", ['the', 'printer', 's', 'tray', '2', 'jammed']],
    ['Persian punctuation separates', 'سلام،چاپگر؟ بله.', ['سلام', 'چاپگر', 'بله']],
    ['a half-space word is one word', 'نمی‌کند', ['نمیکند']],
    ['accented letters are letters', 'naïve café', ['naïve', 'café']],
    ['nothing', ' ,.!? ', []],
  ])('%s', (_name, input, expected) => {
    expect(words(input)).toEqual(expected);
  });
});

describe('containsPhrase', () => {
  const t = tokenize('Paper jam in tray 2; paper feed ok');
  it.each([
    [['paper'], true],
    [['paper', 'jam'], true],
    [['jam', 'paper'], false],
    [['paper', 'feed', 'ok'], true],
    [['tray', '2'], true],
    [['tray', '3'], false],
    [['ok', 'paper'], false],
  ])('%j -> %s', (phrase, expected) => {
    expect(containsPhrase(t, phrase)).toBe(expected);
  });
  it('refuses non-text', () => {
    expect(() => tokenize(null as unknown as string)).toThrow(/expected text, got null/);
  });
});
