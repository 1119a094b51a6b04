/// <reference lib="dom" />
/**
 * The program editor (Program tab, admins): a form for every rule of the
 * program but its campaigns, and the rewards catalog. "Review the change" lists
 * what changed and what the candidate would have given on the last 30 days'
 * real orders (POST /v1/admin/program/simulate, which also checks it); "Save"
 * PUTs it with If-Match. Every problem the API reports (VALIDATION_FAILED
 * details, paths like body.earning.pointsPerUnit) is shown beside its field; a
 * VERSION_CONFLICT reloads the running program, keeps the staff's edits on top
 * and lists what the other save changed. Loaded only when the tab opens
 * (esbuild splitting; its own size budget in docs/pages.md).
 */
import type { ApiResult, call as Call, h as H, mount as Mount } from '../common/dom';
import { editorWords, type EditorWords } from './program-words';

// The calendar and the pilot come in this chunk too: one script fetched when the Program tab opens.
export { campaignCalendar, pilotPanel } from './campaigns';

type Json = any;
type Kind = 'dec' | 'int' | 'text' | 'sel' | 'bool' | 'list' | 'map' | 'date' | 'day';
/** A field: its key in the object, its kind, the choices of a select, the word list's label when not the key. */
export type Field = [key: string, kind: Kind, options?: readonly string[], label?: string];

export const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v ?? null));
const getAt = (o: Json, path: (string | number)[]) => path.reduce((v, k) => (v == null ? undefined : v[k]), o);
function setAt(o: Json, path: (string | number)[], value: unknown): void {
  let v = o;
  for (const [i, k] of path.slice(0, -1).entries()) v = v[k] ??= typeof path[i + 1] === 'number' ? [] : {};
  const last = path.at(-1)!;
  if (value === undefined) delete v[last];
  else v[last] = value;
}

/** Leaves by dotted path (arrays by index): what the diff and the conflict merge compare. */
function flatten(v: Json, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (v !== null && typeof v === 'object' && (Array.isArray(v) ? v.length : Object.keys(v).length)) {
    for (const [k, x] of Object.entries(v)) flatten(x, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) out.set(prefix, JSON.stringify(v));
  return out;
}
const META = /^(version|updatedAt|updatedBy|expectedVersion)$/;
function changes(from: Json, to: Json): { path: string; before?: string; after?: string }[] {
  const a = flatten(from);
  const b = flatten(to);
  return [...new Set([...a.keys(), ...b.keys()])]
    .filter((p) => !META.test(p) && a.get(p) !== b.get(p))
    .map((path) => ({ path, before: a.get(path), after: b.get(path) }));
}

const SECTIONS: [string, Field[]][] = [
  [
    'earning',
    [
      ['pointsPerUnit', 'dec'],
      ['rounding', 'sel', ['floor', 'round', 'ceil']],
      ['minimumOrder', 'dec'],
      ['maxPointsPerOrder', 'int'],
      ['maxPointsPerDay', 'int'],
      ['returnWindowDays', 'int'],
      ['categoryMultipliers', 'map'],
      ['skuMultipliers', 'map'],
      ['currencies', 'map'],
    ],
  ],
  [
    '',
    [
      ['currency', 'text'],
      ['timeZone', 'text'],
      ['pointValue', 'dec'],
      ['stacking', 'sel', ['stack', 'best']],
    ],
  ],
  [
    'bonuses',
    [
      ['signUp', 'int'],
      ['firstPurchase', 'int'],
      ['birthday', 'int'],
      ['profileCompletion', 'int'],
      ['referral.referrer', 'int'],
      ['referral.referred', 'int'],
    ],
  ],
  [
    'pilot',
    [
      ['enabled', 'bool'],
      ['tags', 'list'],
      ['memberIds', 'list'],
      ['percent', 'int'],
    ],
  ],
  [
    'automation',
    [
      ['runAtHour', 'int'],
      ['expiryReminderDays', 'int'],
      ['expiryLookbackMonths', 'int'],
      ['catchUpDays', 'int'],
      ['welcome.enabled', 'bool', undefined, 'welcome'],
      ['welcome.bonusPoints', 'int'],
      ['quietHours.startHour', 'int'],
      ['quietHours.endHour', 'int'],
      ['defaultLanguage', 'sel', ['fa', 'en']],
    ],
  ],
];
const TIER: Field[] = [
  ['id', 'text'],
  ['name', 'text'],
  ['threshold', 'int'],
  ['multiplier', 'dec'],
  ['perks', 'list'],
];
const STAGE: Field[] = [
  ['stage', 'text'],
  ['afterDays', 'int'],
  ['bonusPoints', 'int'],
];
const REWARD: Field[] = [
  ['rewardId', 'text'],
  ['name', 'text'],
  ['kind', 'sel', ['fixed-discount', 'percent-discount', 'free-product', 'free-shipping', 'tier-up']],
  ['pointsPrice', 'int'],
  ['amount', 'dec'],
  ['percent', 'int'],
  ['productId', 'text'],
  ['tier', 'text'],
  ['tiers', 'list', undefined, 'tiersOnly'],
  ['stock', 'int'],
  ['perMemberLimit', 'int'],
  ['availableFrom', 'date'],
  ['availableUntil', 'date'],
  ['validDays', 'int'],
  ['refundOnExpiry', 'bool'],
];
const VALIDITY: Record<string, Json> = {
  months: { kind: 'months', months: 12 },
  days: { kind: 'days', days: 365 },
  'end-of-year': { kind: 'end-of-year', years: 0 },
  never: { kind: 'never' },
};

/**
 * What the console lends the editor: its DOM and API helpers come with the call
 * rather than by import, so the console's script stays one file (no chunk shared
 * with the editor) and the editor carries only its own code and words.
 */
export interface EditorContext {
  h: typeof H;
  call: typeof Call;
  mount: typeof Mount;
  message: (text: string, kind?: 'error' | 'notice') => HTMLElement;
  errorText: (res: ApiResult) => string;
  num: (n: number) => string;
  lang: string;
  token: string;
  /** GET /v1/admin/program's answer. */
  program: Json;
  /** After a save: the console reloads the program's facts and the tab. */
  saved: (notice: HTMLElement) => void;
}

/** What a form over the program draws with: its inputs (problems shown beside them), lists, the draft, a redraw. */
export interface ProgramForm {
  input: (path: (string | number)[], field: Field) => HTMLElement;
  list: (path: string[], item: Field[], template: Json, legend: string) => HTMLElement;
  draft: () => Json;
  draw: () => void;
  /** Reviews the draft (the diff, the last 30 days simulated) as the form's submit button does. */
  review: () => void;
  fields: Map<string, { input: HTMLElement; problem: HTMLElement }>;
}

/**
 * A form over the whole program: the editor and the campaign calendar draw
 * different fields, and share the review (diff and 30-day simulation), the
 * save with If-Match, each problem beside its field and the conflict merge.
 */
export function programForm(
  ctx: EditorContext,
  title: string,
  body: (f: ProgramForm) => Node[],
  testid: string,
  prepare?: (draft: Json) => void,
): HTMLElement {
  const { h, call, mount, message, errorText, num } = ctx;
  const e: EditorWords = editorWords(ctx.lang);
  let base = clone(ctx.program);
  let draft = clone(ctx.program);
  prepare?.(draft);
  /** Each field's problem slot and input, by its dotted path. */
  const fields = new Map<string, { input: HTMLElement; problem: HTMLElement }>();
  const form = h('form', { className: 'card editor', 'data-testid': testid, noValidate: true });
  const top = h('div', {});
  const review = h('div', { 'data-testid': 'review' });

  function input(path: (string | number)[], [key, kind, options, label]: Field): HTMLElement {
    const dotted = path.join('.');
    const value = getAt(draft, path);
    const set = (v: unknown) => setAt(draft, path, v);
    let el: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
    const name = e.labels[label ?? key.split('.').at(-1)!] ?? key;
    if (kind === 'sel') {
      el = h(
        'select',
        {},
        options!.map((o) => h('option', { value: o, selected: o === value }, e.options[o] ?? o)),
      );
      el.addEventListener('change', () => set(el.value));
    } else if (kind === 'bool') {
      el = h('input', { type: 'checkbox', checked: !!value });
      el.addEventListener('change', () => set((el as HTMLInputElement).checked));
    } else if (kind === 'map') {
      el = h('textarea', { rows: 3, dir: 'ltr' });
      el.value = Object.entries(value ?? {})
        .map(([k, v]) => `${k} = ${v}`)
        .join('\n');
      el.addEventListener('input', () =>
        set(
          Object.fromEntries(
            el.value
              .split('\n')
              .filter((l) => l.trim())
              .map((l) => [l.split('=')[0]!.trim(), l.split('=').slice(1).join('=').trim()]),
          ),
        ),
      );
    } else {
      el = h('input', {
        type: kind === 'int' ? 'number' : kind === 'date' || kind === 'day' ? 'date' : 'text',
        step: kind === 'int' ? '1' : undefined,
        dir: kind === 'text' && !/name/i.test(key) ? 'ltr' : 'auto',
      });
      el.value =
        value === undefined || value === null
          ? ''
          : kind === 'list'
            ? (value as string[]).join(', ')
            : kind === 'date' || kind === 'day'
              ? String(value).slice(0, 10)
              : String(value);
      el.addEventListener('input', () => {
        const t = el.value.trim();
        // Empty leaves the field out (its default, or "no cap"); the API judges the rest.
        if (!t) return set(kind === 'list' ? [] : undefined);
        set(
          kind === 'int'
            ? Number(t)
            : kind === 'list'
              ? t
                  .split(/[,،]/)
                  .map((s) => s.trim())
                  .filter(Boolean)
              : kind === 'date'
                ? `${t}T00:00:00.000Z`
                : t,
        );
      });
    }
    el.setAttribute('name', dotted);
    const problem = h('span', { className: 'problem', id: `problem-${dotted}`, role: 'status' });
    fields.set(dotted, { input: el, problem });
    return h(
      'label',
      { className: kind === 'bool' ? 'check' : '', 'data-path': dotted },
      kind === 'bool' ? [el, ' ', name] : [name, el],
      problem,
    );
  }

  function list(path: string[], item: Field[], template: Json, legend: string): HTMLElement {
    const items: Json[] = (getAt(draft, path) as Json[] | undefined) ?? [];
    const box = h('fieldset', { 'data-path': path.join('.') }, h('legend', {}, legend));
    items.forEach((_, i) => {
      box.append(
        h(
          'div',
          { className: 'item', 'data-item': `${path.join('.')}.${i}` },
          item.map((f) => input([...path, i, ...f[0].split('.')], f)),
          h('button', { type: 'button', className: 'secondary', onclick: () => (items.splice(i, 1), draw()) }, e.remove),
        ),
      );
    });
    box.append(
      h(
        'button',
        { type: 'button', className: 'secondary', onclick: () => (setAt(draft, path, [...items, clone(template)]), draw()) },
        `${e.add}: ${legend}`,
      ),
    );
    return box;
  }

  function draw(): void {
    fields.clear();
    mount(form, h('h2', {}, title), top, ...body(api), review, h('p', { className: 'actions' }, h('button', { type: 'submit' }, e.review)));
  }

  /** The program as the API takes it: no version fields, "no quiet hours" as null. */
  function candidate(): Json {
    const p = clone(draft);
    for (const k of ['version', 'updatedAt', 'updatedBy']) delete p[k];
    const q = p.automation?.quietHours;
    if (q && q.startHour === undefined && q.endHour === undefined) p.automation.quietHours = null;
    // A campaign's empty lists and hours mean "no condition": left out, as the API wants them.
    for (const c of p.campaigns ?? []) {
      for (const k of ['tags', 'tiers']) if (!c.target?.[k]?.length) delete c.target?.[k];
      if (!c.daysOfWeek?.length) delete c.daysOfWeek;
      if (c.hours && !c.hours.from && !c.hours.to) delete c.hours;
    }
    return p;
  }

  /** The API's problems beside their fields: body.earning.pointsPerUnit → the pointsPerUnit input (or the nearest field above it). */
  function showProblems(details: { path?: string; message: string }[], fallback: string): void {
    for (const { input: el, problem } of fields.values()) el.removeAttribute('aria-invalid'), problem.replaceChildren();
    const unplaced: string[] = [];
    for (const d of details) {
      const parts = String(d.path ?? '')
        .replace(/^body\.(program\.)?/, '')
        .split('.')
        .filter(Boolean);
      let at: string | undefined;
      for (let n = parts.length; n > 0 && !at; n--) if (fields.has(parts.slice(0, n).join('.'))) at = parts.slice(0, n).join('.');
      const f = at ? fields.get(at) : undefined;
      if (!f) {
        unplaced.push(`${d.path}: ${d.message}`);
        continue;
      }
      f.problem.append(h('span', {}, d.message, ' '));
      f.input.setAttribute('aria-invalid', 'true');
      f.input.setAttribute('aria-describedby', f.problem.id);
    }
    mount(review, message(`${e.problems} ${unplaced.join('; ') || fallback}`, 'error'));
    (document.querySelector('[aria-invalid=true]') as HTMLElement | null)?.focus();
  }

  const diffList = (list: ReturnType<typeof changes>, testid: string) =>
    h(
      'ul',
      { 'data-testid': testid, dir: 'ltr' },
      list.map((c) => h('li', { 'data-path': c.path }, h('code', {}, c.path), `: ${c.before ?? e.none} → ${c.after ?? e.none}`)),
    );

  async function save(): Promise<void> {
    const res = await call(ctx.token, 'PUT', '/v1/admin/program', candidate(), { 'if-match': `"${base.version}"` });
    if (res.status === 200) return ctx.saved(message(e.saved(num(res.body.version))));
    if (res.status === 400 && res.body?.error?.details?.length) return showProblems(res.body.error.details, errorText(res));
    if (res.body?.error?.code !== 'VERSION_CONFLICT') return mount(review, message(errorText(res), 'error'));
    // Someone saved meanwhile: their program, with this editor's changes laid on top, and what they changed.
    const latest = await call(ctx.token, 'GET', '/v1/admin/program');
    if (latest.status !== 200) return mount(review, message(errorText(latest), 'error'));
    const mine = changes(base, draft);
    const theirs = changes(base, latest.body);
    const merged = clone(latest.body);
    for (const c of mine)
      setAt(
        merged,
        c.path.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k)),
        c.after === undefined ? undefined : JSON.parse(c.after),
      );
    const from = base.version;
    base = latest.body;
    draft = merged;
    draw();
    mount(
      top,
      h(
        'div',
        { className: 'msg error', role: 'status', 'data-testid': 'conflict' },
        e.conflict(num(from), num(base.version)),
        diffList(theirs, 'their-changes'),
      ),
    );
  }

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const diff = changes(base, candidate());
    if (!diff.length) return mount(review, message(e.noChange));
    // The simulator checks the candidate as PUT would, so its problems show before anything is saved.
    // The program's challenges are priced on the same orders (referrals and profiles on what those ledgers paid).
    const challenges: Json[] = candidate().challenges ?? [];
    const sim = await call(ctx.token, 'POST', '/v1/admin/program/simulate', {
      program: candidate(),
      lastDays: 30,
      ...(challenges.length > 0 && { challenges }),
    });
    if (sim.status === 400 && sim.body?.error?.details?.length) return showProblems(sim.body.error.details, errorText(sim));
    const figures =
      sim.status === 200
        ? h(
            'p',
            { 'data-testid': 'simulation' },
            e.simulated(num(sim.body.ordersPriced ?? 0), num(sim.body.totalPoints ?? 0), num(sim.body.actualTotalPoints ?? 0)),
          )
        : message(errorText(sim), 'error');
    const named = new Map<string, Json>(challenges.map((c: Json) => [c.id, c.name]));
    const challengeFigures = (sim.status === 200 ? (sim.body.challenges ?? []) : []).map((f: Json) =>
      h(
        'li',
        { 'data-challenge': f.id },
        e.challengeSimulated(
          named.get(f.id)?.[ctx.lang === 'fa' ? 'fa' : 'en'] ?? f.id,
          num(f.participants),
          num(f.completions),
          num(f.points),
        ),
      ),
    );
    mount(
      review,
      h('h3', {}, e.change),
      diffList(diff, 'diff'),
      figures,
      ...(challengeFigures.length > 0 ? [h('ul', { 'data-testid': 'challenge-simulation' }, ...challengeFigures)] : []),
      h('button', { type: 'button', 'data-action': 'save', onclick: () => void save() }, e.save),
    );
  });

  const api: ProgramForm = {
    input,
    list,
    draft: () => draft,
    draw,
    review: () => form.requestSubmit(),
    fields,
  };
  draw();
  return form;
}

/** The program editor: every rule of the program but its campaigns (the calendar edits those), and the rewards catalog. */
export function programEditor(ctx: EditorContext): HTMLElement {
  const { h } = ctx;
  const e = editorWords(ctx.lang);
  return programForm(
    ctx,
    e.edit,
    ({ input, list, draft, draw, fields }) => {
      function validity(): HTMLElement {
        const v = draft().pointsValidity ?? VALIDITY.months;
        const kind = h(
          'select',
          { name: 'pointsValidity.kind', onchange: () => ((draft().pointsValidity = clone(VALIDITY[kind.value])), draw()) },
          Object.keys(VALIDITY).map((k) => h('option', { value: k, selected: k === v.kind }, e.options[k] ?? k)),
        );
        const amount =
          v.kind === 'never'
            ? null
            : input(['pointsValidity', v.kind === 'end-of-year' ? 'years' : v.kind], [v.kind === 'end-of-year' ? 'years' : v.kind, 'int']);
        const problem = h('span', { className: 'problem', id: 'problem-pointsValidity', role: 'status' });
        fields.set('pointsValidity', { input: kind, problem });
        return h(
          'fieldset',
          { 'data-path': 'pointsValidity' },
          h('legend', {}, e.sections.pointsValidity),
          h('label', {}, e.labels.kind, kind),
          amount,
          problem,
        );
      }

      const sections = SECTIONS.map(([at, list]) => {
        const path = at ? at.split('.') : [];
        return h(
          'fieldset',
          { 'data-section': at || 'general' },
          h('legend', {}, e.sections[at || 'general']),
          list.map((f) => input([...path, ...f[0].split('.')], f)),
        );
      });
      const tiers = h(
        'fieldset',
        { 'data-section': 'tiers' },
        h('legend', {}, e.sections.tiers),
        input(['tiers', 'basis'], ['basis', 'sel', ['points', 'spend']]),
        input(['tiers', 'windowMonths'], ['windowMonths', 'int']),
        input(['tiers', 'graceDays'], ['graceDays', 'int']),
        list(['tiers', 'levels'], TIER, { id: '', name: '', threshold: 0, multiplier: '1', perks: [] }, e.labels.levels!),
      );
      const stages = list(['automation', 'reengageStages'], STAGE, { stage: '', afterDays: 30, bonusPoints: 0 }, e.labels.reengageStages!);
      sections[4]!.append(stages);
      const rewards = h(
        'fieldset',
        { 'data-section': 'rewards' },
        h('legend', {}, e.sections.rewards),
        list(['rewards'], REWARD, { rewardId: '', name: '', kind: 'free-shipping', pointsPrice: 100, validDays: 30 }, e.sections.rewards!),
      );
      return [sections[0]!, sections[1]!, validity(), tiers, sections[2]!, sections[3]!, sections[4]!, rewards];
    },
    'program-editor',
  );
}
