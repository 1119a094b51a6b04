/// <reference lib="dom" />
/**
 * The staff console (/admin): members (search, profile, ledger, adjustments
 * with a reason, portal links), failed webhook deliveries with replay, the
 * program and its campaign calendar, and the reports. Locally staff sign in
 * with the API token or a named staff token (kept in sessionStorage only); on
 * AWS with the Cognito hosted UI (web/admin/cognito.ts). What a role may do is
 * enforced by the API; the console only hides what would be refused.
 */
import { call, h, mount, newKey, type Child } from '../common/dom';
import { isolate as iso } from '../common/format';
import { reasonWords } from '../common/reasons';
import { entryReason } from '../../shared/portal/reasons';
import { cognitoConfig, finishCognitoSignIn, startCognitoSignIn } from './cognito';
import { deliveriesView } from './deliveries';
import { shopSyncView } from './shop-sync';
import { cards, errorText, message } from './ui';
import { challengeNames, chooseLang, day, lang, money, num, setProgramFacts, signed, tierName, timeZone, w, when } from './words';

const TOKEN_KEY = 'loyalty.staffToken';
const ltr = (text: string) => h('bdi', { dir: 'ltr' }, text);
const root = document.getElementById('app')!;

type Role = 'viewer' | 'operator' | 'admin';
interface Session {
  token: string;
  actor: string;
  role: Role;
}
const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };
const can = (s: Session, role: Role) => RANK[s.role] >= RANK[role];

// --- sign-in -------------------------------------------------------------------

async function signIn(token: string): Promise<Session | string> {
  const res = await call(token, 'GET', '/v1/staff/me');
  if (res.status !== 200) return res.status === 401 ? w.badToken : errorText(res);
  sessionStorage.setItem(TOKEN_KEY, token);
  return { token, actor: res.body.actor, role: res.body.role };
}

/** The language switch: remembered, and the page drawn again in the other language. */
function languageSwitch(redraw: () => void): HTMLElement {
  return h(
    'button',
    {
      type: 'button',
      className: 'secondary',
      lang: lang === 'fa' ? 'en' : 'fa',
      'aria-label': w.switchLabel,
      'data-testid': 'lang-switch',
      onclick: () => (chooseLang(lang === 'fa' ? 'en' : 'fa'), redraw()),
    },
    w.switchTo,
  );
}

async function signInPage(note?: string): Promise<void> {
  const cognito = await cognitoConfig();
  const input = h('input', {
    type: 'password',
    name: 'token',
    autocomplete: 'off',
    placeholder: w.tokenPlaceholder,
    'aria-label': w.tokenLabel,
    required: true,
  });
  const status = h('div', {}, note ? message(note, 'error') : null);
  const form = h(
    'form',
    {
      className: 'card signin',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        const result = await signIn(input.value.trim());
        if (typeof result === 'string') return mount(status, message(result, 'error'));
        await loadProgramFacts(result);
        shell(result);
      },
    },
    h('h1', {}, w.title),
    cognito ? h('p', {}, h('button', { type: 'button', onclick: () => startCognitoSignIn(cognito) }, w.staffSignIn)) : null,
    h('label', {}, cognito ? w.orPaste : w.tokenHint, input),
    h('button', { type: 'submit' }, w.signIn),
    status,
  );
  mount(
    root,
    h(
      'header',
      {},
      languageSwitch(() => void signInPage(note)),
    ),
    h('main', {}, form),
  );
}

// --- the shell -----------------------------------------------------------------

const TABS = ['Members', 'Deliveries', 'Program', 'Reports', 'Costs'] as const;
type Tab = (typeof TABS)[number];

/** The program's time zone, currency and tier names, which every view formats with. */
async function loadProgramFacts(s: Session): Promise<void> {
  const res = await call(s.token, 'GET', '/v1/admin/program');
  if (res.status === 200)
    setProgramFacts({
      timeZone: res.body.timeZone,
      currency: res.body.currency,
      displayCurrency: res.body.displayCurrency,
      tiers: res.body.tiers?.levels ?? [],
      challenges: res.body.challenges ?? [],
    });
}

function shell(s: Session, tab: Tab = 'Members'): void {
  // One h1 for the page; each tab's sections have h2s.
  const main = h('main', { 'aria-labelledby': 'tab-title' }, h('p', { className: 'muted', role: 'status' }, w.loading));
  const nav = h(
    'nav',
    {},
    h('h1', { className: 'console-title', id: 'tab-title' }, `${w.title} · ${w.tabs[tab]}`),
    TABS.map((name) =>
      h(
        'button',
        {
          type: 'button',
          className: name === tab ? 'tab active' : 'tab',
          'data-tab': name,
          'aria-current': name === tab ? 'page' : undefined,
          onclick: () => shell(s, name),
        },
        w.tabs[name],
      ),
    ),
    h('span', { className: 'who', 'data-testid': 'who' }, iso(s.actor), ` · ${w.roles[s.role] ?? s.role}`),
    languageSwitch(() => shell(s, tab)),
    h('button', { type: 'button', className: 'secondary', onclick: () => (sessionStorage.removeItem(TOKEN_KEY), signInPage()) }, w.signOut),
  );
  mount(root, h('header', {}, nav), main);
  const views: Record<Tab, (s: Session, el: HTMLElement) => Promise<void>> = {
    Members: membersView,
    // What the shops sent that the club could not apply, and what the club sent that the shop did not take.
    Deliveries: async (s, el) => {
      const deliveries = h('div', {});
      const pushes = h('div', {});
      mount(el, deliveries, pushes);
      await Promise.all([deliveriesView(s.token, can(s, 'operator'), deliveries), shopSyncView(s.token, can(s, 'operator'), pushes)]);
    },
    Program: programView,
    // Reports and costs (their charts and tables) are a chunk loaded when one of the tabs opens.
    Reports: async (s, el) => (await import('./reports')).reportsView(s.token, el),
    Costs: async (s, el) => (await import('./reports')).costsView(s.token, el),
  };
  views[tab](s, main).catch((err) => mount(main, message(String(err), 'error')));
}

// --- members -------------------------------------------------------------------

interface Found {
  items: any[];
  /** A name search's nextCursor: more members may match. */
  more?: string;
}

/**
 * A page of a name search. A page the read budget ended before any match is
 * empty but has a cursor: the next pages are asked for (a few) until one has members.
 */
async function nameSearch(s: Session, name: string, cursor?: string): Promise<Found> {
  for (let i = 0; ; i++) {
    const body = (
      await call(s.token, 'GET', `/v1/members?name=${encodeURIComponent(name)}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
    ).body;
    const found: Found = { items: body?.items ?? [], more: body?.nextCursor ?? undefined };
    if (found.items.length > 0 || !found.more || i >= 9) return found;
    cursor = found.more;
  }
}

/** Exact lookups first (an email, a phone, a member id); when none matches, a name search (docs/pages.md). */
async function findMember(s: Session, q: string): Promise<Found> {
  const query = q.trim();
  if (!query) return { items: [] };
  if (query.includes('@'))
    return { items: (await call(s.token, 'GET', `/v1/members?email=${encodeURIComponent(query)}`)).body?.items ?? [] };
  const tries: Promise<any[]>[] = [];
  if (/^\+?[\d\u06F0-\u06F9 ()-]{6,}$/.test(query))
    tries.push(call(s.token, 'GET', `/v1/members?phone=${encodeURIComponent(query)}`).then((r) => r.body?.items ?? []));
  if (/^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}$/.test(query)) {
    tries.push(call(s.token, 'GET', `/v1/members/${encodeURIComponent(query)}`).then((r) => (r.status === 200 ? [r.body] : [])));
  }
  const found = (await Promise.all(tries)).flat();
  if (found.length === 0) return nameSearch(s, query);
  return { items: found.filter((m, i) => found.findIndex((o) => o.memberId === m.memberId) === i) };
}

async function membersView(s: Session, main: HTMLElement): Promise<void> {
  const results = h('div', { 'data-testid': 'results' });
  const q = h('input', { type: 'search', name: 'q', placeholder: w.searchPlaceholder, 'aria-label': w.searchLabel });
  const row = (m: any) =>
    h(
      'li',
      {},
      h(
        'a',
        { href: '#', onclick: (ev: Event) => (ev.preventDefault(), memberView(s, results, m.memberId)) },
        `${iso(m.name ?? m.memberId)} (${iso(m.email ?? m.phone ?? m.memberId)})`,
      ),
    );
  const search = h(
    'form',
    {
      className: 'card search',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        const query = q.value.trim();
        const found = await findMember(s, query);
        if (found.items.length === 0 && !found.more) return mount(results, message(w.noMember, 'error'));
        if (found.items.length === 1 && !found.more) return memberView(s, results, found.items[0].memberId);
        const list = h('ul', {}, found.items.map(row));
        // More members may match the name: the next page goes on where this one stopped.
        let cursor = found.more;
        const more = h(
          'button',
          {
            type: 'button',
            onclick: async () => {
              const next = await nameSearch(s, query, cursor);
              list.append(...next.items.map(row));
              cursor = next.more;
              if (!cursor) more.remove();
            },
          },
          w.more,
        );
        mount(results, list, ...(cursor ? [more] : []));
      },
    },
    q,
    h('button', { type: 'submit' }, w.search),
  );
  mount(main, search, results);
}

async function memberView(s: Session, el: HTMLElement, memberId: string, notice?: HTMLElement): Promise<void> {
  const id = encodeURIComponent(memberId);
  const [m, ledger] = await Promise.all([
    call(s.token, 'GET', `/v1/members/${id}`),
    call(s.token, 'GET', `/v1/members/${id}/ledger?limit=50`),
  ]);
  if (m.status !== 200) return mount(el, message(errorText(m), 'error'));
  const p = m.body;
  const profile = h(
    'section',
    { className: 'card profile', 'data-testid': 'profile' },
    h('h2', {}, h('bdi', {}, p.name ?? p.memberId)),
    h(
      'dl',
      {},
      ...[
        // Ids, emails and phones read left to right whatever the page's direction (+98…, not …98+).
        [w.memberId, ltr(p.memberId)],
        [w.email, p.email ? ltr(p.email) : '—'],
        [w.phone, p.phone ? ltr(p.phone) : '—'],
        [w.tier, h('bdi', {}, tierName(p.tier))],
        [w.joined, day(p.joinedAt)],
        [w.lastActivity, p.lastActivityAt ? day(p.lastActivityAt) : '—'],
      ].flatMap(([k, v]) => [h('dt', {}, k as string), h('dd', {}, v)]),
      h('dt', {}, w.balance),
      h('dd', { 'data-testid': 'member-balance' }, num(p.balance)),
      h('dt', {}, w.lifetime),
      h('dd', {}, num(p.lifetimePoints)),
    ),
  );
  const rows = (ledger.body?.items ?? []).map((e: any) =>
    h(
      'tr',
      {},
      h('td', {}, when(e.at)),
      h('td', {}, w.types[e.type] ?? e.type),
      h('td', { className: 'num', dir: 'ltr' }, signed(e.points)),
      h('td', { className: 'num' }, num(e.balanceAfter)),
      h('td', {}, ledgerReason(e)),
      h('td', {}, e.actor ? h('bdi', {}, e.actor) : ''),
    ),
  );
  const table = h(
    'section',
    { className: 'card' },
    h('h3', {}, w.ledger),
    cards(
      h(
        'table',
        { 'data-testid': 'ledger' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            w.ledgerHead(timeZone()).map((c) => h('th', {}, c)),
          ),
        ),
        h('tbody', {}, rows),
      ),
    ),
  );

  const points = h('input', { type: 'number', name: 'points', step: '1', required: true, 'aria-label': w.pointsLabel });
  const reason = h('input', {
    type: 'text',
    name: 'reason',
    minlength: '3',
    maxlength: '500',
    required: true,
    placeholder: w.reasonPlaceholder,
    'aria-label': w.reasonLabel,
  });
  const key = newKey();
  const adjust = can(s, 'operator')
    ? h(
        'form',
        {
          className: 'card adjust',
          onsubmit: async (e: Event) => {
            e.preventDefault();
            const res = await call(
              s.token,
              'POST',
              `/v1/members/${id}/adjustments`,
              { points: Number(points.value), reason: reason.value },
              { 'idempotency-key': key },
            );
            await memberView(
              s,
              el,
              memberId,
              res.status < 300 ? message(w.adjusted(signed(res.body.points), num(res.body.balance))) : message(errorText(res), 'error'),
            );
          },
        },
        h('h3', {}, w.adjustTitle),
        h('label', {}, w.pointsHint, points),
        h('label', {}, w.reasonHint, reason),
        h('button', { type: 'submit' }, w.adjust),
      )
    : null;

  const linkOut = h('div', {});
  const link = h(
    'section',
    { className: 'card' },
    h('h3', {}, w.memberPage),
    h(
      'button',
      {
        type: 'button',
        className: 'secondary',
        'data-testid': 'make-link',
        onclick: async () => {
          const res = await call(s.token, 'POST', `/v1/members/${id}/portal-links`, {});
          mount(
            linkOut,
            res.status === 201
              ? h(
                  'p',
                  {},
                  h('a', { href: res.body.url, target: '_blank', rel: 'noopener' }, w.openPage),
                  w.expires(when(res.body.expiresAt)),
                )
              : message(errorText(res), 'error'),
          );
        },
      },
      w.makeLink,
    ),
    linkOut,
  );
  mount(el, ...[notice, profile, adjust, table, link].filter((x): x is HTMLElement => !!x));
}

// --- program and calendar ------------------------------------------------------

async function programView(s: Session, main: HTMLElement): Promise<void> {
  const program = await call(s.token, 'GET', '/v1/admin/program');
  if (program.status !== 200) return mount(main, message(errorText(program), 'error'));
  const p = program.body;
  const b = p.bonuses;
  const per = Number(p.earning.pointsPerUnit);
  const facts = h(
    'section',
    { className: 'card', 'data-testid': 'program' },
    h('h2', {}, w.programTitle(p.version)),
    h(
      'ul',
      {},
      // "1 point per 1,000 Toman" reads better than "0.0001 points per rial".
      h(
        'li',
        {},
        w.perUnit(num(Math.max(1, per)), money(per >= 1 ? 1 : Math.round(1 / per)), p.earning.rounding, money(p.earning.minimumOrder)),
      ),
      h('li', {}, w.returnWindow(num(p.earning.returnWindowDays), p.timeZone, p.stacking)),
      h(
        'li',
        { 'data-testid': 'program-tiers' },
        w.tiers(
          p.tiers.levels
            .map((l: any) => `${iso(l.name)} ≥ ${p.tiers.basis === 'spend' ? money(l.threshold) : num(l.threshold)}`)
            .join(lang === 'fa' ? '، ' : ', ') || w.none,
        ),
      ),
      h(
        'li',
        {},
        w.bonuses(num(b.signUp), num(b.firstPurchase), num(b.birthday), `${num(b.referral.referrer)}/${num(b.referral.referred)}`),
      ),
      h('li', {}, w.catalog(num((p.rewards ?? []).length))),
      h('li', {}, p.updatedAt ? w.lastSaved(when(p.updatedAt), p.updatedBy ?? w.unknown) : w.neverSaved),
    ),
    h('details', {}, h('summary', {}, w.wholeDocument), h('pre', { dir: 'ltr' }, JSON.stringify(p, null, 2))),
    can(s, 'admin')
      ? h(
          'p',
          {},
          h(
            'button',
            {
              type: 'button',
              'data-action': 'edit-program',
              onclick: async () => {
                // The editor is its own chunk, fetched the first time it is opened (docs/pages.md).
                const { programEditor } = await import('./program-editor');
                mount(
                  main,
                  programEditor({ h, call, mount, message, errorText, num, lang, token: s.token, program: p, saved: saved(s, main) }),
                );
              },
            },
            w.editProgram,
          ),
        )
      : null,
  );
  mount(main, facts);
  // The calendar and the pilot come with the editor's chunk (docs/pages.md), fetched when this tab opens.
  const { campaignCalendar, pilotPanel } = await import('./program-editor');
  const ctx = {
    ...{ h, call, mount, message, errorText, num, lang, token: s.token, program: p },
    saved: saved(s, main),
    admin: can(s, 'admin'),
    show: (el: HTMLElement) => mount(main, el),
    back: () => void programView(s, main),
  };
  main.append(pilotPanel(ctx), campaignCalendar(ctx));
}

/** After a save or a launch: the program's facts and the tab reloaded, the notice on top. */
const saved = (s: Session, main: HTMLElement) => async (notice: HTMLElement) => {
  await loadProgramFacts(s);
  await programView(s, main);
  main.prepend(notice);
};

/** A staff ledger line's reason in the console's words; a text nobody words (a shop's refund note) as it is. */
function ledgerReason(e: any): Child {
  const why = entryReason(e);
  const { kind, ...params } = why ?? {};
  // A challenge's reward or take-back: the challenge's name in the console's language (its id once it left the program).
  const names = 'challengeId' in params && params.challengeId !== undefined ? challengeNames(params.challengeId) : undefined;
  if (names) Object.assign(params, { name: names });
  const worded = kind ? reasonWords({ reasonKind: kind, reasonParams: params }, lang) : e.reason ? iso(e.reason) : null;
  return worded ?? (e.orderId ? w.order(e.orderId) : '');
}

// --- start ---------------------------------------------------------------------

async function start(): Promise<void> {
  chooseLang();
  const fromCognito = await finishCognitoSignIn();
  const token = fromCognito ?? sessionStorage.getItem(TOKEN_KEY);
  if (!token) return signInPage();
  const result = await signIn(token);
  if (typeof result === 'string') {
    sessionStorage.removeItem(TOKEN_KEY);
    return signInPage(result);
  }
  await loadProgramFacts(result);
  shell(result);
}

start().catch((err) => mount(root, message(String(err), 'error')));
