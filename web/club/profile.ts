/// <reference lib="dom" />
/**
 * The member's own details and messages on /club: a "complete your profile"
 * card (what is missing and what completing it earns), the profile form
 * (PATCH /v1/me) with a birthday picked as Jalali year/month/day in Persian and
 * Gregorian in English, and the SMS/email consent (PUT /v1/me/notifications).
 * The page's main.ts mounts these after the balance.
 */
import { API } from './api';
import { jalaliMonthLength, jalaliToGregorian } from '../../shared/domain/jalali';
import { call, h } from '../common/dom';
import { formatNumber, type Lang } from '../common/format';
import { PROFILE_TEXT } from './profile-words';

export interface ProfileContext {
  readonly token: string;
  readonly lang: Lang;
  /** GET /v1/me's answer. */
  readonly me: any;
  /** GET /v1/me/notifications' answer (null when it could not be read: the card is left out). */
  readonly prefs: any;
  /** Reads the page again after a save, then says `message` in the live region. */
  readonly saved: (message: string, ok: boolean) => Promise<void>;
}

/** A year without the thousands mark, in the language's digits. */
const plain = (n: number, lang: Lang) => new Intl.NumberFormat(lang === 'fa' ? 'fa-IR' : 'en-US', { useGrouping: false }).format(n);

/** A Gregorian yyyy-mm-dd as the calendar's year, month and day (Intl's persian calendar for fa). */
function partsOf(iso: string, lang: Lang): [number, number, number] {
  if (lang === 'en') return iso.split('-').map(Number) as [number, number, number];
  const parts = new Intl.DateTimeFormat('en-u-ca-persian-nu-latn', { year: 'numeric', month: 'numeric', day: 'numeric', timeZone: 'UTC' })
    .formatToParts(new Date(`${iso}T00:00:00Z`))
    .reduce<Record<string, number>>(
      (o, p) => (p.type === 'literal' ? o : Object.assign(o, { [p.type]: Number.parseInt(p.value, 10) })),
      {},
    );
  return [parts.year!, parts.month!, parts.day!];
}

// A birthday with no year is kept as --mm-dd (Gregorian); in Persian it is read and written through this
// year (1380 = 2001/02, neither side leap), so a month and day without a year still name one Gregorian day.
const NO_YEAR = { fa: 1380, en: 2001 } as const;

function birthdayPicker(lang: Lang, birthday: string | null): { node: HTMLElement; value: () => string | null } {
  const w = PROFILE_TEXT[lang];
  const known = birthday?.startsWith('--') === false;
  const [y, m, d] = birthday ? partsOf(known ? birthday : `${2001}${birthday.slice(1)}`, lang) : [0, 0, 0];
  const thisYear = partsOf(new Date().toISOString().slice(0, 10), lang)[0];
  const monthNames =
    lang === 'fa'
      ? w.months
      : Array.from({ length: 12 }, (_, i) =>
          new Intl.DateTimeFormat('en-US', { month: 'long', timeZone: 'UTC' }).format(Date.UTC(2001, i, 1)),
        );
  const select = (label: string, testid: string, options: [number, string][], selected: number) =>
    h(
      'select',
      { 'aria-label': label, 'data-testid': testid },
      options.map(([v, text]) => h('option', { value: v, selected: v === selected }, text)),
    );
  const years = Array.from({ length: 100 }, (_, i) => thisYear - i);
  const year = select(w.year, 'birth-year', [[0, w.noYear], ...years.map((v): [number, string] => [v, plain(v, lang)])], known ? y : 0);
  const month = select(w.month, 'birth-month', [[0, '—'], ...monthNames.map((n, i): [number, string] => [i + 1, n])], m);
  const day = select(
    w.day,
    'birth-day',
    [[0, '—'], ...Array.from({ length: 31 }, (_, i): [number, string] => [i + 1, plain(i + 1, lang)])],
    d,
  );
  const node = h('fieldset', { className: 'period' }, h('legend', {}, w.birthday), day, month, year);
  return {
    node,
    value: () => {
      const [yy, mm, dd] = [year, month, day].map((s) => Number(s.value)) as [number, number, number];
      if (!mm || !dd) return null;
      const fullYear = yy || NO_YEAR[lang];
      // A day the month does not have (31 Mehr, 30 February) is the month's last.
      const last = lang === 'fa' ? jalaliMonthLength(fullYear, mm) : new Date(Date.UTC(fullYear, mm, 0)).getUTCDate();
      const iso =
        lang === 'fa'
          ? jalaliToGregorian(fullYear, mm, Math.min(dd, last))
          : `${fullYear}-${String(mm).padStart(2, '0')}-${String(Math.min(dd, last)).padStart(2, '0')}`;
      return yy ? iso : `-${iso.slice(4)}`;
    },
  };
}

/** While the club collects before its launch: when points start, said above what it will offer (never a promise of points now). */
export function collectingNote(me: any, lang: Lang): HTMLElement | null {
  if (!me.collecting) return null;
  const w = PROFILE_TEXT[lang];
  const when = me.collecting.launchesAt
    ? new Intl.DateTimeFormat(lang === 'fa' ? 'fa-IR-u-ca-persian' : 'en-US', { dateStyle: 'long', timeZone: 'UTC' }).format(
        new Date(`${me.collecting.launchesAt}T00:00:00Z`),
      )
    : null;
  return h(
    'section',
    { className: 'card notice', 'data-testid': 'collecting' },
    h('h2', {}, w.collecting),
    h('p', {}, w.collectingText(when)),
  );
}

const REFUSED: Record<string, 'taken' | 'tooMany'> = { ALREADY_EXISTS: 'taken', TOO_MANY_REQUESTS: 'tooMany' };

/**
 * The code step of a new email or phone (PATCH /v1/me answered 202): where the code
 * went, a box for it, and POST /v1/me/contact/verify. Shown in the form's place, so
 * the page is not read again (and the step lost) until the address is kept.
 */
function codeStep(ctx: ProfileContext, sent: { channel: 'email' | 'phone'; sentTo: string }, address: string): HTMLElement {
  const w = PROFILE_TEXT[ctx.lang];
  const code = h('input', {
    name: 'code',
    inputmode: 'numeric',
    autocomplete: 'one-time-code',
    dir: 'ltr',
    maxlength: 6,
    'data-testid': 'contact-code',
  });
  const problem = h('p', { role: 'alert', className: 'error' });
  const confirm = async (e: Event) => {
    e.preventDefault();
    const res = await call(ctx.token, 'POST', `${API}/v1/me/contact/verify`, { [sent.channel]: address, code: code.value.trim() });
    if (res.status === 200) return ctx.saved(w.contactKept, true);
    problem.textContent = res.body?.error?.code === 'ALREADY_EXISTS' ? w.taken : w.codeWrong;
  };
  return h(
    'form',
    { onsubmit: confirm, 'data-testid': 'contact-step' },
    h('p', { 'data-testid': 'code-sent-to' }, w.codeSent(sent.sentTo)),
    h('label', {}, w.code, code),
    problem,
    h('button', { type: 'submit' }, w.confirm),
  );
}

export function profileSections(ctx: ProfileContext): HTMLElement[] {
  const { lang, me } = ctx;
  const w = PROFILE_TEXT[lang];
  const p = me.profile;
  const sections: HTMLElement[] = [];
  if (p && !p.complete) {
    sections.push(
      h(
        'section',
        { className: 'card notice', 'data-testid': 'complete-profile' },
        h('h2', {}, w.complete),
        h('p', {}, w.missing, ' ', p.missing.map((f: string) => w.fields[f] ?? f).join(lang === 'fa' ? '، ' : ', ')),
        p.bonusPoints > 0 ? h('p', { 'data-testid': 'profile-bonus' }, h('strong', {}, w.earns(formatNumber(p.bonusPoints, lang)))) : null,
        p.missing.includes('phone') || p.missing.includes('email') ? h('p', { className: 'muted' }, w.addContact) : null,
      ),
    );
  }
  if (!p) return sections;

  const name = h('input', { name: 'name', autocomplete: 'name', value: me.name ?? '', maxlength: 200 });
  const email = h('input', { name: 'email', type: 'email', autocomplete: 'email', dir: 'ltr', value: p.email ?? '' });
  const phone = h('input', { name: 'phone', type: 'tel', autocomplete: 'tel', dir: 'ltr', value: p.phone ?? '' });
  const birthday = birthdayPicker(lang, p.birthday);
  const language = h(
    'select',
    { name: 'language' },
    h('option', { value: 'fa', lang: 'fa', selected: (ctx.prefs?.language ?? lang) === 'fa' }, 'فارسی'),
    h('option', { value: 'en', lang: 'en', selected: (ctx.prefs?.language ?? lang) === 'en' }, 'English'),
  );
  const save = async (e: Event) => {
    e.preventDefault();
    const body: Record<string, unknown> = {};
    if (name.value.trim() && name.value.trim() !== (me.name ?? '')) body.name = name.value.trim();
    if (email.value.trim() && email.value.trim().toLowerCase() !== (p.email ?? '').toLowerCase()) body.email = email.value.trim();
    if (phone.value.trim() && phone.value.trim() !== (p.phone ?? '')) body.phone = phone.value.trim();
    // One new address at a time: each is confirmed by its own code.
    if (body.email && body.phone) return ctx.saved(w.oneAtATime, false);
    const b = birthday.value();
    if (b !== (p.birthday ?? null)) body.birthday = b;
    if (language.value !== (ctx.prefs?.language ?? lang)) body.language = language.value;
    if (Object.keys(body).length === 0) return ctx.saved(w.saved, true);
    const res = await call(ctx.token, 'PATCH', `${API}/v1/me`, body);
    if (res.status === 202) {
      form.replaceWith(codeStep(ctx, res.body.verification, String(body.email ?? body.phone)));
      return;
    }
    const why = REFUSED[res.body?.error?.code];
    await ctx.saved(res.status === 200 ? w.saved : why ? w[why] : w.invalid, res.status === 200);
  };
  const form = h(
    'form',
    { onsubmit: save },
    h('label', {}, w.name, name),
    h('label', {}, w.email, email),
    h('label', {}, w.phone, phone),
    birthday.node,
    h('label', {}, w.language, language),
    h('button', { type: 'submit' }, w.save),
  );
  sections.push(h('section', { className: 'card', 'data-testid': 'profile' }, h('h2', {}, w.profile), form));

  if (ctx.prefs) {
    const channels: string[] = ctx.prefs.channels;
    const box = (testid: string, checked: boolean) => h('input', { type: 'checkbox', 'data-testid': testid, checked });
    const sms = box('consent-sms', channels.includes('sms'));
    const mail = box('consent-email', channels.includes('email'));
    const offers = box('consent-offers', ctx.prefs.marketing);
    const change = async () => {
      // Kept in the member's order of preference; a channel turned on goes last.
      const wanted = new Set([sms.checked && 'sms', mail.checked && 'email'].filter(Boolean));
      const order = [...channels.filter((c) => wanted.has(c)), ...[...wanted].filter((c) => !channels.includes(c as string))];
      const res = await call(ctx.token, 'PUT', `${API}/v1/me/notifications`, { channels: order, marketing: offers.checked });
      await ctx.saved(res.status === 200 ? w.saved : w.invalid, res.status === 200);
    };
    sections.push(
      h(
        'section',
        { className: 'card', 'data-testid': 'messages' },
        h('h2', {}, w.messages),
        [
          [sms, w.sms],
          [mail, w.emails],
          [offers, w.offers],
        ].map(([input, label]) => h('label', { className: 'check' }, input as HTMLInputElement, ' ', label as string)),
        h('button', { type: 'button', className: 'secondary', onclick: change }, w.save),
      ),
    );
  }
  return sections;
}
