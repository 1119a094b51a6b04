/**
 * CSV the club writes (`loyalty export`, the reports' CSV answers, the import's error
 * report) is opened in spreadsheets. A cell starting with = + - @ (or a tab or CR,
 * which some spreadsheets skip before looking) is run as a formula there: a customer
 * named `=HYPERLINK(…)` would put a live link, or worse, in front of staff. Such text
 * cells get a leading `'`, which spreadsheets show as text; plain numbers (negative
 * points, `+98…` phone numbers) can't call anything and stay numbers.
 */

/** Starts every CSV file: without it Excel reads UTF-8 as the local code page and garbles Persian. */
export const CSV_BOM = '\uFEFF';

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;

/** The cell's text, neutralised when a spreadsheet would take it for a formula. */
export function safeCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

/** The inverse, for reading back a file the club wrote: only a `'` that safeCell added is dropped. */
export function restoreCell(text: string): string {
  return text.startsWith("'") && FORMULA_START.test(text.slice(1)) && !PLAIN_NUMBER.test(text.slice(1)) ? text.slice(1) : text;
}
