/// <reference lib="dom" />
/**
 * The member's challenges card (GET /v1/me/challenges): each goal with a progress
 * bar, what it pays and the time left in its period. A chunk of the member page,
 * imported only when the member has a challenge, with its own words: the page's
 * first download is at its budget (docs/pages.md).
 */
import { h } from '../common/dom';
import { daysUntil, formatDate, formatNumber, type Lang } from '../common/format';

export interface ChallengeItem {
  readonly id: string;
  readonly name: { readonly fa: string; readonly en: string };
  readonly kind: 'orders' | 'spend' | 'category' | 'referrals' | 'profile';
  readonly target: number;
  readonly progress: number;
  readonly completedAt: string | null;
  readonly reward: { readonly points: number } | { readonly rewardId: string; readonly name: string };
  readonly endsAt: string;
}

const WORDS = {
  en: {
    title: 'Challenges',
    of: (have: string, target: string, unit: string) => `${have} of ${target}${unit ? ` ${unit}` : ''}`,
    unit: { orders: 'orders', referrals: 'friends', profile: '', spend: '', category: '' } as Record<ChallengeItem['kind'], string>,
    reward: (points: string) => `Reward: ${points} points`,
    prize: (name: string) => `Reward: ${name}`,
    done: 'Done! The reward is in your points.',
    prizeDone: 'Done! Your reward code is with your codes.',
    left: (days: number, n: string, until: string) => (days <= 1 ? `Last day: ${until}` : `${n} days left (until ${until})`),
  },
  fa: {
    title: 'چالش‌ها',
    of: (have: string, target: string, unit: string) => `${have} از ${target}${unit ? ` ${unit}` : ''}`,
    unit: { orders: 'سفارش', referrals: 'دوست', profile: '', spend: '', category: '' } as Record<ChallengeItem['kind'], string>,
    reward: (points: string) => `جایزه: ${points} امتیاز`,
    prize: (name: string) => `جایزه: ${name}`,
    done: 'انجام شد! جایزه به امتیازهای شما اضافه شد.',
    prizeDone: 'انجام شد! کد جایزه در میان کدهای شما است.',
    left: (days: number, n: string, until: string) => (days <= 1 ? `آخرین روز: ${until}` : `${n} روز مانده (تا ${until})`),
  },
};

/** The card, or null when the member plays nothing now. `money` words spend goals in the page's display currency. */
export function challengesSection(
  items: readonly ChallengeItem[],
  lang: Lang,
  timeZone: string,
  money: (amount: number) => string,
): HTMLElement | null {
  if (items.length === 0) return null;
  const w = WORDS[lang];
  const num = (n: number) => formatNumber(n, lang);
  const now = new Date();
  return h(
    'section',
    { className: 'card', 'data-testid': 'challenges' },
    h('h2', {}, w.title),
    h(
      'ul',
      { className: 'challenges' },
      items.map((c) => {
        const spend = c.kind === 'spend' || c.kind === 'category';
        const amount = (n: number) => (spend ? money(n) : num(n));
        const pct = Math.min(100, Math.round((c.progress / Math.max(1, c.target)) * 100));
        const days = daysUntil(c.endsAt, now);
        // endsAt is when the next period starts: the last day is the one before it.
        const lastDay = formatDate(new Date(Date.parse(c.endsAt) - 1).toISOString(), lang, timeZone);
        return h(
          'li',
          { 'data-challenge': c.id },
          h('p', {}, h('strong', {}, h('bdi', {}, c.name[lang]))),
          h(
            'div',
            {
              className: 'bar',
              style: 'background:#0000001a',
              role: 'progressbar',
              'aria-label': c.name[lang],
              'aria-valuemin': 0,
              'aria-valuemax': 100,
              'aria-valuenow': pct,
            },
            h('span', { style: `width:${pct}%` }),
          ),
          h('p', { 'data-testid': 'challenge-progress' }, w.of(amount(Math.min(c.progress, c.target)), amount(c.target), w.unit[c.kind])),
          h(
            'p',
            { className: 'muted', 'data-testid': 'challenge-reward' },
            'points' in c.reward
              ? c.completedAt
                ? w.done
                : w.reward(num(c.reward.points))
              : c.completedAt
                ? w.prizeDone
                : h('span', {}, w.prize(''), h('bdi', {}, c.reward.name)),
          ),
          c.completedAt ? null : h('p', { className: 'muted', 'data-testid': 'challenge-left' }, w.left(days, num(days), lastDay)),
        );
      }),
    ),
  );
}
