/**
 * A member import file for tests and the benchmark: `rows` customers, every
 * 100th one wrong in a way the importer must report (1%), deterministic so a
 * test can say exactly which rows fail and why.
 */
import { writeFileSync } from 'node:fs';

export interface MemberCsv {
  readonly rows: number;
  /** Spreadsheet row numbers (header = 1) of the rows that must be rejected, with the column at fault. */
  readonly bad: ReadonlyMap<number, string>;
  /** Rows with an opening balance, and the total. */
  readonly withPoints: number;
  readonly points: number;
}

/** `tag` and `phonePrefix` keep the identities of two files in one club apart. */
export function writeMemberCsv(path: string, rows: number, tag = 'c', phonePrefix = '98912'): MemberCsv {
  const lines = ['email,phone,First Name,Last Name,birthday,shopifyCustomerId,points,Accepts Marketing'];
  const bad = new Map<number, string>();
  let withPoints = 0;
  let points = 0;
  for (let i = 0; i < rows; i++) {
    const row = i + 2;
    let email = `${tag}${i}@example.com`;
    let phone = `+${phonePrefix}${String(i).padStart(7, '0')}`;
    let birthday = i % 3 === 0 ? `19${String(50 + (i % 50))}-0${1 + (i % 9)}-1${i % 10}` : '';
    let shopify = i % 2 === 0 ? `${tag}-shop-${i}` : '';
    let pts = i % 4 === 0 ? String(10 + (i % 90)) : '';
    if (i % 100 === 99) {
      // The 1%: five kinds of mistakes, one column each.
      switch (((i / 100) % 5) | 0) {
        case 0:
          email = `not-an-email-${i}`;
          bad.set(row, 'email');
          break;
        case 1:
          birthday = '1990-13-40';
          bad.set(row, 'birthday');
          break;
        case 2:
          pts = '-5';
          bad.set(row, 'points');
          break;
        case 3:
          // Another customer's email (row 2's): the club refuses it as someone else's.
          email = `${tag}0@example.com`;
          bad.set(row, 'email');
          break;
        default:
          email = '';
          phone = '';
          shopify = '';
          bad.set(row, '');
      }
    }
    if (!bad.has(row) && pts) {
      withPoints++;
      points += Number(pts);
    }
    lines.push([email, phone, `"Ada ${i}"`, 'Lovelace', birthday, shopify, pts, 'yes'].join(','));
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
  return { rows, bad, withPoints, points };
}
