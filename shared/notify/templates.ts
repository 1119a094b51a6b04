/**
 * Which events become a message, and the words, in Persian and English.
 * Transactional notices (points expiring, expired, rewards, tiers, challenges
 * completed) go to every member who hasn't opted out; offers (welcome,
 * re-engagement) only to members who opted in.
 */
import type { DomainEvent, DomainEventType } from '../events/events';

export type Language = 'fa' | 'en';
export type MessageKind = 'transactional' | 'marketing';

interface Words {
  readonly subject: string;
  readonly text: string;
}

export interface Template {
  readonly name: string;
  readonly kind: MessageKind;
  readonly words: Record<Language, Words>;
}

export const TEMPLATES: Partial<Record<DomainEventType, Template>> = {
  'points.expiring': {
    name: 'points-expiring',
    kind: 'transactional',
    words: {
      en: { subject: 'Your points expire soon', text: '{points} of your points expire on {date}. Use them before then!' },
      fa: {
        subject: 'امتیازهای شما به‌زودی منقضی می‌شوند',
        text: '{points} امتیاز شما در تاریخ {date} منقضی می‌شود. پیش از آن استفاده‌شان کنید!',
      },
    },
  },
  'points.expired': {
    name: 'points-expired',
    kind: 'transactional',
    words: {
      en: { subject: 'Some of your points expired', text: '{points} points expired. Your balance is now {balance}.' },
      fa: { subject: 'بخشی از امتیازهای شما منقضی شد', text: '{points} امتیاز منقضی شد. موجودی فعلی شما {balance} امتیاز است.' },
    },
  },
  'member.lapsed': {
    name: 'we-miss-you',
    kind: 'marketing',
    words: {
      en: { subject: 'We miss you', text: "It's been {days} days. You have {balance} points waiting{bonus}." },
      fa: { subject: 'دلمان برایتان تنگ شده', text: '{days} روز است که از ما خرید نکرده‌اید. {balance} امتیاز منتظر شماست{bonus}.' },
    },
  },
  'member.welcomed': {
    name: 'welcome',
    kind: 'marketing',
    words: {
      en: { subject: 'Welcome to the club', text: 'Thanks for your first order! You have {balance} points{bonus}.' },
      fa: { subject: 'به باشگاه مشتریان خوش آمدید', text: 'از اولین خرید شما سپاسگزاریم! شما {balance} امتیاز دارید{bonus}.' },
    },
  },
  'member.birthday': {
    name: 'birthday',
    kind: 'marketing',
    words: {
      en: { subject: 'Happy birthday!', text: 'Happy birthday from all of us{bonus}. You have {balance} points.' },
      fa: { subject: 'تولدتان مبارک!', text: 'تولدتان مبارک{bonus}. شما {balance} امتیاز دارید.' },
    },
  },
  'reward.issued': {
    name: 'reward-issued',
    kind: 'transactional',
    words: {
      en: { subject: 'Your reward', text: 'Your reward code is {code}.' },
      fa: { subject: 'جایزه شما', text: 'کد جایزه شما: {code}' },
    },
  },
  'tier.changed': {
    name: 'tier-changed',
    kind: 'transactional',
    words: {
      en: { subject: 'Your tier changed', text: 'You are now {tier}.' },
      fa: { subject: 'سطح عضویت شما تغییر کرد', text: 'سطح عضویت شما اکنون {tier} است.' },
    },
  },
  // A notice of points the member already holds (like reward.issued), not an offer: it goes
  // under the transactional consent (docs/automations.md).
  'challenge.completed': {
    name: 'challenge-completed',
    kind: 'transactional',
    words: {
      en: { subject: 'Challenge completed', text: 'You completed "{challenge}": {prize}.' },
      fa: { subject: 'چالش را کامل کردید', text: 'چالش «{challenge}» را کامل کردید و {prize}.' },
    },
  },
};

/** The line every message ends with: the member's one-click way to stop this channel. */
export const OPT_OUT_WORDS: Record<Language, Record<'sms' | 'email', string>> = {
  en: { sms: 'Stop these texts:', email: 'Stop these emails:' },
  fa: { sms: 'لغو دریافت پیامک:', email: 'لغو دریافت ایمیل:' },
};

const PERSIAN_DIGITS = '۰۱۲۳۴۵۶۷۸۹';
const faDigits = (s: string) => s.replace(/\d/g, (d) => PERSIAN_DIGITS[Number(d)]!);

function formatDate(iso: string, language: Language, timeZone: string): string {
  const d = new Date(iso);
  // Persian: the Solar Hijri calendar members read, with Persian digits.
  return language === 'fa'
    ? new Intl.DateTimeFormat('fa-IR-u-ca-persian', { timeZone, year: 'numeric', month: 'long', day: 'numeric' }).format(d)
    : new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: 'long', day: 'numeric' }).format(d);
}

/** `tierName`: a tier's name in the program (members read "Gold", not "gold-2027"); the id when it has none. */
export function messageFor(
  event: DomainEvent,
  language: Language,
  timeZone: string,
  tierName: (id: string) => string = (id) => id,
): { template: Template; subject: string; text: string } | undefined {
  const template = TEMPLATES[event.type];
  if (!template) return undefined;
  const d = event.data;
  // A challenge's prize code is announced by its challenge.completed, which names it: one notice, not two.
  if (event.type === 'reward.issued' && d.challengeId !== undefined) return undefined;
  const num = (v: unknown) => {
    const s = String(Math.abs(Number(v ?? 0)));
    return language === 'fa' ? faDigits(s) : s;
  };
  const bonusPoints = Number(d.bonusPoints ?? 0);
  const vars: Record<string, string> = {
    points: num(d.points),
    balance: num(d.balance),
    days: num(d.daysSinceLastPurchase),
    date: typeof d.expiresAt === 'string' ? formatDate(d.expiresAt, language, timeZone) : '',
    code: String(d.code ?? ''),
    tier: typeof d.tier === 'string' ? tierName(d.tier) : '',
    // challenge.completed carries the challenge's name in both languages, as it read when completed.
    challenge: String((d.name as Partial<Record<Language, string>> | undefined)?.[language] ?? d.challengeId ?? ''),
    prize:
      d.code !== undefined
        ? language === 'fa'
          ? `کد جایزه شما: ${String(d.code)}`
          : `your reward code is ${String(d.code)}`
        : language === 'fa'
          ? `${num(d.points)} امتیاز گرفتید`
          : `${num(d.points)} points are yours`,
    bonus:
      bonusPoints > 0
        ? language === 'fa'
          ? ` و ${num(bonusPoints)} امتیاز هدیه گرفتید`
          : `, and ${bonusPoints} bonus points are yours`
        : '',
  };
  const fill = (s: string) => s.replace(/\{(\w+)\}/g, (_m, k: string) => vars[k] ?? '');
  const words = template.words[language];
  return { template, subject: fill(words.subject), text: fill(words.text) };
}
