/**
 * Text normalisation and word tokenising for routing rules (and anything else that matches words
 * typed by people in English or Persian). Pure and allocation-light.
 *
 * Normalisation (`normaliseText`), applied the same way to rule words and to case text:
 * - Unicode NFKC (folds Arabic presentation forms and full-width Latin to their base letters),
 *   then lower case;
 * - Arabic yeh and alef maksura (ي ى) -> Persian yeh (ی), Arabic kaf (ك) -> Persian kaf (ک);
 * - Persian and Arabic-Indic digits -> ASCII digits;
 * - Arabic diacritics (harakat, superscript alef) and tatweel are dropped;
 * - zero-width non-joiner / joiner and soft hyphen are dropped: the Persian half-space joins the
 *   parts of ONE word, so `نمی‌کند` and `نمیکند` are the same word.
 *
 * Tokenising (`tokenize`): a word is a maximal run of Unicode letters, marks and digits
 * (`[\p{L}\p{M}\p{N}]+`), so word boundaries work for every script, and punctuation, spaces and
 * symbols separate words. "printer's" is the two words `printer` and `s`; "e-mail" is `e` `mail`.
 * Because rule words go through the same tokeniser, a rule word that tokenises to several words
 * is a phrase that matches those words consecutively.
 */

const NON_ASCII = /[\u0080-\uffff]/;
// every character the Persian/Arabic folding changes, handled in one pass
const FOLDED = /[\u064A\u0649\u0643\u064B-\u065F\u0670\u0640\u06F0-\u06F9\u0660-\u0669\u00AD]|\u200C|\u200D/g;
const WORD = /[\p{L}\p{M}\p{N}]+/gu;

function fold(ch: string): string {
  const c = ch.charCodeAt(0);
  if (c === 0x064a || c === 0x0649) return '\u06CC'; // ي ى -> ی
  if (c === 0x0643) return '\u06A9'; // ك -> ک
  if (c >= 0x06f0 && c <= 0x06f9) return String(c - 0x06f0);
  if (c >= 0x0660 && c <= 0x0669) return String(c - 0x0660);
  return ''; // diacritics, tatweel, joiners, soft hyphen
}

/** Case-folded, Persian/Arabic-normalised text (see the module comment). */
export function normaliseText(text: string): string {
  if (!NON_ASCII.test(text)) return text.toLowerCase();
  return text.normalize('NFKC').toLowerCase().replace(FOLDED, fold);
}

/** A normalised key for exact (not word) comparisons: normalised and trimmed. */
export const normaliseKey = (text: string) => normaliseText(text).trim();

/** The words of a text, in order, normalised. */
export function words(text: string): string[] {
  return normaliseText(text).match(WORD) ?? [];
}

/** A tokenised text: words in order (for phrases) and as a set (for single words). */
export interface Tokens {
  readonly list: readonly string[];
  readonly set: ReadonlySet<string>;
}

export function tokenize(text: string): Tokens {
  if (typeof text !== 'string') throw new TypeError(`expected text, got ${text === null ? 'null' : typeof text}`);
  const list = words(text);
  return { list, set: new Set(list) };
}

/** True when `phrase` (already normalised words, at least one) occurs in `tokens` as whole words. */
export function containsPhrase(tokens: Tokens, phrase: readonly string[]): boolean {
  const n = phrase.length;
  if (n === 1) return tokens.set.has(phrase[0]!);
  for (const w of phrase) if (!tokens.set.has(w)) return false;
  return containsSequence(tokens.list, phrase);
}

/** True when the words of `phrase` occur consecutively in `list`. */
export function containsSequence(list: readonly string[], phrase: readonly string[]): boolean {
  const n = phrase.length;
  outer: for (let i = 0; i + n <= list.length; i++) {
    for (let j = 0; j < n; j++) if (list[i + j] !== phrase[j]) continue outer;
    return true;
  }
  return false;
}
