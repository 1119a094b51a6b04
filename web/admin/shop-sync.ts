/// <reference lib="dom" />
/**
 * Under the deliveries: reward codes the shop did not take (GET
 * /v1/admin/shop-sync?status=failed), each with its shop, member and the shop's
 * last answer, and a Retry that asks the shop for the code first, so it never
 * makes a second discount. Shown only when something failed.
 */
import { call, h, mount } from '../common/dom';
import { errorText, message } from './ui';
import { w } from './words';

export async function shopSyncView(token: string, operator: boolean, main: HTMLElement, notice?: HTMLElement): Promise<void> {
  const res = await call(token, 'GET', '/v1/admin/shop-sync?status=failed&limit=100');
  const items: any[] = res.status === 200 ? res.body.items : [];
  const retry = async (id: string) => {
    const r = await call(token, 'POST', `/v1/admin/shop-sync/${encodeURIComponent(id)}/retry`);
    // Failed again: the shop's new answer; else the list without it.
    const error = r.status === 200 ? (r.body.status === 'failed' ? r.body.lastError : '') : errorText(r);
    await shopSyncView(token, operator, main, error ? message(error, 'error') : undefined);
  };
  const rows = items.map((p) =>
    h(
      'li',
      { 'data-push': p.id },
      h('bdi', { dir: 'ltr' }, `${p.code} · ${p.platform} · ${p.memberId}`),
      ': ',
      h('bdi', {}, p.lastError),
      ' ',
      operator ? h('button', { type: 'button', onclick: () => retry(p.id) }, w.retry) : '',
    ),
  );
  mount(
    main,
    ...[notice, rows.length ? h('section', { className: 'card' }, h('h2', {}, w.shopSync), h('ul', {}, ...rows)) : undefined].filter(
      (x): x is HTMLElement => !!x,
    ),
  );
}
