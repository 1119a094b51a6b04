/**
 * Names as the staff search compares them (docs/pages.md, docs/data-model.md):
 * the same name typed on a Persian or an Arabic keyboard, with or without a
 * half-space or vowel marks, in any case, is the same words.
 */

/**
 * How many words of a name are indexed (the first ones, distinct). Any query
 * word may be a search's key (nameQueryPlan), so a word must be indexed to be
 * found as the key: 8 covers long Persian names ("سید محمد علی حسینی زاده")
 * and costs nothing for the usual two or three words.
 */
export const NAME_INDEX_WORDS = 8;
/** Letters a search needs in at least one word: the index partition is the first two. */
export const NAME_QUERY_MIN_LETTERS = 2;
/** The indexed name (and so the index sort key) keeps at most this many characters. */
const NAME_KEY_MAX = 200;

const chars = (s: string) => Array.from(s);

/**
 * NFKC, lower case, marks (diacritics, tashkeel) removed, Arabic yeh/alef
 * maksura/kaf as the Persian letters, ZWNJ and tatweel removed, apostrophes
 * dropped (O'Brien = obrien), other punctuation and symbols as spaces, spaces
 * collapsed.
 */
export function normalizeName(raw: string): string {
  return raw
    .normalize('NFKC')
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .normalize('NFC')
    .replace(/[\u064A\u0649]/g, '\u06CC')
    .replace(/\u0643/g, '\u06A9')
    .replace(/\u06D5/g, '\u0647')
    .replace(/[\u200B-\u200D\u2060\uFEFF\u0640'\u2019\u02BC`]/g, '')
    .replace(/[\p{P}\p{S}\p{Z}\s\p{C}]+/gu, ' ')
    .trim();
}

/** The words a search splits a query into. */
export const nameWords = (raw: string): string[] => normalizeName(raw).split(' ').filter(Boolean);

/** A name query the index can answer: some word has at least two letters. */
export const isSearchableName = (raw: string): boolean => nameWords(raw).some((w) => chars(w).length >= NAME_QUERY_MIN_LETTERS);

export interface NameIndexEntry {
  /** The indexed word (at least two letters). */
  readonly word: string;
  /** The whole normalized name starting at this word, then the words before it. */
  readonly rotated: string;
}

/**
 * One entry per distinct word of at least two letters, for the first
 * NAME_INDEX_WORDS such words. A shorter word (an initial) can't be found by a
 * two-letter search, so it has no entry; it is still part of every `rotated`.
 */
export function nameIndexEntries(name: string | undefined): NameIndexEntry[] {
  const words = name ? nameWords(name) : [];
  const entries: NameIndexEntry[] = [];
  words.forEach((word, i) => {
    if (entries.length >= NAME_INDEX_WORDS || chars(word).length < NAME_QUERY_MIN_LETTERS) return;
    if (entries.some((e) => e.word === word)) return;
    const rotated = [...words.slice(i), ...words.slice(0, i)].join(' ');
    entries.push({ word, rotated: chars(rotated).slice(0, NAME_KEY_MAX).join('') });
  });
  return entries;
}

/**
 * How a query is asked of the index. Every indexed word of a name has its own
 * item, so any query word of two letters or more can be the key (the
 * partition and the sort-key prefix); every query word must then begin some
 * word of the name. The key is the word that narrows the read most: the
 * longest (a longer prefix matches fewer names: "رضایی" rather than "محمد"),
 * and of equally long ones the last (family names come last and are rarer
 * than given names). Whichever it is, paging reaches every match.
 */
export function nameQueryPlan(raw: string): { readonly key: string; readonly words: readonly string[] } | undefined {
  const words = nameWords(raw);
  let key: string | undefined;
  for (const w of words) {
    const n = chars(w).length;
    if (n >= NAME_QUERY_MIN_LETTERS && (key === undefined || n >= chars(key).length)) key = w;
  }
  return key ? { key, words } : undefined;
}

/**
 * Of a member's index entries, the one a search keyed on `key` answers with: a
 * name can have two words starting with the key ("Mina Minaei" for "min"), and
 * the member must come back once across all pages, so only the entry of the
 * first such word (in the name's order) counts. Undefined: no word starts with it.
 */
export function answeringEntry(name: string, key: string): NameIndexEntry | undefined {
  return nameIndexEntries(name).find((e) => e.word.startsWith(key));
}

/** Does a (normalized, space-separated) name answer the query's words? */
export function nameMatches(normalizedName: string, queryWords: readonly string[]): boolean {
  const words = normalizedName.split(' ');
  return queryWords.every((q) => words.some((w) => w.startsWith(q)));
}

/** The index partition of a word: its first two letters. */
export const namePartitionOf = (word: string): string => chars(word).slice(0, NAME_QUERY_MIN_LETTERS).join('');
