/// <reference lib="dom" />
/**
 * The Program tab's campaign calendar and pilot. The year view reads Jalali
 * months in Persian and Gregorian ones in English (Intl's calendars, so no
 * month table ships); a campaign is created, edited or deleted in a form over
 * the whole program (programForm), so it is reviewed, simulated, saved with
 * If-Match and refused or merged exactly as the program editor's changes are.
 * The pilot card shows the group, what launching would have given on the last
 * 30 days (the simulator), and launches — after the admin confirms — showing
 * the API's answer.
 */
import { clone, type EditorContext, type Field, programForm } from './program-editor';
import { challengesIn } from './challenge-months';
import { editorWords } from './program-words';

type Json = any;

export interface CalendarContext extends EditorContext {
  admin: boolean;
  /** Puts a campaign's form in the console's main area. */
  show: (el: HTMLElement) => void;
  /** Back to the Program tab as it was. */
  back: () => void;
}

interface Month {
  name: string;
  start: string;
  end: string;
}

const DAY = 864e5;
const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);
const calendarOf = (fa: boolean) => `en-u-ca-${fa ? 'persian' : 'gregory'}`;
const yearOf = (t: number, fa: boolean) =>
  Number(
    new Intl.DateTimeFormat(calendarOf(fa), { year: 'numeric', timeZone: 'UTC' }).formatToParts(t).find((p) => p.type === 'year')!.value,
  );

/** The twelve months of a Jalali (fa) or Gregorian year, each with its first and last day (yyyy-mm-dd). */
function monthsOf(year: number, fa: boolean): Month[] {
  const parts = new Intl.DateTimeFormat(calendarOf(fa), { year: 'numeric', month: 'numeric', timeZone: 'UTC' });
  const name = new Intl.DateTimeFormat(fa ? 'fa-IR-u-ca-persian' : 'en', { month: 'long', timeZone: 'UTC' });
  const out: Month[] = [];
  // A Jalali year starts on 20 or 21 March of Gregorian year + 621.
  const g = fa ? year + 621 : year;
  for (let t = Date.UTC(g, fa ? 2 : 0, 1); t < Date.UTC(g + 1, fa ? 3 : 0, 1); t += DAY) {
    const p = Object.fromEntries(parts.formatToParts(t).map((x) => [x.type, x.value]));
    if (Number(p.year) !== year) continue;
    const m = (out[Number(p.month) - 1] ??= { name: name.format(t), start: isoDay(t), end: '' });
    m.end = isoDay(t);
  }
  return out;
}

const EFFECTS: Record<string, Json> = {
  multiplier: { type: 'multiplier', multiplier: '2' },
  fixedBonus: { type: 'fixedBonus', points: 50 },
  spendBonus: { type: 'spendBonus', over: '100', points: 50 },
};
const WHEN: Field[] = [
  ['id', 'text'],
  ['name', 'text'],
  ['start', 'day'],
  ['end', 'day'],
  ['daysOfWeek', 'list'],
  ['hours.from', 'text'],
  ['hours.to', 'text'],
];
const WHO: Field[] = [
  ['target.tags', 'list'],
  ['target.tiers', 'list', undefined, 'tiersOnly'],
  ['target.joinedAfter', 'date'],
  ['target.pilotOnly', 'bool'],
];

export function campaignCalendar(ctx: CalendarContext): HTMLElement {
  const { h, mount, num } = ctx;
  const fa = ctx.lang === 'fa';
  const c = editorWords(ctx.lang).cal;
  const campaigns: Json[] = ctx.program.campaigns ?? [];
  // Challenges are edited with the program; the calendar shows when they run beside the campaigns.
  const challenges: Json[] = ctx.program.challenges ?? [];
  const dayName = new Intl.DateTimeFormat(fa ? 'fa-IR-u-ca-persian' : 'en', { day: 'numeric', month: 'short', timeZone: 'UTC' });
  const day = (d: string) => dayName.format(new Date(`${d}T12:00:00Z`));
  const box = h('section', { className: 'card', 'data-testid': 'calendar' });
  let year = yearOf(Date.now(), fa);

  /** A campaign's form: index i to edit (or delete) one, none for a new one (its days from the month picked). */
  function open(i?: number, month?: Month): void {
    const at = i ?? campaigns.length;
    let deleting = false;
    const form = programForm(
      ctx,
      i === undefined ? c.add : c.edit,
      ({ input, draft, draw, review }) => {
        const path = ['campaigns', at];
        const field = (f: Field) => input([...path, ...f[0].split('.')], f);
        const back = h('button', { type: 'button', className: 'secondary', onclick: ctx.back }, c.back);
        if (deleting) return [h('p', {}, c.removing(`\u2068${campaigns[at].name}\u2069`)), back];
        const effect = field(['effect.type', 'sel', Object.keys(EFFECTS), 'effect']);
        // Each effect has its own fields (the API refuses another's): a new type starts from its template.
        effect.querySelector('select')!.addEventListener('change', (ev) => {
          draft().campaigns[at].effect = clone(EFFECTS[(ev.target as HTMLSelectElement).value]);
          draw();
        });
        const { type, ...rest } = draft().campaigns[at].effect;
        return [
          h('fieldset', {}, h('legend', {}, c.when), WHEN.map(field)),
          h('fieldset', {}, h('legend', {}, c.who), WHO.map(field)),
          h(
            'fieldset',
            {},
            h('legend', {}, c.effect),
            effect,
            Object.keys(rest).map((k) => field([`effect.${k}`, k === 'points' ? 'int' : 'dec'])),
          ),
          h(
            'p',
            { className: 'period' },
            back,
            i === undefined
              ? null
              : h(
                  'button',
                  {
                    type: 'button',
                    className: 'secondary',
                    'data-action': 'delete-campaign',
                    onclick: () => {
                      deleting = true;
                      draft().campaigns.splice(at, 1);
                      draw();
                      review();
                    },
                  },
                  c.remove,
                ),
          ),
        ];
      },
      'campaign-form',
      (draft) => {
        if (i !== undefined) return;
        const today = isoDay(Date.now());
        (draft.campaigns ??= []).push({
          id: '',
          name: '',
          start: month?.start ?? today,
          end: month?.end ?? today,
          target: {},
          effect: clone(EFFECTS.multiplier),
        });
      },
    );
    ctx.show(form);
  }

  function draw(): void {
    const step = (by: number, label: string) =>
      h('button', { type: 'button', className: 'secondary', onclick: () => ((year += by), draw()) }, label);
    mount(
      box,
      h('h2', {}, c.title(num(year).replace(/[,٬]/g, ''))),
      h(
        'p',
        { className: 'period' },
        step(-1, c.prev),
        step(1, c.next),
        ctx.admin ? h('button', { type: 'button', 'data-action': 'new-campaign', onclick: () => open() }, c.add) : null,
      ),
      h(
        'div',
        { className: 'calendar' },
        monthsOf(year, fa).map((m) => {
          const touching = campaigns.flatMap((x, i) => (x.start <= m.end && x.end >= m.start ? [i] : []));
          const playing = challengesIn(challenges, m);
          return h(
            'div',
            { className: 'month', 'data-month': m.start },
            h('h3', {}, m.name),
            touching.length || playing.length
              ? h(
                  'ul',
                  {},
                  playing.map((x) =>
                    h(
                      'li',
                      { className: 'challenge', 'data-challenge': x.id },
                      `${c.challenge}: \u2068${x.name?.[ctx.lang] ?? x.id}\u2069 `,
                      x.period.repeat === 'monthly'
                        ? c.everyMonth
                        : x.period.repeat === 'weekly'
                          ? c.everyWeek
                          : `${day(x.period.from)} – ${day(x.period.to)}`,
                    ),
                  ),
                  touching.map((i) => {
                    const x = campaigns[i];
                    const name = `\u2068${x.name}\u2069`;
                    return h(
                      'li',
                      { 'data-campaign': x.id },
                      ctx.admin ? h('button', { type: 'button', className: 'secondary', onclick: () => open(i) }, name) : name,
                      ` ${day(x.start)} – ${day(x.end)}`,
                    );
                  }),
                )
              : h('p', { className: 'muted' }, '—'),
            ctx.admin
              ? h(
                  'button',
                  { type: 'button', className: 'secondary', 'aria-label': c.addIn(m.name), onclick: () => open(undefined, m) },
                  '+',
                )
              : null,
          );
        }),
      ),
    );
  }
  draw();
  return box;
}

export function pilotPanel(ctx: CalendarContext): HTMLElement {
  const { h, call, mount, message, errorText, num } = ctx;
  const p = ctx.program;
  const pilot = p.pilot ?? {};
  const w = editorWords(ctx.lang).pilot;
  const list = (xs: string[]) => (xs?.length ? xs.map((x) => `\u2068${x}\u2069`).join(', ') : '—');
  const figures = h('p', { 'data-testid': 'pilot-figures' });
  const out = h('div', { 'aria-live': 'polite' });
  const box = h(
    'section',
    { className: 'card', 'data-testid': 'pilot' },
    h('h2', {}, w.title),
    h('p', {}, pilot.enabled ? w.on : w.off),
    pilot.enabled ? h('p', {}, w.group(list(pilot.tags), list(pilot.memberIds), num(pilot.percent ?? 0))) : null,
    figures,
    out,
  );
  if (!pilot.enabled) return box;
  // What launching would change: the last 30 days' real orders priced without the pilot gate, beside what they earned.
  const launched = clone(p);
  launched.pilot.enabled = false;
  void call(ctx.token, 'POST', '/v1/admin/program/simulate', { program: launched, lastDays: 30 }).then((sim) =>
    sim.status === 200
      ? mount(
          figures,
          document.createTextNode(w.figures(num(sim.body.ordersPriced), num(sim.body.totalPoints), num(sim.body.actualTotalPoints ?? 0))),
        )
      : mount(figures, message(errorText(sim), 'error')),
  );
  if (!ctx.admin) return box;
  const retro = h('input', { type: 'checkbox', name: 'retroactive' });
  const from = h('input', { type: 'date', name: 'retroactiveFrom', value: isoDay(Date.now() - 30 * DAY) });
  const launch = async () => {
    const body = retro.checked ? { retroactiveFrom: `${from.value}T00:00:00.000Z` } : {};
    const res = await call(ctx.token, 'POST', '/v1/admin/program/launch', body, { 'if-match': `"${p.version}"` });
    if (res.status !== 200) return mount(out, message(errorText(res), 'error'));
    const r = res.body.retroactive;
    const said = res.body.launched
      ? w.launched(num(res.body.program.version), num(r.orders), num(r.points), num(r.bonusPoints))
      : w.already;
    const notice = message(said);
    notice.dataset.testid = 'launched';
    ctx.saved(notice);
  };
  box.append(
    h('label', { className: 'check' }, retro, ' ', w.retro),
    from,
    h(
      'p',
      {},
      h(
        'button',
        {
          type: 'button',
          'data-action': 'launch',
          // Nothing is sent before the admin reads what will happen and says yes.
          onclick: () =>
            mount(
              out,
              h(
                'div',
                { className: 'msg', 'data-testid': 'launch-confirm' },
                h('p', {}, w.confirm(num(p.version), retro.checked ? from.value : null)),
                h('button', { type: 'button', 'data-action': 'confirm-launch', onclick: () => void launch() }, w.yes),
                ' ',
                h('button', { type: 'button', className: 'secondary', onclick: () => out.replaceChildren() }, editorWords(ctx.lang).cancel),
              ),
            ),
        },
        w.launch,
      ),
    ),
  );
  return box;
}
