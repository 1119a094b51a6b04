import { describe, expect, it } from 'vitest';
import { columnOf, identityMismatches, mapHeader, parseMemberRow, RowWatermark } from '../../../../shared/import/member-csv';

describe('the member import header', () => {
  it('maps store export spellings, names what it ignores', () => {
    const h = mapHeader(['\uFEFFEmail', 'First Name', 'Last_Name', 'Shopify Customer ID', 'Accepts Marketing', 'opening-balance']);
    expect(h.columns).toEqual(['email', 'firstName', 'lastName', 'shopifyCustomerId', undefined, 'points']);
    expect(h.labels.email).toBe('Email');
    expect(h.ignored).toEqual(['Accepts Marketing']);
    expect(h.problems).toEqual([]);
  });

  it('refuses a file with no identity column or a column twice', () => {
    expect(mapHeader(['name', 'birthday']).problems[0]).toMatch(/at least one of memberId, email/);
    expect(mapHeader(['email', 'E-mail Address']).problems).toEqual(['columns "email" and "E-mail Address" both mean email']);
  });
});

describe('a member import row', () => {
  const header = mapHeader(['memberId', 'Email', 'phone', 'First Name', 'lastName', 'birthday', 'tags', 'shopifyCustomerId', 'points']);

  it('reads cells `loyalty export` neutralised for spreadsheets as they were', () => {
    const r = parseMemberRow(['c-2', '', '', `'=Sara`, 'Ahmadi', `'--12-10`, `'@vip`, '', '7'], header);
    expect(r).toMatchObject({ ok: true, row: { enrol: { name: '=Sara Ahmadi', birthday: '--12-10', tags: ['@vip'] }, points: 7 } });
  });

  it('becomes the enrolment POST /v1/members takes, and an opening balance', () => {
    const r = parseMemberRow(
      ['c-1', ' Ada@Example.com ', '+98 912 000 0000', 'Ada', 'Lovelace', '--12-10', 'vip; early ,vip', '777', '120'],
      header,
      {
        channel: 'import',
      },
    );
    expect(r).toEqual({
      ok: true,
      row: {
        enrol: {
          memberId: 'c-1',
          email: 'Ada@Example.com',
          phone: '+98 912 000 0000',
          name: 'Ada Lovelace',
          birthday: '--12-10',
          channel: 'import',
          tags: ['vip', 'early'],
          externalIds: { shopify: '777' },
        },
        points: 120,
      },
    });
  });

  it('names every bad column with the header the file used', () => {
    const r = parseMemberRow(['bad id!', 'not-an-email', '12', '', '', '1990-13-01', '', '', '-5'], header);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.column).sort()).toEqual(['Email', 'birthday', 'memberId', 'phone', 'points']);
    expect(r.problems.every((p) => p.code === 'VALIDATION_FAILED' && p.message.length > 0)).toBe(true);
  });

  it('takes Jalali birthdays (Persian, Arabic or ASCII digits, / or -) as the Gregorian date', () => {
    for (const birthday of ['۱۳۷۰/۰۵/۱۲', '1370-05-12', '١٣٧٠/٠٥/١٢', '1991-08-03']) {
      const r = parseMemberRow(['', 'j@example.com', '', '', '', birthday, '', '', ''], header);
      expect(r, birthday).toEqual({ ok: true, row: { enrol: { email: 'j@example.com', birthday: '1991-08-03' }, points: 0 } });
    }
  });

  it('says of each bad cell what it held, what is wrong with it and the form expected', () => {
    const r = parseMemberRow(['', 'ada(at)example.com', '', '', '', '۱۳۷۰/۱۳/۰۱', '', '', 'ten'], header);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const byColumn = Object.fromEntries(r.problems.map((p) => [p.column, p.message]));
    expect(byColumn.Email).toBe('"ada(at)example.com": not an email address; expected one like name@example.com');
    expect(byColumn.birthday).toMatch(/^"۱۳۷۰\/۱۳\/۰۱": month 13 does not exist; expected yyyy-mm-dd or yyyy\/mm\/dd, Jalali .*Gregorian/);
    expect(byColumn.points).toBe('"ten": a whole number of points, 0 or more');
    const esfand = parseMemberRow(['', 'e@example.com', '', '', '', '1401/12/30', '', '', ''], header);
    expect(!esfand.ok && esfand.problems).toEqual([
      {
        column: 'birthday',
        code: 'VALIDATION_FAILED',
        message: expect.stringMatching(/^"1401\/12\/30": Jalali 1401\/12 has 29 days, not 30; expected/),
      },
    ]);
  });

  it('needs at least one identity in the row itself', () => {
    const r = parseMemberRow(['', '', '', 'Ada', '', '', '', '', ''], header);
    expect(r).toMatchObject({ ok: false, problems: [{ column: '', message: expect.stringMatching(/at least one of/) }] });
  });

  it('treats blank cells as absent and a missing trailing cell as blank', () => {
    const r = parseMemberRow(['', 'b@example.com'], header);
    expect(r).toEqual({ ok: true, row: { enrol: { email: 'b@example.com' }, points: 0 } });
  });
});

describe('an API error path as a column', () => {
  const header = mapHeader(['E-mail', 'Shopify ID', 'first name']);
  it('maps contract paths to the file labels', () => {
    expect(columnOf('email', header.labels)).toBe('E-mail');
    expect(columnOf('externalIds.shopify', header.labels)).toBe('Shopify ID');
    expect(columnOf('body.externalIds.shopify', header.labels)).toBe('Shopify ID');
    expect(columnOf('name', header.labels)).toBe('first name');
    expect(columnOf('phone', header.labels)).toBe('phone');
    expect(columnOf(undefined, header.labels)).toBe('');
  });
});

describe('the same member met again', () => {
  const existing = { memberId: 'm1', email: 'ada@example.com', phone: '+989120000000', externalIds: { shopify: '7' } };
  it('is the row when every identity the row gives is the member own, normalised', () => {
    expect(identityMismatches({ email: 'ADA@example.com ', phone: '+98 912 000 0000' }, existing)).toEqual([]);
    expect(identityMismatches({ memberId: 'm1', externalIds: { shopify: '7' } }, existing)).toEqual([]);
  });
  it("is the row when its phone is the member's in another form, read in the phone's own country", () => {
    for (const phone of ['09120000000', '۰۹۱۲ ۰۰۰ ۰۰۰۰', '00989120000000'])
      expect(identityMismatches({ phone }, existing), phone).toEqual([]);
    expect(identityMismatches({ phone: '09120000001' }, existing).map((p) => p.path)).toEqual(['phone']);
  });
  it('is someone else when any identity differs or is missing', () => {
    expect(identityMismatches({ email: 'ada@example.com', phone: '+1555' }, existing).map((p) => p.path)).toEqual(['phone']);
    expect(identityMismatches({ memberId: 'm2', email: 'ada@example.com' }, existing).map((p) => p.path)).toEqual(['memberId']);
    expect(identityMismatches({ email: 'ada@example.com', externalIds: { woocommerce: '9' } }, existing)[0]).toMatchObject({
      path: 'externalIds.woocommerce',
      code: 'ALREADY_EXISTS',
    });
  });
});

describe('the resume watermark', () => {
  it('moves only over rows that are all finished', () => {
    const w = new RowWatermark(1);
    w.finish(2);
    w.finish(3);
    expect(w.watermark).toBe(1);
    w.finish(1);
    expect(w.watermark).toBe(4);
    w.finish(5);
    expect(w.watermark).toBe(4);
  });
});
