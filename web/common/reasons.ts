/**
 * Why a ledger entry happened, in words: the reasonKind and reasonParams the
 * member's ledger carries (shared/portal/reasons.ts), in Persian and English.
 * The member page and the staff console both use them.
 */
import { isolate as iso, type Lang } from './format';

export type Reason = { reasonKind?: string; reasonParams?: Record<string, any> };

const EN_BONUS: Record<string, string> = {
  'sign-up': 'Sign-up bonus',
  'first-purchase': 'First purchase bonus',
  'profile-completion': 'Profile completion bonus',
  birthday: 'Birthday bonus',
  referred: "Bonus for joining with a friend's code",
  referrer: 'Bonus for inviting a friend',
  'come-back': 'Welcome-back bonus',
  welcome: 'Welcome bonus',
};
const FA_BONUS: Record<string, string> = {
  'sign-up': 'هدیهٔ عضویت',
  'first-purchase': 'هدیهٔ اولین خرید',
  'profile-completion': 'هدیهٔ تکمیل نمایه',
  birthday: 'هدیهٔ تولد',
  referred: 'هدیهٔ عضویت با کد دعوت دوست',
  referrer: 'هدیهٔ دعوت از دوست',
  'come-back': 'هدیهٔ بازگشت',
  welcome: 'هدیهٔ خوش‌آمد',
};
const EN_WHY: Record<string, string> = {
  'below-minimum': 'below the minimum order',
  'outside-pilot': 'the club runs for a pilot group only',
  'order-cap': 'capped at the most points an order earns',
  'day-cap': 'capped at the most points a day earns',
  'pending-released': 'released after the return window',
  'points-expired': 'points expired',
  'order-cancelled': 'order cancelled',
  retroactive: 'points for an order before the club started',
};
const FA_WHY: Record<string, string> = {
  'below-minimum': 'کمتر از حداقل خرید',
  'outside-pilot': 'باشگاه فقط برای گروه آزمایشی فعال است',
  'order-cap': 'سقف امتیاز هر خرید',
  'day-cap': 'سقف امتیاز روزانه',
  'pending-released': 'پس از پایان مهلت مرجوعی',
  'points-expired': 'پایان اعتبار امتیاز',
  'order-cancelled': 'لغو سفارش',
  retroactive: 'امتیاز خرید پیش از راه‌اندازی باشگاه',
};

/** A ledger entry's reasonKind (and its facts) in words; null when the page has nothing to say. */
export function reasonWords(e: Reason, lang: Lang): string | null {
  const fa = lang === 'fa';
  const p = e.reasonParams ?? {};
  const bonus = fa ? FA_BONUS : EN_BONUS;
  switch (e.reasonKind) {
    case undefined:
      return null;
    case 'note':
      return iso(p.text);
    case 'reward-code-expired':
      return fa ? `کد ${iso(p.code)} استفاده نشد و منقضی شد` : `code ${iso(p.code)} expired unused`;
    case 'reward-code-cancelled':
      return fa ? `کد ${iso(p.code)} لغو شد و امتیازش برگشت` : `code ${iso(p.code)} cancelled, its points returned`;
    case 'challenge-completed':
    case 'challenge-taken-back': {
      // The member's history names the challenge; the staff ledger has its id; a challenge gone since has neither.
      const name: string | undefined = p.name?.[lang] ?? p.challengeId;
      if (e.reasonKind === 'challenge-completed') {
        if (fa) return name ? `چالش «${iso(name)}» انجام شد` : 'چالش انجام شد';
        return name ? `Challenge completed: ${iso(name)}` : 'Challenge completed';
      }
      if (fa) return `جایزهٔ چالش${name ? ` «${iso(name)}»` : ''} پس گرفته شد (سفارش مرجوع شد)`;
      return `Challenge reward${name ? ` for ${iso(name)}` : ''} taken back (an order was refunded)`;
    }
    case 'bonus-taken-back': {
      const what = bonus[p.bonus] ?? (fa ? 'هدیه' : 'Bonus');
      return fa ? `${what} پس گرفته شد (سفارش مرجوع شد)` : `${what} taken back (the order was refunded)`;
    }
    default: {
      const b = bonus[e.reasonKind];
      if (b) return p.atLaunch ? `${b} ${fa ? '(هنگام راه‌اندازی باشگاه)' : '(at the launch)'}` : b;
      return (fa ? FA_WHY : EN_WHY)[e.reasonKind] ?? null;
    }
  }
}
