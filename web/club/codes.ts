/// <reference lib="dom" />
/**
 * The member page's "my codes" list (GET /v1/me/codes) and the question asked
 * before points are spent. Its own module, so main.ts only calls in.
 */
import { h } from '../common/dom';
import { formatDate, formatNumber, type Lang } from '../common/format';
import { CODE_WORDS } from './words';

interface CodeView {
  readonly code: string;
  readonly status: string;
  readonly reward: { readonly name?: string; readonly kind?: string; readonly amount?: string; readonly percent?: number };
  readonly expiresAt: string;
  readonly usedAt: string | null;
}

/** navigator.clipboard where the page may use it (https, or a frame allowed to); else the selection and execCommand. */
async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = h('textarea', { readonly: true, 'aria-hidden': 'true', style: 'position:fixed;opacity:0' });
    area.value = text;
    document.body.append(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}

export function codesSection(codes: readonly CodeView[], lang: Lang, timeZone: string, money: (amount: string) => string): HTMLElement {
  const w = CODE_WORDS[lang];
  const date = (iso: string) => formatDate(iso, lang, timeZone);
  const gives = (r: CodeView['reward']) => {
    const say = w.gives[r.kind ?? ''];
    const value = r.kind === 'fixed-discount' ? money(r.amount ?? '0') : formatNumber(r.percent ?? 0, lang);
    return say ? say(value) : '';
  };
  return h(
    'section',
    { className: 'card', 'data-testid': 'my-codes' },
    h('h2', {}, w.myCodes),
    codes.length
      ? h(
          'ul',
          { className: 'rewards' },
          codes.map((c) =>
            h(
              'li',
              { 'data-code': c.code, 'data-status': c.status },
              h(
                'span',
                { className: 'name' },
                h('code', { dir: 'ltr' }, c.code),
                ' ',
                h('bdi', {}, c.reward.name ?? ''),
                h('br', {}),
                h('span', { className: 'muted' }, gives(c.reward)),
                h('br', {}),
                h('span', { className: 'when' }, c.status === 'used' && c.usedAt ? w.usedOn(date(c.usedAt)) : w.until(date(c.expiresAt))),
              ),
              h('span', { className: 'muted', 'data-testid': 'code-status' }, w.status[c.status] ?? c.status),
              c.status === 'issued'
                ? h(
                    'button',
                    {
                      type: 'button',
                      className: 'secondary',
                      'aria-label': w.copyCode(c.code),
                      onclick: async (e: Event) => {
                        const b = e.currentTarget as HTMLButtonElement;
                        b.textContent = (await copyText(c.code)) ? w.copied : w.copyFailed;
                      },
                    },
                    w.copy,
                  )
                : null,
            ),
          ),
        )
      : h('p', { className: 'muted' }, w.noCodes),
  );
}

/**
 * Asks before points are spent: a modal dialog (focus moves into it, Escape or
 * Cancel says no, the focus returns to the button that asked). Resolves true only on Confirm.
 */
export function confirmSpend(lang: Lang, points: number, rewardName: string): Promise<boolean> {
  const w = CODE_WORDS[lang];
  const opener = document.activeElement as HTMLElement | null;
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      dialog.close();
      dialog.remove();
      opener?.focus();
      resolve(ok);
    };
    const dialog = h(
      'dialog',
      { 'aria-labelledby': 'confirm-title', 'aria-describedby': 'confirm-text', 'data-testid': 'confirm-spend', className: 'card' },
      h('h2', { id: 'confirm-title' }, w.confirmTitle),
      h('p', { id: 'confirm-text' }, w.confirmText(formatNumber(points, lang), rewardName)),
      h(
        'p',
        { className: 'code' },
        h('button', { type: 'button', 'data-testid': 'confirm-yes', onclick: () => done(true) }, w.confirm),
        h('button', { type: 'button', className: 'secondary', 'data-testid': 'confirm-no', onclick: () => done(false) }, w.cancel),
      ),
    );
    // Escape closes a modal dialog by itself: that is a no.
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      done(false);
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}
