import { describe, expect, it } from 'vitest';
import { isSearchableName, nameIndexEntries, nameMatches, nameQueryPlan, normalizeName, namePartitionOf } from './names';

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

  it('indexes at most four words and keeps the key short', () => {
    expect(nameIndexEntries('aa bb cc dd ee ff').map((e) => e.word)).toEqual(['aa', 'bb', 'cc', 'dd']);
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

  it('keys on the first searchable word and matches every word as a prefix of a name word', () => {
    expect(nameQueryPlan('Sara AH')).toEqual({ key: 'sara', words: ['sara', 'ah'] });
    expect(nameQueryPlan('j sm')).toEqual({ key: 'sm', words: ['j', 'sm'] });
    expect(nameMatches('sara ahmadi', ['sara', 'ah'])).toBe(true);
    expect(nameMatches('ahmadi sara', ['sara', 'ah'])).toBe(true);
    expect(nameMatches('sara karimi', ['sara', 'ah'])).toBe(false);
    expect(nameMatches('sara ahmadi', ['hm'])).toBe(false);
  });
});
