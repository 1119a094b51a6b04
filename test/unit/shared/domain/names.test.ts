import { describe, expect, it } from 'vitest';
import {
  answeringEntry,
  isSearchableName,
  nameIndexEntries,
  nameMatches,
  nameQueryPlan,
  normalizeName,
  namePartitionOf,
  NAME_INDEX_WORDS,
} from '../../../../shared/domain/names';

describe('normalizeName', () => {
  it('lower-cases, applies NFKC and collapses spaces (English)', () => {
    expect(normalizeName('  Sara   AHMADI ')).toBe('sara ahmadi');
    expect(normalizeName('Ｓａｒａ')).toBe('sara'); // full-width letters, NFKC
    expect(normalizeName('José Ñúñez')).toBe('jose nunez');
    expect(normalizeName("Seán O'Brien-Smith")).toBe('sean obrien smith');
  });

  it('writes the Arabic yeh, alef maksura and kaf as the Persian letters', () => {
    expect(normalizeName('علي')).toBe('علی');
    expect(normalizeName('مصطفى')).toBe('مصطفی');
    expect(normalizeName('كريمي')).toBe('کریمی');
    expect(normalizeName('كريمي')).toBe(normalizeName('کریمی'));
  });

  it('removes the half-space (ZWNJ), tatweel and tashkeel', () => {
    expect(normalizeName('مهر\u200Cآرا')).toBe(normalizeName('مهرآرا'));
    expect(normalizeName('مـــحمد')).toBe('محمد');
    expect(normalizeName('مُحَمَّد')).toBe('محمد');
    expect(normalizeName('سارا  احمدی\u200C')).toBe('سارا احمدی');
  });

  it('makes the same words of the same name typed differently', () => {
    expect(normalizeName('ياسر كاظمي')).toBe(normalizeName('یاسر کاظمی'));
    expect(normalizeName('  SARA\tAhmadi')).toBe(normalizeName('sara ahmadi'));
  });
});

describe('nameIndexEntries', () => {
  it('has one entry per distinct word of two letters or more, the name rotated to start at it', () => {
    expect(nameIndexEntries('Sara Ahmadi')).toEqual([
      { word: 'sara', rotated: 'sara ahmadi' },
      { word: 'ahmadi', rotated: 'ahmadi sara' },
    ]);
    expect(nameIndexEntries('Sara J Sara').map((e) => e.word)).toEqual(['sara']);
    expect(nameIndexEntries(undefined)).toEqual([]);
    expect(nameIndexEntries(' - ')).toEqual([]);
  });

  it('indexes at most eight words and keeps the key short', () => {
    expect(NAME_INDEX_WORDS).toBe(8);
    expect(nameIndexEntries('aa bb cc dd ee ff gg hh ii jj').map((e) => e.word)).toEqual(['aa', 'bb', 'cc', 'dd', 'ee', 'ff', 'gg', 'hh']);
    // A long Persian name: every word is a key a search may pick.
    expect(nameIndexEntries('سید محمد علی حسینی زاده').map((e) => e.word)).toEqual(['سید', 'محمد', 'علی', 'حسینی', 'زاده']);
    const long = nameIndexEntries(`${'x'.repeat(300)} yy`);
    expect(Array.from(long[0]!.rotated).length).toBe(200);
  });

  it('partitions by the first two letters', () => {
    expect(namePartitionOf('sara')).toBe('sa');
    expect(namePartitionOf('سارا')).toBe('سا');
  });
});

describe('name queries', () => {
  it('needs two letters in a word', () => {
    expect(isSearchableName('s')).toBe(false);
    expect(isSearchableName('s a')).toBe(false);
    expect(isSearchableName('\u064E\u064F')).toBe(false); // marks only
    expect(isSearchableName('sa')).toBe(true);
    expect(isSearchableName('a sa')).toBe(true);
  });

  it('keys on the longest word, the last of equally long ones, and matches every word as a prefix of a name word', () => {
    expect(nameQueryPlan('Sara AH')).toEqual({ key: 'sara', words: ['sara', 'ah'] });
    expect(nameQueryPlan('j sm')).toEqual({ key: 'sm', words: ['j', 'sm'] });
    // The shared given name is not the key: the family name narrows the read.
    expect(nameQueryPlan('محمد رضایی')).toEqual({ key: 'رضایی', words: ['محمد', 'رضایی'] });
    expect(nameQueryPlan('رضایی محمد')?.key).toBe('رضایی');
    expect(nameQueryPlan('علي كريمي')?.key).toBe('کریمی');
    expect(nameQueryPlan('sara ahmad')?.key).toBe('ahmad');
    // Equally long: the later word (family names come last).
    expect(nameQueryPlan('sara reza')?.key).toBe('reza');
    expect(nameQueryPlan('s')).toBeUndefined();
    expect(nameMatches('sara ahmadi', ['sara', 'ah'])).toBe(true);
    expect(nameMatches('ahmadi sara', ['sara', 'ah'])).toBe(true);
    expect(nameMatches('sara karimi', ['sara', 'ah'])).toBe(false);
    expect(nameMatches('sara ahmadi', ['hm'])).toBe(false);
  });
});

describe('answeringEntry', () => {
  it('is the entry of the first name word starting with the key, so a member answers once', () => {
    expect(answeringEntry('Mina Minaei', 'min')).toEqual({ word: 'mina', rotated: 'mina minaei' });
    expect(answeringEntry('Mina Minaei', 'minae')).toEqual({ word: 'minaei', rotated: 'minaei mina' });
    expect(answeringEntry('Minaei Mina', 'min')).toEqual({ word: 'minaei', rotated: 'minaei mina' });
    expect(answeringEntry('محمد محمدی', 'محمد')?.word).toBe('محمد');
    expect(answeringEntry('Sara Ahmadi', 'kar')).toBeUndefined();
    // A one-letter word has no entry: the next word that starts with the key answers.
    expect(answeringEntry('A Ab', 'a')?.word).toBe('ab');
  });

  it('is one of the entries the index holds for every key a query can have', () => {
    for (const name of ['Mina Minaei', 'sara saberi sadeghi', 'علی علوی علی‌آبادی', 'aa ab ac ad ae af ag ah']) {
      const entries = nameIndexEntries(name);
      for (const e of entries) {
        for (let n = 2; n <= Array.from(e.word).length; n++) {
          const key = Array.from(e.word).slice(0, n).join('');
          const answering = answeringEntry(name, key);
          expect(entries).toContainEqual(answering);
          expect(entries.filter((x) => x.word.startsWith(key))[0]).toEqual(answering);
        }
      }
    }
  });
});
