/// <reference lib="dom" />
/**
 * The member's club page (/club). Opened from a portal link:
 * /club?lang=fa#t=<token>. The token moves from the fragment to sessionStorage
 * (a reload still works, the address bar and history don't keep it) and every
 * read and redeem goes to /v1/me/* with it. Opened without one, it offers the
 * sign-in with a code sent to the member's phone or email (sign-in.ts).
 */
import { call, h, mount, newKey } from '../common/dom';
import {
  daysUntil,
  dirOf,
  displayCurrencyOf,
  formatDate,
  formatMoney,
  formatNumber,
  formatSigned,
  pickLang,
  type Lang,
} from '../common/format';
import { signInCard, signOutButton, TOKEN_KEY } from './sign-in';
import { entryText, ruleText, TEXT, validityText, type Words } from './words';
import { codesSection, confirmSpend } from './codes';
import { API } from './api';

// On the shop's domain (the Shopify app proxy's page) the token, the API's address and the language come in the page itself.
const root = document.getElementById('app')!;

function takeToken(): string | null {
  if (root.dataset.token) return root.dataset.token;
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('t');
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash);
    history.replaceState(null, '', location.pathname + location.search);
    return fromHash;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

const params = new URLSearchParams(location.search);
const lang: Lang = pickLang(params.get('lang') ?? root.dataset.lang, navigator.languages ?? [navigator.language]);
const t: Words = TEXT[lang];
document.documentElement.lang = lang;
document.documentElement.dir = dirOf(lang);
document.title = t.title;

const num = (n: number) => formatNumber(n, lang);

// Results are announced from a region that stays in the page while the rest is redrawn.
const live = h('div', { role: 'status', 'aria-live': 'polite', 'data-testid': 'live' });
const content = h('main', { 'aria-busy': 'true' }, h('p', { className: 'card muted', 'data-testid': 'loading' }, t.loading));
mount(root, live, content);

function refused(): void {
  sessionStorage.removeItem(TOKEN_KEY);
  mount(live);
  content.removeAttribute('aria-busy');
  mount(content, h('section', { className: 'card refused', 'data-testid': 'refused' }, h('h2', {}, t.refused), h('p', {}, t.refusedHint)));
  content.append(signInCard(lang, (token) => void load(token).catch(failed)));
}

/** No link and no session: the sign-in with a code. */
function signIn(): void {
  content.removeAttribute('aria-busy');
  mount(
    content,
    // A friend's shared link (?ref=) brings their referral code to the sign-up.
    signInCard(lang, (token) => void load(token).catch(failed), params.get('ref') ?? ''),
  );
}

function failed(): void {
  content.removeAttribute('aria-busy');
  mount(content, h('section', { className: 'card error' }, h('h1', {}, t.title), h('p', {}, t.failed)));
}

function languageSwitch(): HTMLElement {
  return h(
    'a',
    {
      className: 'lang',
      href: `?lang=${t.otherLang}`,
      lang: t.otherLang,
      hreflang: t.otherLang,
      'aria-label': t.otherLabel,
      'data-testid': 'lang-switch',
    },
    t.other,
  );
}

async function load(token: string): Promise<void> {
  const [me, ledger, rewards, prefs, codes, challenges] = await Promise.all([
    call(token, 'GET', `${API}/v1/me`),
    call(token, 'GET', `${API}/v1/me/ledger?limit=20`),
    call(token, 'GET', `${API}/v1/me/rewards`),
    call(token, 'GET', `${API}/v1/me/notifications`),
    call(token, 'GET', `${API}/v1/me/codes?limit=20`),
    call(token, 'GET', `${API}/v1/me/challenges`),
  ]);
  if ([me, ledger, rewards, codes].some((r) => r.status === 401)) return refused();
  if (me.status !== 200) return failed();
  const m = me.body;
  const tz: string = m.program.timeZone;
  const currency: string = m.program.currency;
  const money = (amount: number | string) => formatMoney(String(amount), currency, lang, displayCurrencyOf(m.program));
  const date = (iso: string) => formatDate(iso, lang, tz);

  const progress = m.tierProgress?.nextTier
    ? (() => {
        const next = m.tierProgress.nextTier;
        const have = m.tierProgress.qualifyingPoints ?? m.tierProgress.qualifyingSpend ?? 0;
        const pct = Math.min(100, Math.round((have / Math.max(1, next.threshold)) * 100));
        return h(
          'div',
          { className: 'progress' },
          h('div', { className: 'bar' }, h('span', { style: `width:${pct}%` })),
          h(
            'p',
            { 'data-testid': 'next-tier' },
            t.toNext(next.spendToGo !== undefined ? money(next.spendToGo) : num(next.pointsToGo ?? 0), next.name),
          ),
        );
      })()
    : m.tierProgress
      ? h('p', {}, t.topTier)
      : null;

  const header = h(
    'header',
    { className: 'card hero' },
    languageSwitch(),
    h('h1', { className: 'hello' }, t.hello(m.name)),
    h('p', { className: 'label' }, t.balance),
    h('p', { className: 'balance', 'data-testid': 'balance' }, num(m.balance)),
    m.pendingPoints > 0 ? h('p', { className: 'muted' }, t.pending(num(m.pendingPoints))) : null,
    h('p', { className: 'tier' }, `${t.tier}: `, h('strong', { 'data-testid': 'tier' }, h('bdi', {}, tierName(m)))),
    progress,
  );

  const expiring = h(
    'section',
    { className: 'card', 'data-testid': 'expiring' },
    h('h2', {}, t.expiring),
    m.expiringSoon.length
      ? h(
          'ul',
          {},
          m.expiringSoon.map((l: any) =>
            h(
              'li',
              { className: daysUntil(l.expiresAt, new Date()) <= 30 ? 'warn' : '' },
              t.expiringLine(num(l.points), date(l.expiresAt)),
            ),
          ),
        )
      : h('p', { className: 'muted' }, t.nothingExpiring),
    h('p', { className: 'muted', 'data-testid': 'validity' }, validityText(m.program.pointsValidity, lang)),
  );

  const rewardList = h(
    'section',
    { className: 'card', 'data-testid': 'rewards' },
    h('h2', {}, t.rewards),
    rewards.body?.items?.length
      ? h(
          'ul',
          { className: 'rewards' },
          rewards.body.items.map((r: any) =>
            h(
              'li',
              { 'data-reward': r.rewardId },
              h('bdi', { className: 'name' }, r.name),
              h('span', { className: 'price' }, t.points(num(r.pointsPrice))),
              r.affordable
                ? h(
                    'button',
                    {
                      type: 'button',
                      'aria-label': t.redeemLabel(r.name),
                      onclick: (e: Event) => redeem(token, r, e.currentTarget as HTMLButtonElement),
                    },
                    t.redeem,
                  )
                : h('span', { className: 'muted' }, t.pointsToGo(num(r.pointsToGo))),
            ),
          ),
        )
      : h('p', { className: 'muted' }, t.noRewards),
  );

  const history = h(
    'section',
    { className: 'card', 'data-testid': 'history' },
    h('h2', {}, t.history),
    ledger.body?.items?.length
      ? h(
          'ol',
          { className: 'history' },
          ledger.body.items.map((e: any) =>
            h(
              'li',
              { 'data-type': e.type },
              h('span', { className: 'what' }, entryText(e, lang)),
              h('span', { className: 'when' }, date(e.at)),
              h('span', { className: e.points < 0 ? 'pts neg' : 'pts', dir: 'ltr' }, formatSigned(e.points, lang)),
            ),
          ),
        )
      : h(
          'p',
          { className: 'muted' },
          m.collecting
            ? t.noHistoryCollecting(m.collecting.launchesAt && formatDate(`${m.collecting.launchesAt}T00:00:00Z`, lang))
            : t.noHistory,
        ),
  );

  const rules = (m.program.howToEarn as any[]).map((r) => ruleText(r, lang, tz, currency)).filter((s): s is string => !!s);
  const earn = h(
    'section',
    { className: 'card', 'data-testid': 'how-to-earn' },
    h('h2', {}, t.howToEarn),
    h(
      'ul',
      {},
      rules.map((s) => h('li', {}, s)),
    ),
  );

  const referral = m.referralCode
    ? h(
        'section',
        { className: 'card' },
        h('h2', {}, t.referral),
        h('p', {}, m.collecting ? t.referralTextCollecting : t.referralText),
        h(
          'p',
          { className: 'code' },
          h('code', { 'data-testid': 'referral-code', dir: 'ltr', 'aria-label': t.referralCode }, m.referralCode),
          h(
            'button',
            {
              type: 'button',
              className: 'secondary',
              'aria-label': t.copyLabel,
              onclick: async (e: Event) => {
                const b = e.currentTarget as HTMLButtonElement;
                await navigator.clipboard?.writeText(m.referralCode).catch(() => undefined);
                b.textContent = t.copied;
              },
            },
            t.copy,
          ),
        ),
      )
    : null;

  content.removeAttribute('aria-busy');
  // The member's own details and messages, and what a club still collecting will offer: a chunk (profile.ts).
  const { collectingNote, profileSections } = await import('./profile');
  const own = profileSections({
    token,
    lang,
    me: m,
    prefs: prefs.status === 200 ? prefs.body : null,
    saved: async (message, ok) => {
      await load(token);
      mount(live, h('p', { className: ok ? 'card notice' : 'card error', 'data-testid': 'profile-result' }, message));
    },
  });
  const collecting = collectingNote(m, lang);
  const myCodes = codesSection(codes.body?.items ?? [], lang, tz, (amount) => money(amount));
  // The challenges card is a chunk too, fetched only for a member who has one (challenges.ts).
  const playing = challenges.status === 200 ? (challenges.body.items ?? []) : [];
  const goals = playing.length ? (await import('./challenges')).challengesSection(playing, lang, tz, money) : null;
  mount(
    content,
    ...[header, goals, ...own, expiring, rewardList, myCodes, history, collecting, earn, referral, signOutButton(lang, signIn)].filter(
      (x): x is HTMLElement => !!x,
    ),
  );
}

/** The program's name for the member's tier; the base tier of a program without tiers has the word list's. */
function tierName(m: { tier: string; tierName: string | null }): string {
  return m.tierName ?? (m.tier === 'member' ? t.baseTier : m.tier);
}

const REDEEM_REFUSED: Record<string, string> = { INSUFFICIENT_POINTS: t.notEnough, REWARD_NOT_FOUND: t.notOffered };

async function redeem(
  token: string,
  reward: { rewardId: string; name: string; pointsPrice: number },
  button: HTMLButtonElement,
): Promise<void> {
  // Nothing is spent until the member says yes.
  if (!(await confirmSpend(lang, reward.pointsPrice, reward.name))) return;
  button.disabled = true;
  button.textContent = t.redeeming;
  const res = await call(token, 'POST', `${API}/v1/me/redeem`, { rewardId: reward.rewardId, idempotencyKey: newKey() });
  if (res.status === 401) return refused();
  const ok = res.status === 200;
  // Announced once the page shows the new balance, so what is read out and what is seen agree.
  await load(token);
  mount(
    live,
    h(
      'p',
      { className: ok ? 'card notice' : 'card error', 'data-testid': 'redeem-result' },
      ok ? t.redeemed(reward.name, res.body.reward?.code) : (REDEEM_REFUSED[res.body?.error?.code] ?? t.failed),
    ),
  );
}

const token = takeToken();
if (!token) signIn();
else load(token).catch(failed);
