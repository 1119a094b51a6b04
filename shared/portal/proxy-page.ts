/**
 * What the Shopify app proxy answers: HTML that Shopify shows under the shop's own
 * domain (https://shop.example/apps/club). Everything in it must work from there:
 * the style is inline, the script is the member page's own (/club/club.js, from the
 * pages' origin, the same cached file /club loads), and the page calls the API by its
 * absolute URL with the portal token it carries (CORS allows any origin: the token is
 * a header, never a cookie). Personalised, so never cached.
 */
import { CSS } from '../../web/styles';

export type ProxyLang = 'fa' | 'en';

/** frame-ancestors for the member page: the shop's configured origins, or nobody. */
export function frameAncestors(origins: readonly string[]): string {
  return `frame-ancestors ${origins.length ? origins.join(' ') : "'none'"}`;
}

/**
 * Headers of a member page (/club, the proxy's page): framed only by the shop's
 * origins. X-Frame-Options can't name origins, so it is sent (DENY) only when none are set.
 */
export function memberPageFraming(origins: readonly string[]): Record<string, string> {
  return origins.length ? {} : { 'x-frame-options': 'DENY' };
}

const attr = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Shopify's locale (fa, fa-IR, en-US…) when it sends one; else the page's ?lang; else English. */
export function proxyLang(query: Readonly<Record<string, string | undefined>>): ProxyLang {
  for (const v of [query.locale, query.lang]) {
    const base = v?.toLowerCase().split(/[-_]/)[0];
    if (base === 'fa' || base === 'en') return base;
  }
  return 'en';
}

export interface ProxyPageHeaders {
  readonly [name: string]: string;
}

function headers(csp: string, origins: readonly string[]): ProxyPageHeaders {
  return {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'private, no-store',
    'content-security-policy': `${csp}; ${frameAncestors(origins)}; base-uri 'none'`,
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    ...memberPageFraming(origins),
  };
}

const originOf = (url: string) => new URL(url).origin;

/** The member's club page, with their portal token: the script reads data-token and data-api instead of a link's fragment. */
export function memberProxyPage(p: {
  token: string;
  apiUrl: string;
  scriptUrl: string;
  lang: ProxyLang;
  frameAncestors: readonly string[];
}): { headers: ProxyPageHeaders; body: string } {
  const dir = p.lang === 'fa' ? 'rtl' : 'ltr';
  const body = `<!doctype html>
<html lang="${p.lang}" dir="${dir}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer"><meta name="robots" content="noindex"><title>Club</title><style>${CSS}</style></head>
<body><div id="app" data-token="${attr(p.token)}" data-api="${attr(p.apiUrl)}" data-lang="${p.lang}"></div><script src="${attr(p.scriptUrl)}" defer></script></body></html>
`;
  const csp = `default-src 'none'; script-src ${originOf(p.scriptUrl)}; style-src 'unsafe-inline'; connect-src ${originOf(p.apiUrl)}`;
  return { headers: headers(csp, p.frameAncestors), body };
}

const SIGN_IN: Record<ProxyLang, { title: string; text: string; action: string }> = {
  fa: { title: 'باشگاه مشتریان', text: 'برای دیدن امتیازها و جایزه‌هایتان، اول وارد حساب کاربری فروشگاه شوید.', action: 'ورود به حساب' },
  en: { title: 'Members club', text: 'Sign in to your account with the shop to see your points and rewards.', action: 'Sign in' },
};

/** Nobody is signed in to the shop: send them to the shop's sign-in, then back to the club. */
export function signInProxyPage(p: { lang: ProxyLang; pathPrefix: string; frameAncestors: readonly string[] }): {
  headers: ProxyPageHeaders;
  body: string;
} {
  const w = SIGN_IN[p.lang];
  const back = /^\/[a-z0-9/_-]*$/i.test(p.pathPrefix) ? p.pathPrefix : '/apps/club';
  const href = `/account/login?return_url=${encodeURIComponent(back)}`;
  const body = `<!doctype html>
<html lang="${p.lang}" dir="${p.lang === 'fa' ? 'rtl' : 'ltr'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${w.title}</title><style>${CSS}</style></head>
<body><div id="app"><main><section class="card" data-testid="shop-sign-in"><h1>${w.title}</h1><p>${w.text}</p>
<p><a class="button" href="${attr(href)}">${w.action}</a></p></section></main></div></body></html>
`;
  return { headers: headers("default-src 'none'; style-src 'unsafe-inline'", p.frameAncestors), body };
}
