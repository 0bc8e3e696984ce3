import { describe, expect, test } from 'vitest';
import { nameSearchRows, nameWords, searchKey } from '../../src/model/search-key.js';

describe('searchKey', () => {
  test('case, accents and punctuation ignored', () => {
    expect(searchKey('  José  ÁLVAREZ ')).toBe('jose alvarez');
    expect(searchKey('Antony J. Blinken')).toBe('antony j blinken');
    expect(searchKey("O'Brien-Straße")).toBe('o brien strasse');
    expect(searchKey('!!!')).toBe('');
  });
});

describe('nameSearchRows', () => {
  test("each name from each of its words on; a later word shared by two names is the own name's", () => {
    expect(nameSearchRows('Antony Blinken', ['Tony Blinken'])).toEqual([
      { wordKey: 'tony blinken', nameKey: 'tony blinken', primary: false },
      { wordKey: 'blinken', nameKey: 'antony blinken', primary: true },
      { wordKey: 'antony blinken', nameKey: 'antony blinken', primary: true },
    ]);
  });

  test('one row per key: a name that starts with it, then the own name, then the first name', () => {
    const rows = nameSearchRows('Maria Smith', ['Smith', 'M. Smith', 'maria smith']);
    expect(rows.find((r) => r.wordKey === 'smith')).toEqual({ wordKey: 'smith', nameKey: 'smith', primary: false });
    expect(rows.filter((r) => r.wordKey === 'maria smith')).toEqual([{ wordKey: 'maria smith', nameKey: 'maria smith', primary: true }]);
    expect(new Set(rows.map((r) => r.wordKey)).size).toBe(rows.length);
    expect(nameSearchRows('Ana Lee', ['Bo Lee', 'Al Lee']).find((r) => r.wordKey === 'lee')).toEqual({ wordKey: 'lee', nameKey: 'ana lee', primary: true });
    expect(nameSearchRows('X', ['Bo Lee', 'Al Lee']).find((r) => r.wordKey === 'lee')).toEqual({ wordKey: 'lee', nameKey: 'al lee', primary: false });
  });

  test('names with no key give no row; the words in code point order', () => {
    expect(nameSearchRows('—', ['!!'])).toEqual([]);
    expect(nameWords(nameSearchRows('Zoë Ängel', ['Zoe B']))).toEqual(['angel', 'b', 'zoe']);
  });
});
