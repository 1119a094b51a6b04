/**
 * The page an opt-out link opens, in the member's language: GET asks (a link
 * scanner that follows every link must not unsubscribe anyone, RFC 8058 §4),
 * its button POSTs the same one-click form a mailbox sends, and the answer to
 * that POST says it is done. Plain HTML from the API, no script.
 */
import type { OptOutChannel } from './opt-out';

type Language = 'fa' | 'en';

const WORDS: Record<
  Language,
  { title: string; ask: Record<OptOutChannel, string>; button: string; done: Record<OptOutChannel, string>; again: string }
> = {
  en: {
    title: 'Your messages',
    ask: { sms: 'Stop getting text messages from the club?', email: 'Stop getting emails from the club?' },
    button: 'Yes, stop them',
    done: { sms: "Done: the club won't text you any more.", email: "Done: the club won't email you any more." },
    again: 'You can turn them on again from your club page.',
  },
  fa: {
    title: 'پیام‌های شما',
    ask: { sms: 'دیگر پیامک باشگاه را دریافت نکنید؟', email: 'دیگر ایمیل باشگاه را دریافت نکنید؟' },
    button: 'بله، لغو شود',
    done: { sms: 'انجام شد: باشگاه دیگر برایتان پیامک نمی‌فرستد.', email: 'انجام شد: باشگاه دیگر برایتان ایمیل نمی‌فرستد.' },
    again: 'از صفحهٔ باشگاه خود می‌توانید دوباره روشنش کنید.',
  },
};

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function optOutPage(view: { language: Language; channel: OptOutChannel; token: string; done: boolean }): string {
  const w = WORDS[view.language];
  const body = view.done
    ? `<p role="status">${w.done[view.channel]}</p><p>${w.again}</p>`
    : `<p>${w.ask[view.channel]}</p><form method="post" action="?t=${escapeHtml(view.token)}">` +
      `<input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">${w.button}</button></form>`;
  return (
    `<!doctype html><html lang="${view.language}" dir="${view.language === 'fa' ? 'rtl' : 'ltr'}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer"><title>${w.title}</title>` +
    '<style>body{font:1.1rem/1.6 system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}' +
    'button{font:inherit;padding:.6rem 1.2rem;border-radius:.4rem;border:0;background:#1f4e8c;color:#fff;min-height:44px}</style>' +
    `</head><body><main><h1>${w.title}</h1>${body}</main></body></html>`
  );
}

/** The page's headers: never cached, never a Referer carrying the token, nothing but its own form and style. */
export const OPT_OUT_PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
} as const;
