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
import { formatDate, formatNumber, formatSigned } from '../common/format';
import { cognitoConfig, finishCognitoSignIn, startCognitoSignIn } from './cognito';
import { costsView, reportsView } from './reports';
import { errorText, message } from './ui';

const TOKEN_KEY = 'loyalty.staffToken';
const root = document.getElementById('app')!;
const num = (n: number) => formatNumber(n, 'en');
const day = (iso: string) => formatDate(iso, 'en');
const when = (iso: string) => new Date(iso).toISOString().replace('T', ' ').slice(0, 16);

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
  if (res.status !== 200) return res.status === 401 ? 'That token is not valid.' : errorText(res);
  sessionStorage.setItem(TOKEN_KEY, token);
  return { token, actor: res.body.actor, role: res.body.role };
}

async function signInPage(note?: string): Promise<void> {
  const cognito = await cognitoConfig();
  const input = h('input', { type: 'password', name: 'token', autocomplete: 'off', placeholder: 'API or staff token', 'aria-label': 'token', required: true });
  const status = h('div', {}, note ? message(note, 'error') : null);
  const form = h(
    'form',
    {
      className: 'card signin',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        const result = await signIn(input.value.trim());
        if (typeof result === 'string') mount(status, message(result, 'error'));
        else shell(result);
      },
    },
    h('h1', {}, 'Loyalty club console'),
    cognito ? h('p', {}, h('button', { type: 'button', onclick: () => startCognitoSignIn(cognito) }, 'Sign in with your staff account')) : null,
    h('label', {}, cognito ? 'Or paste a token' : 'Token (printed by npm start, or a STAFF_TOKENS entry)', input),
    h('button', { type: 'submit' }, 'Sign in'),
    status,
  );
  mount(root, form);
}

// --- the shell -----------------------------------------------------------------

const TABS = ['Members', 'Deliveries', 'Program', 'Reports', 'Costs'] as const;
type Tab = (typeof TABS)[number];

function shell(s: Session, tab: Tab = 'Members'): void {
  const main = h('main', {});
  const nav = h(
    'nav',
    {},
    TABS.map((name) => h('button', { type: 'button', className: name === tab ? 'tab active' : 'tab', 'data-tab': name, onclick: () => shell(s, name) }, name)),
    h('span', { className: 'who', 'data-testid': 'who' }, `${s.actor} · ${s.role}`),
    h('button', { type: 'button', className: 'secondary', onclick: () => (sessionStorage.removeItem(TOKEN_KEY), signInPage()) }, 'Sign out'),
  );
  mount(root, nav, main);
  const views: Record<Tab, (s: Session, el: HTMLElement) => Promise<void>> = { Members: membersView, Deliveries: deliveriesView, Program: programView, Reports: (s, el) => reportsView(s.token, el), Costs: (s, el) => costsView(s.token, el) };
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
    const body = (await call(s.token, 'GET', `/v1/members?name=${encodeURIComponent(name)}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).body;
    const found: Found = { items: body?.items ?? [], more: body?.nextCursor ?? undefined };
    if (found.items.length > 0 || !found.more || i >= 9) return found;
    cursor = found.more;
  }
}

/** Exact lookups first (an email, a phone, a member id); when none matches, a name search (docs/pages.md). */
async function findMember(s: Session, q: string): Promise<Found> {
  const query = q.trim();
  if (!query) return { items: [] };
  if (query.includes('@')) return { items: (await call(s.token, 'GET', `/v1/members?email=${encodeURIComponent(query)}`)).body?.items ?? [] };
  const tries: Promise<any[]>[] = [];
  if (/^\+?[\d\u06F0-\u06F9 ()-]{6,}$/.test(query)) tries.push(call(s.token, 'GET', `/v1/members?phone=${encodeURIComponent(query)}`).then((r) => r.body?.items ?? []));
  if (/^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}$/.test(query)) {
    tries.push(call(s.token, 'GET', `/v1/members/${encodeURIComponent(query)}`).then((r) => (r.status === 200 ? [r.body] : [])));
  }
  const found = (await Promise.all(tries)).flat();
  if (found.length === 0) return nameSearch(s, query);
  return { items: found.filter((m, i) => found.findIndex((o) => o.memberId === m.memberId) === i) };
}

async function membersView(s: Session, main: HTMLElement): Promise<void> {
  const results = h('div', { 'data-testid': 'results' });
  const q = h('input', { type: 'search', name: 'q', placeholder: 'name, email, phone or member id', 'aria-label': 'search' });
  const row = (m: any) => h('li', {}, h('a', { href: '#', onclick: (ev: Event) => (ev.preventDefault(), memberView(s, results, m.memberId)) }, `${m.name ?? m.memberId} (${m.email ?? m.phone ?? m.memberId})`));
  const search = h(
    'form',
    {
      className: 'card search',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        const query = q.value.trim();
        const found = await findMember(s, query);
        if (found.items.length === 0 && !found.more) return mount(results, message(`No member with that name, email, phone or id.`, 'error'));
        if (found.items.length === 1 && !found.more) return memberView(s, results, found.items[0].memberId);
        const list = h('ul', {}, found.items.map(row));
        // More members may match the name: the next page goes on where this one stopped.
        let cursor = found.more;
        const more = h('button', {
          type: 'button',
          onclick: async () => {
            const next = await nameSearch(s, query, cursor);
            list.append(...next.items.map(row));
            cursor = next.more;
            if (!cursor) more.remove();
          },
        }, 'More');
        mount(results, list, ...(cursor ? [more] : []));
      },
    },
    q,
    h('button', { type: 'submit' }, 'Search'),
  );
  mount(main, search, results);
}

async function memberView(s: Session, el: HTMLElement, memberId: string, notice?: HTMLElement): Promise<void> {
  const id = encodeURIComponent(memberId);
  const [m, ledger] = await Promise.all([call(s.token, 'GET', `/v1/members/${id}`), call(s.token, 'GET', `/v1/members/${id}/ledger?limit=50`)]);
  if (m.status !== 200) return mount(el, message(errorText(m), 'error'));
  const p = m.body;
  const profile = h(
    'section',
    { className: 'card profile', 'data-testid': 'profile' },
    h('h2', {}, p.name ?? p.memberId),
    h(
      'dl',
      {},
      ...[
        ['Member id', p.memberId],
        ['Email', p.email ?? '—'],
        ['Phone', p.phone ?? '—'],
        ['Tier', p.tier],
        ['Joined', day(p.joinedAt)],
        ['Last activity', p.lastActivityAt ? day(p.lastActivityAt) : '—'],
      ].flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
      h('dt', {}, 'Balance'),
      h('dd', { 'data-testid': 'member-balance' }, num(p.balance)),
      h('dt', {}, 'Lifetime points'),
      h('dd', {}, num(p.lifetimePoints)),
    ),
  );
  const rows = (ledger.body?.items ?? []).map((e: any) =>
    h('tr', {}, h('td', {}, when(e.at)), h('td', {}, e.type), h('td', { className: 'num' }, formatSigned(e.points, 'en')), h('td', { className: 'num' }, num(e.balanceAfter)), h('td', {}, e.reason ?? e.orderId ?? ''), h('td', {}, e.actor ?? '')),
  );
  const table = h(
    'section',
    { className: 'card' },
    h('h3', {}, 'Ledger'),
    h('table', { 'data-testid': 'ledger' }, h('thead', {}, h('tr', {}, ['When (UTC)', 'Type', 'Points', 'Balance', 'Reason / order', 'By'].map((c) => h('th', {}, c)))), h('tbody', {}, rows)),
  );

  const points = h('input', { type: 'number', name: 'points', step: '1', required: true, 'aria-label': 'points' });
  const reason = h('input', { type: 'text', name: 'reason', minlength: '3', maxlength: '500', required: true, placeholder: 'why (the member may ask)', 'aria-label': 'reason' });
  const key = newKey();
  const adjust = can(s, 'operator')
    ? h(
        'form',
        {
          className: 'card adjust',
          onsubmit: async (e: Event) => {
            e.preventDefault();
            const res = await call(s.token, 'POST', `/v1/members/${id}/adjustments`, { points: Number(points.value), reason: reason.value }, { 'idempotency-key': key });
            await memberView(s, el, memberId, res.status < 300 ? message(`Adjusted by ${res.body.points}: balance ${num(res.body.balance)}.`) : message(errorText(res), 'error'));
          },
        },
        h('h3', {}, 'Adjust points'),
        h('label', {}, 'Points (negative to take away)', points),
        h('label', {}, 'Reason (required, recorded with your name)', reason),
        h('button', { type: 'submit' }, 'Adjust'),
      )
    : null;

  const linkOut = h('div', {});
  const link = h(
    'section',
    { className: 'card' },
    h('h3', {}, "Member's page"),
    h(
      'button',
      {
        type: 'button',
        className: 'secondary',
        onclick: async () => {
          const res = await call(s.token, 'POST', `/v1/members/${id}/portal-links`, {});
          mount(linkOut, res.status === 201 ? h('p', {}, h('a', { href: res.body.url, target: '_blank', rel: 'noopener' }, 'Open the member page'), ` (expires ${when(res.body.expiresAt)} UTC)`) : message(errorText(res), 'error'));
        },
      },
      'Make a portal link',
    ),
    linkOut,
  );
  mount(el, ...[notice, profile, adjust, table, link].filter((x): x is HTMLElement => !!x));
}

// --- deliveries ----------------------------------------------------------------

const DELIVERY_STATUSES = ['failed', 'replayed', 'dismissed'] as const;
type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
const reasonText = (r: any) => (typeof r === 'object' && r ? `${r.code ?? ''} ${r.message ?? ''}` : String(r ?? ''));

/** What became of a replayed or dismissed delivery; for a failed one, Replay and Dismiss (operators and admins). */
function deliveryActions(s: Session, d: any, status: DeliveryStatus, reload: (notice: HTMLElement) => Promise<void>): Child {
  if (status === 'replayed') return `replayed ${when(d.replayedAt)}`;
  if (status === 'dismissed') return `dismissed ${when(d.dismissedAt)} by ${d.dismissedBy ?? '?'}: ${d.dismissReason ?? ''}`;
  if (!can(s, 'operator')) return '';
  const path = `/v1/admin/deliveries/${encodeURIComponent(d.id)}`;
  const cell = h('div', { className: 'actions' });
  const replay = h('button', {
    type: 'button',
    onclick: async () => {
      const r = await call(s.token, 'POST', `${path}/replay`, {});
      await reload(r.status === 200 ? message(`Replayed ${d.id}.`) : message(errorText(r), 'error'));
    },
  }, 'Replay');
  const dismiss = h('button', {
    type: 'button',
    className: 'secondary',
    onclick: () => {
      // The reason is required (kept with who and when); the API refuses a blank one too.
      const why = h('input', { type: 'text', name: 'dismiss-reason', maxlength: '500', required: true, placeholder: 'why it needs no applying', 'aria-label': 'dismiss reason' });
      const form = h(
        'form',
        {
          className: 'search',
          onsubmit: async (e: Event) => {
            e.preventDefault();
            const r = await call(s.token, 'POST', `${path}/dismiss`, { reason: why.value });
            await reload(r.status === 200 ? message(`Dismissed ${d.id}.`) : message(errorText(r), 'error'));
          },
        },
        why,
        h('button', { type: 'submit' }, 'Confirm dismiss'),
        h('button', { type: 'button', className: 'secondary', onclick: () => cell.replaceChildren(replay, ' ', dismiss) }, 'Cancel'),
      );
      mount(cell, form);
      why.focus();
    },
  }, 'Dismiss');
  cell.replaceChildren(replay, ' ', dismiss);
  return cell;
}

async function deliveriesView(s: Session, main: HTMLElement, notice?: HTMLElement, status: DeliveryStatus = 'failed'): Promise<void> {
  const res = await call(s.token, 'GET', `/v1/admin/deliveries?status=${status}&limit=50`);
  if (res.status === 404 && res.body?.error?.code === 'NOT_FOUND') return mount(main, message('This club has no webhook deliveries route yet.', 'error'));
  if (res.status !== 200) return mount(main, message(errorText(res), 'error'));
  const items: any[] = res.body.items ?? [];
  const reload = (n?: HTMLElement, st = status) => deliveriesView(s, main, n, st);
  const filter = h('select', { name: 'status', 'aria-label': 'status', onchange: (e: Event) => void reload(undefined, (e.target as HTMLSelectElement).value as DeliveryStatus) }, DELIVERY_STATUSES.map((v) => h('option', { value: v, selected: v === status }, v)));
  const list = items.length
    ? h(
        'table',
        { 'data-testid': 'deliveries' },
        h('thead', {}, h('tr', {}, ['Received', 'Source', 'Topic', 'Reason', 'Attempts', ''].map((c) => h('th', {}, c)))),
        h(
          'tbody',
          {},
          items.map((d) =>
            h(
              'tr',
              { 'data-delivery': d.id },
              h('td', {}, when(d.receivedAt)),
              h('td', {}, d.source),
              h('td', {}, d.topic),
              h('td', {}, reasonText(d.reason)),
              h('td', { className: 'num' }, num(d.attempts ?? 0)),
              h('td', {}, deliveryActions(s, d, status, reload)),
            ),
          ),
        ),
      )
    : h('p', { 'data-testid': 'no-deliveries' }, `No ${status} deliveries.`);
  mount(main, ...[notice, h('section', { className: 'card', 'data-status': status }, h('h2', {}, 'Webhook deliveries ', filter), list)].filter((x): x is HTMLElement => !!x));
}

// --- program and calendar ------------------------------------------------------

async function programView(s: Session, main: HTMLElement): Promise<void> {
  const year = new Date().getUTCFullYear();
  const [program, calendar] = await Promise.all([call(s.token, 'GET', '/v1/admin/program'), call(s.token, 'GET', `/v1/admin/campaigns/calendar?year=${year}`)]);
  if (program.status !== 200) return mount(main, message(errorText(program), 'error'));
  const p = program.body;
  const facts = h(
    'section',
    { className: 'card', 'data-testid': 'program' },
    h('h2', {}, `Program v${p.version}`),
    h(
      'ul',
      {},
      h('li', {}, `${p.earning.pointsPerUnit} point(s) per 1 ${p.currency}, rounding ${p.earning.rounding}; minimum order ${p.earning.minimumOrder}`),
      h('li', {}, `Return window ${p.earning.returnWindowDays} days; time zone ${p.timeZone}; campaigns ${p.stacking}`),
      h('li', {}, `Tiers: ${p.tiers.levels.map((l: any) => `${l.name} ≥ ${l.threshold}`).join(', ') || 'none'}`),
      h('li', {}, `Bonuses: sign-up ${p.bonuses.signUp}, first purchase ${p.bonuses.firstPurchase}, birthday ${p.bonuses.birthday}, referral ${p.bonuses.referral.referrer}/${p.bonuses.referral.referred}`),
      h('li', {}, `Rewards in the catalog: ${(p.rewards ?? []).length}`),
      h('li', {}, `Last saved ${p.updatedAt ? `${when(p.updatedAt)} by ${p.updatedBy ?? 'unknown'}` : 'never (the default program)'}`),
    ),
    h('details', {}, h('summary', {}, 'The whole document'), h('pre', {}, JSON.stringify(p, null, 2))),
    can(s, 'admin') ? h('p', { className: 'muted' }, 'Edit with PUT /v1/admin/program (docs/program.md).') : null,
  );
  const months: any[] = calendar.body?.months ?? [];
  const cal = h(
    'section',
    { className: 'card' },
    h('h2', {}, `Campaign calendar ${year}`),
    h(
      'div',
      { className: 'calendar', 'data-testid': 'calendar' },
      months.map((m: any, i: number) =>
        h(
          'div',
          { className: 'month' },
          h('h4', {}, new Intl.DateTimeFormat('en', { month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(year, i, 1)))),
          (m.campaigns ?? []).length ? h('ul', {}, m.campaigns.map((c: any) => h('li', {}, `${c.name ?? c.id} (${c.start} – ${c.end})`))) : h('p', { className: 'muted' }, '—'),
        ),
      ),
    ),
  );
  mount(main, facts, cal);
}

// --- start ---------------------------------------------------------------------

async function start(): Promise<void> {
  const fromCognito = await finishCognitoSignIn();
  const token = fromCognito ?? sessionStorage.getItem(TOKEN_KEY);
  if (!token) return signInPage();
  const result = await signIn(token);
  if (typeof result === 'string') {
    sessionStorage.removeItem(TOKEN_KEY);
    return signInPage(result);
  }
  shell(result);
}

start().catch((err) => mount(root, message(String(err), 'error')));
