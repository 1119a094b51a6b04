/// <reference lib="dom" />
/**
 * The Deliveries tab: webhook deliveries by status with what each one is (order
 * id, customer, amount, read from the shop's body), 50 at a time with the API's
 * cursor. A failed one can be replayed as it is or with a corrected body (checked
 * as JSON here, the rest by the API, whose refusal is shown beside the editor),
 * or dismissed with a reason. Operators and admins get the buttons; the API
 * refuses a viewer anyway.
 */
import { call, h, mount, type ApiResult, type Child } from '../common/dom';
import { cards, errorText, message } from './ui';
import { num, w, when } from './words';

const STATUSES = ['failed', 'replayed', 'dismissed'] as const;
type Status = (typeof STATUSES)[number];
const PAGE = 50;

const ltr = (text: unknown) => (text === undefined || text === null || text === '' ? '—' : h('bdi', { dir: 'ltr' }, String(text)));
const reasonText = (r: any) => (typeof r === 'object' && r ? `${r.code ?? ''} ${r.message ?? ''}` : String(r ?? ''));

/**
 * The order, customer and amount a shop's body names, whichever shop sent it
 * (generic: orderId/amount/customer; Shopify: name, total_price, customer.email;
 * WooCommerce: number, total, billing.email). Nothing when the body is not JSON.
 */
export function orderFacts(body: string): { order?: unknown; customer?: unknown; amount?: string } {
  let p: any;
  try {
    p = JSON.parse(body);
  } catch {
    return {};
  }
  if (!p || typeof p !== 'object') return {};
  const c = p.customer ?? {};
  const amount = p.amount ?? p.total_price ?? p.total;
  return {
    order: p.orderId ?? p.name ?? p.number ?? p.order_id ?? p.id,
    customer: c.memberId ?? c.email ?? p.email ?? p.billing?.email ?? c.id ?? p.customer_id,
    amount: amount === undefined ? undefined : `${amount}${p.currency ? ` ${p.currency}` : ''}`,
  };
}

/** A replay's answer in words: a replay already running is said plainly (409 REPLAY_IN_PROGRESS). */
const refusal = (r: ApiResult) => (r.body?.error?.code === 'REPLAY_IN_PROGRESS' ? w.replayBusy : errorText(r));

export async function deliveriesView(
  token: string,
  operator: boolean,
  main: HTMLElement,
  notice?: HTMLElement,
  status: Status = 'failed',
): Promise<void> {
  const list = (cursor?: string) =>
    call(token, 'GET', `/v1/admin/deliveries?status=${status}&limit=${PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
  const res = await list();
  if (res.status === 404 && res.body?.error?.code === 'NOT_FOUND') return mount(main, message(w.noDeliveriesRoute, 'error'));
  if (res.status !== 200) return mount(main, message(errorText(res), 'error'));
  const reload = (n?: HTMLElement, st = status) => deliveriesView(token, operator, main, n, st);
  const filter = h(
    'select',
    {
      name: 'status',
      'aria-label': w.statusLabel,
      onchange: (e: Event) => void reload(undefined, (e.target as HTMLSelectElement).value as Status),
    },
    STATUSES.map((v) => h('option', { value: v, selected: v === status }, w.statuses[v])),
  );
  const head = w.deliveriesHead;
  const body = h('tbody', {});
  const rows = (items: any[]) => {
    const made = items.map((d) => row(d));
    // Each cell carries its heading for the phone's cards.
    for (const tr of made) for (const [i, td] of [...tr.cells].entries()) td.setAttribute('data-label', head[i] ?? '');
    body.append(...made);
  };

  function row(d: any): HTMLTableRowElement {
    const facts = orderFacts(d.body ?? '');
    const tr = h('tr', { 'data-delivery': d.id });
    tr.append(
      h('td', {}, when(d.receivedAt)),
      h('td', {}, d.source),
      h('td', {}, d.topic),
      h('td', {}, ltr(facts.order)),
      h('td', {}, ltr(facts.customer)),
      h('td', { className: 'num' }, ltr(facts.amount)),
      h('td', {}, h('bdi', {}, reasonText(d.reason))),
      h('td', { className: 'num' }, num(d.attempts ?? 0)),
      h('td', {}, actions(d, tr)),
    );
    return tr;
  }

  /** What became of a replayed or dismissed delivery; for a failed one, Replay, Edit the body and Dismiss. */
  function actions(d: any, tr: HTMLTableRowElement): Child {
    if (status === 'replayed') return w.replayedAt(when(d.replayedAt));
    if (status === 'dismissed') return w.dismissedAt(when(d.dismissedAt), d.dismissedBy ?? '?', d.dismissReason ?? '');
    if (!operator) return '';
    const path = `/v1/admin/deliveries/${encodeURIComponent(d.id)}`;
    const cell = h('div', { className: 'actions' });
    const replay = h(
      'button',
      {
        type: 'button',
        'data-action': 'replay',
        onclick: async () => {
          const r = await call(token, 'POST', `${path}/replay`, {});
          await reload(r.status === 200 ? message(w.replayed(d.id)) : message(refusal(r), 'error'));
        },
      },
      w.replay,
    );
    const edit = h(
      'button',
      { type: 'button', className: 'secondary', 'data-action': 'edit', onclick: () => openEditor(d, tr, path) },
      w.editBody,
    );
    const dismiss = h(
      'button',
      {
        type: 'button',
        className: 'secondary',
        'data-action': 'dismiss',
        onclick: () => {
          // The reason is required (kept with who and when); the API refuses a blank one too.
          const why = h('input', {
            type: 'text',
            name: 'dismiss-reason',
            maxlength: '500',
            required: true,
            placeholder: w.dismissPlaceholder,
            'aria-label': w.dismissLabel,
          });
          const form = h(
            'form',
            {
              className: 'search',
              onsubmit: async (e: Event) => {
                e.preventDefault();
                const r = await call(token, 'POST', `${path}/dismiss`, { reason: why.value });
                await reload(r.status === 200 ? message(w.dismissed(d.id)) : message(errorText(r), 'error'));
              },
            },
            why,
            h('button', { type: 'submit' }, w.confirmDismiss),
            h('button', { type: 'button', className: 'secondary', onclick: () => cell.replaceChildren(...buttons) }, w.cancel),
          );
          mount(cell, form);
          why.focus();
        },
      },
      w.dismiss,
    );
    const buttons = [replay, ' ', edit, ' ', dismiss];
    cell.replaceChildren(...buttons);
    return cell;
  }

  /** The body in a JSON editor on its own row under the delivery: parsed before sending, the API's refusal shown beside it. */
  function openEditor(d: any, tr: HTMLTableRowElement, path: string): void {
    const open = body.querySelector(`[data-editor="${CSS.escape(d.id)}"]`);
    if (open) return void open.querySelector('textarea')?.focus();
    let text = d.body ?? '';
    try {
      text = JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      // Not JSON (a MALFORMED_PAYLOAD): shown as it came, to correct.
    }
    const problem = h('div', { 'data-testid': 'body-problem', role: 'status' });
    const area = h('textarea', {
      name: 'body',
      dir: 'ltr',
      rows: 14,
      spellcheck: 'false',
      'aria-label': w.bodyLabel,
      'aria-describedby': `hint-${d.id}`,
    });
    area.value = text;
    const say = (t: string) => (area.setAttribute('aria-invalid', 'true'), mount(problem, message(t, 'error')));
    const form = h(
      'form',
      {
        className: 'editor',
        onsubmit: async (e: Event) => {
          e.preventDefault();
          try {
            JSON.parse(area.value);
          } catch (err) {
            return say(w.notJson((err as Error).message));
          }
          area.removeAttribute('aria-invalid');
          const r = await call(token, 'POST', `${path}/replay`, { body: area.value });
          if (r.status === 200) return reload(message(w.replayed(d.id)));
          say(refusal(r));
        },
      },
      h('p', { className: 'muted', id: `hint-${d.id}` }, w.bodyHint),
      area,
      problem,
      h('button', { type: 'submit' }, w.replayBody),
      ' ',
      h('button', { type: 'button', className: 'secondary', onclick: () => editorRow.remove() }, w.cancel),
    );
    const editorRow = h('tr', { 'data-editor': d.id }, h('td', { colspan: head.length, 'data-label': '' }, form));
    tr.after(editorRow);
    area.focus();
  }

  const items: any[] = res.body.items ?? [];
  rows(items);
  let cursor: string | undefined = res.body.nextCursor ?? undefined;
  const more = h(
    'button',
    {
      type: 'button',
      className: 'secondary',
      onclick: async () => {
        more.disabled = true;
        const next = await list(cursor);
        if (next.status !== 200) return more.replaceWith(message(errorText(next), 'error'));
        rows(next.body.items ?? []);
        cursor = next.body.nextCursor ?? undefined;
        more.disabled = false;
        if (!cursor) more.remove();
      },
    },
    w.more,
  );
  const table = cards(
    h(
      'table',
      { 'data-testid': 'deliveries' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          head.map((c) => h('th', {}, c)),
        ),
      ),
      body,
    ),
  );
  const content = items.length
    ? [table, cursor ? more : null]
    : [h('p', { 'data-testid': 'no-deliveries' }, w.noDeliveries(w.statuses[status]!))];
  mount(
    main,
    ...[notice, h('section', { className: 'card', 'data-status': status }, h('h2', {}, w.deliveries, ' ', filter), ...content)].filter(
      (x): x is HTMLElement => !!x,
    ),
  );
}
