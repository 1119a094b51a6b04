import { describe, expect, it } from 'vitest';
import { CSV_BOM, restoreCell, safeCell } from '../../../shared/csv';
import { toCsv } from '../../../shared/club/reports';

describe('CSV cells a spreadsheet opens as text', () => {
  it('neutralises text that a spreadsheet would run as a formula', () => {
    expect(safeCell('=HYPERLINK("http://evil.example","click")')).toBe(`'=HYPERLINK("http://evil.example","click")`);
    expect(safeCell('+cmd|x')).toBe(`'+cmd|x`);
    expect(safeCell('-2+3')).toBe(`'-2+3`);
    expect(safeCell('@SUM(A1)')).toBe(`'@SUM(A1)`);
    expect(safeCell('\t=1')).toBe(`'\t=1`);
    expect(safeCell('\r=1')).toBe(`'\r=1`);
  });

  it('leaves numbers, phone numbers and ordinary text alone', () => {
    expect(safeCell(-12)).toBe('-12');
    expect(safeCell('-12')).toBe('-12');
    expect(safeCell('-12.50')).toBe('-12.50');
    expect(safeCell('+989121234567')).toBe('+989121234567');
    expect(safeCell('سارا')).toBe('سارا');
    expect(safeCell('a=b')).toBe('a=b');
    expect(safeCell('')).toBe('');
  });

  it('reads a neutralised cell back as it was', () => {
    expect(restoreCell(`'=HYPERLINK("x")`)).toBe('=HYPERLINK("x")');
    expect(restoreCell(`'-2+3`)).toBe('-2+3');
    expect(restoreCell(`'ordinary`)).toBe(`'ordinary`);
    expect(restoreCell('-12')).toBe('-12');
  });

  it('applies to the reports CSV answers, which start with a BOM', () => {
    const text = toCsv(['name', 'points'], [{ name: '=1+1', points: -12 }]);
    expect(text).toBe(`${CSV_BOM}name,points\r\n'=1+1,-12\r\n`);
  });
});
