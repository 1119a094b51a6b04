/// <reference lib="dom" />
/**
 * Signing in on the member page without a link: a phone or email, then the
 * 6-digit code sent to it (POST /v1/portal/sign-in, /v1/portal/verify). The
 * session token goes to sessionStorage like a link's: it ends with the tab.
 */
import { API } from './api';
import { h, mount } from '../common/dom';
import type { Lang } from '../common/format';
import { SIGN_IN_WORDS } from './words';

export const TOKEN_KEY = 'loyalty.portalToken';

async function post(path: string, body: unknown): Promise<{ status: number; body: any; retryAfter: number }> {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json().catch(() => null), retryAfter: Number(res.headers.get('retry-after') ?? 60) };
}

/** Persian and Arabic-Indic digits as ASCII: members type the code in either. */
const asciiDigits = (s: string) => s.replace(/[۰-۹٠-٩]/g, (d) => String((d.charCodeAt(0) - (d >= '۰' ? 0x6f0 : 0x660)) % 10));

function field(label: string, attrs: Record<string, string>): [HTMLLabelElement, HTMLInputElement] {
  const input = h('input', { required: true, ...attrs });
  return [h('label', {}, label, input), input];
}

/**
 * The sign-in card: calls `signedIn` with the session token once the code is right.
 * `referral` (the page's `?ref=`, a friend's shared link) prefills the optional
 * referral code, sent with the code as `referredBy`: it counts only when the code
 * enrols a new member (the program's self-enrolment), and a member signing in loses nothing.
 */
export function signInCard(lang: Lang, signedIn: (token: string) => void, referral = ''): HTMLElement {
  const w = SIGN_IN_WORDS[lang];
  const card = h('section', { className: 'card', 'data-testid': 'sign-in' });
  const problem = h('p', { className: 'problem', role: 'alert', 'data-testid': 'sign-in-problem' });
  const refusal = (r: { status: number; retryAfter: number }, otherwise: string) =>
    r.status === 429 ? w.tooMany(Math.max(1, Math.ceil(r.retryAfter / 60))) : otherwise;

  const askAddress = () => {
    const [label, input] = field(w.address, { name: 'address', autocomplete: 'username', dir: 'ltr', 'data-testid': 'sign-in-address' });
    const referredBy = h('input', {
      name: 'referredBy',
      dir: 'ltr',
      autocomplete: 'off',
      value: referral,
      'data-testid': 'sign-in-referral',
    });
    // Open when a shared link brought the code; otherwise out of the way of members signing in.
    const referralBox = h('details', { open: referral !== '' }, h('summary', {}, w.referralAsk), h('label', {}, w.referral, referredBy));
    const form = h(
      'form',
      {
        onsubmit: async (e: Event) => {
          e.preventDefault();
          const value = input.value.trim();
          const to = value.includes('@') ? { email: value } : { phone: value };
          const res = await post(`${API}/v1/portal/sign-in`, to);
          if (res.status === 202) return askCode(to, referredBy.value.trim());
          problem.textContent = refusal(res, res.status === 400 ? w.badAddress : '');
        },
      },
      label,
      referralBox,
      h('button', { type: 'submit' }, w.send),
    );
    problem.textContent = '';
    mount(card, h('h1', {}, w.heading), h('p', { className: 'muted' }, w.hint), form, problem);
    input.focus();
  };

  const askCode = (to: { phone?: string; email?: string }, referredBy: string) => {
    const [label, input] = field(w.code, {
      name: 'code',
      autocomplete: 'one-time-code',
      inputmode: 'numeric',
      maxlength: '6',
      dir: 'ltr',
      'data-testid': 'sign-in-code',
    });
    const form = h(
      'form',
      {
        onsubmit: async (e: Event) => {
          e.preventDefault();
          const res = await post(`${API}/v1/portal/verify`, {
            ...to,
            code: asciiDigits(input.value.trim()),
            ...(referredBy && { referredBy }),
          });
          if (res.status === 200) {
            sessionStorage.setItem(TOKEN_KEY, res.body.token);
            return signedIn(res.body.token);
          }
          const badReferral = res.body?.error?.details?.some((d: { path?: string }) => d.path?.endsWith('referredBy'));
          problem.textContent = refusal(res, badReferral ? w.badReferral : w.badCode);
        },
      },
      label,
      h(
        'p',
        { className: 'code' },
        h('button', { type: 'submit' }, w.verify),
        h('button', { type: 'button', className: 'secondary', onclick: askAddress }, w.other),
      ),
    );
    problem.textContent = '';
    mount(card, h('h1', {}, w.heading), h('p', { role: 'status', 'data-testid': 'sign-in-sent' }, w.sent), form, problem);
    input.focus();
  };

  askAddress();
  return card;
}

/** Ends the session on this tab: the token is forgotten and the sign-in shows again. */
export function signOutButton(lang: Lang, signedOut: () => void): HTMLElement {
  return h(
    'p',
    {},
    h(
      'button',
      {
        type: 'button',
        className: 'secondary',
        'data-testid': 'sign-out',
        onclick: () => {
          sessionStorage.removeItem(TOKEN_KEY);
          signedOut();
        },
      },
      SIGN_IN_WORDS[lang].signOut,
    ),
  );
}
