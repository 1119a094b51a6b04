/**
 * The member page's words in Persian and English, and the program's rules said
 * plainly. Names and program texts (a member's name, tiers, rewards, campaigns,
 * categories, codes) go in through `isolate`, so each shows as a <bdi>.
 */
import { formatDate, formatMoney, formatNumber, isolate as iso, type Lang } from '../common/format';
import { reasonWords, type Reason } from '../common/reasons';

export const TEXT = {
  en: {
    title: 'Your club',
    loading: 'Loading your club…',
    hello: (name: string | null) => (name ? `Hello, ${iso(name)}` : 'Hello'),
    balance: 'Your points',
    pending: (n: string) => `${n} more points on their way (after the return window)`,
    tier: 'Your tier',
    baseTier: 'Member',
    toNext: (toGo: string, next: string) => `${toGo} more to reach ${iso(next)}`,
    topTier: 'You are at the top tier',
    expiring: 'Expiring soon',
    expiringLine: (points: string, date: string) => `${points} points expire on ${date}`,
    nothingExpiring: 'No points expire in the next 90 days.',
    rewards: 'Rewards',
    noRewards: 'The store has no rewards to redeem yet.',
    redeem: 'Redeem',
    redeemLabel: (name: string) => `Redeem — ${name}`,
    redeeming: 'Redeeming…',
    pointsToGo: (n: string) => `${n} points to go`,
    redeemed: (name: string, code?: string) => `Done: ${iso(name)}.${code ? ` Your code: ${iso(code)}` : ''}`,
    notEnough: 'You do not have enough points for this reward yet.',
    notOffered: 'This reward is not offered to you now.',
    history: 'History',
    noHistory: 'Nothing yet: your first order earns points.',
    // While the club collects before launch, nothing promises points now (see collectingNote).
    noHistoryCollecting: (when: string | null) =>
      when ? `Nothing yet: points start on ${when}.` : 'Nothing yet: points start when the club launches.',
    howToEarn: 'How to earn',
    referral: 'Invite a friend',
    referralText: 'Friends who join with your code help you both earn:',
    referralTextCollecting: 'Your code for friends who join:',
    referralCode: 'Your referral code',
    copy: 'Copy',
    copyLabel: 'Copy the referral code',
    copied: 'Copied',
    refused: 'This link is not valid or has expired.',
    refusedHint: 'Links work for a short time. Ask the store for a new one (for example from your account page).',
    failed: 'Something went wrong. Please try again.',
    points: (n: string) => `${n} points`,
    types: { earn: 'Order', bonus: 'Bonus', redeem: 'Reward', reverse: 'Refund', expire: 'Expired', adjust: 'Correction' } as Record<
      string,
      string
    >,
    other: 'فارسی',
    otherLang: 'fa',
    otherLabel: 'نمایش به فارسی',
  },
  fa: {
    title: 'باشگاه مشتریان',
    loading: 'در حال بارگذاری باشگاه شما…',
    hello: (name: string | null) => (name ? `سلام ${iso(name)}` : 'سلام'),
    balance: 'امتیاز شما',
    pending: (n: string) => `${n} امتیاز دیگر در راه است (پس از مهلت مرجوعی)`,
    tier: 'سطح شما',
    baseTier: 'عضو',
    toNext: (toGo: string, next: string) => `${toGo} دیگر تا سطح ${iso(next)}`,
    topTier: 'شما در بالاترین سطح هستید',
    expiring: 'به‌زودی منقضی می‌شود',
    expiringLine: (points: string, date: string) => `${points} امتیاز در ${date} منقضی می‌شود`,
    nothingExpiring: 'تا ۹۰ روز آینده امتیازی منقضی نمی‌شود.',
    rewards: 'جایزه‌ها',
    noRewards: 'فروشگاه هنوز جایزه‌ای برای دریافت ندارد.',
    redeem: 'دریافت',
    redeemLabel: (name: string) => `دریافت — ${name}`,
    redeeming: 'در حال دریافت…',
    pointsToGo: (n: string) => `${n} امتیاز دیگر لازم است`,
    redeemed: (name: string, code?: string) => `انجام شد: ${iso(name)}.${code ? ` کد شما: ${iso(code)}` : ''}`,
    notEnough: 'هنوز امتیاز کافی برای این جایزه ندارید.',
    notOffered: 'این جایزه اکنون برای شما نیست.',
    history: 'تاریخچه',
    noHistory: 'هنوز چیزی نیست: با اولین خرید امتیاز می‌گیرید.',
    noHistoryCollecting: (when: string | null) =>
      when ? `هنوز چیزی نیست: امتیازها از ${when} شروع می‌شوند.` : 'هنوز چیزی نیست: امتیازها با آغاز باشگاه شروع می‌شوند.',
    howToEarn: 'چطور امتیاز بگیرم',
    referral: 'دعوت از دوستان',
    referralText: 'دوستانی که با کد شما عضو شوند به هر دوی شما امتیاز می‌دهند:',
    referralTextCollecting: 'کد شما برای دوستانی که عضو می‌شوند:',
    referralCode: 'کد دعوت شما',
    copy: 'کپی',
    copyLabel: 'کپی کد دعوت',
    copied: 'کپی شد',
    refused: 'این پیوند معتبر نیست یا منقضی شده است.',
    refusedHint: 'پیوندها مدت کوتاهی کار می‌کنند. از فروشگاه پیوند تازه بخواهید (مثلاً از صفحهٔ حساب کاربری).',
    failed: 'مشکلی پیش آمد. لطفاً دوباره تلاش کنید.',
    points: (n: string) => `${n} امتیاز`,
    types: { earn: 'خرید', bonus: 'هدیه', redeem: 'جایزه', reverse: 'مرجوعی', expire: 'انقضا', adjust: 'اصلاح' } as Record<string, string>,
    other: 'English',
    otherLang: 'en',
    otherLabel: 'Show in English',
  },
} as const;

/** A history line: the entry's type, and why when the page can say it. */
export function entryText(e: Reason & { type: string }, lang: Lang): string {
  const type = TEXT[lang].types[e.type] ?? TEXT[lang].types.adjust!;
  const why = reasonWords(e, lang);
  return why ? `${type} · ${why}` : type;
}

export type Words = (typeof TEXT)[Lang];

/** 1st, 2nd, 3rd, 4th … 11th, 12th, 13th … 21st. */
function ordinal(k: number): string {
  const tens = k % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[k % 10] ?? 'th');
  return `${k}${suffix}`;
}

/**
 * How long points stay valid (the program's pointsValidity), as one sentence.
 * A program that doesn't say (an older server) has the default: 12 months.
 */
export function validityText(validity: Record<string, any> | undefined, lang: Lang): string {
  const v = validity ?? { kind: 'months', months: 12 };
  const n = (x: number) => formatNumber(x, lang);
  if (lang === 'fa') {
    switch (v.kind) {
      case 'days':
        return `امتیازها تا پایان روز ${n(v.days)}‌ام پس از روز کسب اعتبار دارند.`;
      case 'end-of-year':
        return v.years > 0
          ? `امتیازها تا پایان ${n(v.years)} سال میلادی پس از سال کسب اعتبار دارند.`
          : 'امتیازها تا پایان همان سال میلادی که کسب شده‌اند اعتبار دارند.';
      case 'never':
        return 'امتیازهای شما هیچ‌وقت منقضی نمی‌شوند.';
      default:
        return `امتیازها تا پایان ماه ${n(v.months)}‌ام پس از ماه کسب اعتبار دارند.`;
    }
  }
  switch (v.kind) {
    case 'days':
      return `Points are valid for ${n(v.days)} day${v.days === 1 ? '' : 's'} after the day you earn them.`;
    case 'end-of-year':
      return v.years > 0
        ? `Points are valid until the end of the ${ordinal(v.years)} year after the year you earn them.`
        : 'Points are valid until the end of the year you earn them.';
    case 'never':
      return 'Your points never expire.';
    default:
      return `Points are valid until the end of the ${ordinal(v.months)} month after the month you earn them.`;
  }
}

/** One rule from /v1/me's program.howToEarn, as a sentence. */
export function ruleText(rule: Record<string, any>, lang: Lang, timeZone: string, currency = 'USD'): string | null {
  const n = (x: number | string) => formatNumber(Number(x), lang);
  const fa = lang === 'fa';
  switch (rule.kind) {
    case 'per-unit': {
      const per = Number(rule.pointsPerUnit);
      // "1 point for every 10 Toman" reads better than "0.1 points per Toman".
      const unit = per >= 1 ? '1' : String(Math.round(1 / per));
      const pts = per >= 1 ? n(per) : n(1);
      const money = formatMoney(unit, rule.currency ?? currency, lang);
      return fa
        ? `برای هر ${money} خرید، ${pts} امتیاز می‌گیرید.`
        : `You earn ${pts} point${pts === '1' ? '' : 's'} for every ${money} you spend.`;
    }
    case 'minimum-order':
      return fa
        ? `خریدهای کمتر از ${formatMoney(rule.amount, rule.currency ?? currency, lang)} امتیاز ندارند.`
        : `Orders under ${formatMoney(rule.amount, rule.currency ?? currency, lang)} earn no points.`;
    case 'category':
      return fa
        ? `خرید از دستهٔ «${iso(rule.category)}» ${n(rule.multiplier)} برابر امتیاز دارد.`
        : `${iso(rule.category)} earns ${n(rule.multiplier)}× points.`;
    case 'pending':
      return fa
        ? `امتیاز هر خرید پس از ${n(rule.days)} روز (مهلت مرجوعی) قابل استفاده می‌شود.`
        : `An order's points become spendable ${n(rule.days)} days after it (the return window).`;
    case 'expiry': {
      const valid = validityText(rule.validity, lang);
      if (rule.validity?.kind === 'never') return valid;
      return fa ? `${valid.slice(0, -1)}؛ ابتدا قدیمی‌ترین امتیازها خرج می‌شوند.` : `${valid.slice(0, -1)}; the oldest are spent first.`;
    }
    case 'bonus': {
      const p = n(rule.points);
      const en: Record<string, string> = {
        signUp: `${p} points for joining.`,
        firstPurchase: `${p} points on your first order.`,
        birthday: `${p} points in your birthday month.`,
        profileCompletion: `${p} points for completing your profile (email, phone, name and birthday).`,
        referrer: `${p} points when a friend you invited makes their first order.`,
        referred: `${p} points for joining with a friend's code.`,
      };
      const faText: Record<string, string> = {
        signUp: `${p} امتیاز هدیهٔ عضویت.`,
        firstPurchase: `${p} امتیاز برای اولین خرید.`,
        birthday: `${p} امتیاز در ماه تولدتان.`,
        profileCompletion: `${p} امتیاز برای تکمیل نمایه (ایمیل، تلفن، نام و تاریخ تولد).`,
        referrer: `${p} امتیاز وقتی دوستی که دعوت کرده‌اید اولین خریدش را انجام دهد.`,
        referred: `${p} امتیاز برای عضویت با کد یک دوست.`,
      };
      return (fa ? faText : en)[rule.bonus] ?? null;
    }
    case 'tier': {
      // A spend threshold is money: in the store's unit, with the unit.
      const from =
        rule.basis === 'spend'
          ? fa
            ? `${formatMoney(String(rule.threshold), currency, lang)} خرید`
            : `${formatMoney(String(rule.threshold), currency, lang)} in spend`
          : fa
            ? `${n(rule.threshold)} امتیاز`
            : `${n(rule.threshold)} points`;
      const mult =
        Number(rule.multiplier) !== 1 ? (fa ? ` و ${n(rule.multiplier)} برابر امتیاز` : `, earning ${n(rule.multiplier)}× points`) : '';
      const perks = rule.perks?.length ? ` (${rule.perks.map(iso).join(fa ? '، ' : ', ')})` : '';
      return fa ? `سطح ${iso(rule.name)}: از ${from}${mult}${perks}.` : `${iso(rule.name)}: from ${from}${mult}${perks}.`;
    }
    case 'campaign': {
      const from = formatDate(`${rule.start}T12:00:00Z`, lang, timeZone);
      const to = formatDate(`${rule.end}T12:00:00Z`, lang, timeZone);
      const e = rule.effect;
      const what =
        e.type === 'multiplier'
          ? fa
            ? `${n(e.multiplier)} برابر امتیاز`
            : `${n(e.multiplier)}× points`
          : e.type === 'fixedBonus'
            ? fa
              ? `${n(e.points)} امتیاز اضافه برای هر خرید`
              : `${n(e.points)} extra points per order`
            : fa
              ? `${n(e.points)} امتیاز اضافه برای خرید بالای ${formatMoney(e.over, currency, lang)}`
              : `${n(e.points)} extra points on orders over ${formatMoney(e.over, currency, lang)}`;
      return fa ? `${iso(rule.name)}: ${what}، از ${from} تا ${to}.` : `${iso(rule.name)}: ${what}, ${from} to ${to}.`;
    }
    default:
      return null;
  }
}

/** The sign-in on the member page (web/club/sign-in.ts), when it is opened without a link. */
export const SIGN_IN_WORDS = {
  en: {
    heading: 'Sign in to your club',
    hint: 'Enter the phone number or email you gave the store. We will send you a code.',
    address: 'Phone number or email',
    send: 'Send code',
    sent: 'If this phone or email belongs to a member, we have sent a code to it. It works for 10 minutes.',
    code: '6-digit code',
    verify: 'Sign in',
    other: 'Use another phone or email',
    badAddress: 'That is not a phone number or email we can read.',
    badCode: 'That code is wrong or has expired. Check it, or ask for a new one.',
    referralAsk: 'Joining with a referral code?',
    referral: 'Referral code (optional)',
    badReferral: 'That referral code is not one we can read. Check it, or leave it empty.',
    tooMany: (minutes: number) => `Too many tries. Please try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
    signOut: 'Sign out',
  },
  fa: {
    heading: 'ورود به باشگاه',
    hint: 'شماره تلفن یا ایمیلی را که به فروشگاه داده‌اید وارد کنید تا کدی برایتان بفرستیم.',
    address: 'شماره تلفن یا ایمیل',
    send: 'ارسال کد',
    sent: 'اگر این تلفن یا ایمیل متعلق به یک عضو باشد، کدی به آن فرستادیم. این کد ۱۰ دقیقه معتبر است.',
    code: 'کد ۶ رقمی',
    verify: 'ورود',
    other: 'تلفن یا ایمیل دیگر',
    badAddress: 'این شماره تلفن یا ایمیل قابل خواندن نیست.',
    badCode: 'این کد اشتباه است یا منقضی شده. آن را بررسی کنید یا کد تازه بخواهید.',
    referralAsk: 'با کد معرف عضو می‌شوید؟',
    referral: 'کد معرف (اختیاری)',
    badReferral: 'این کد معرف قابل خواندن نیست. آن را بررسی کنید یا خالی بگذارید.',
    tooMany: (minutes: number) => `تلاش‌ها بیش از حد بود. لطفاً ${formatNumber(minutes, 'fa')} دقیقهٔ دیگر دوباره امتحان کنید.`,
    signOut: 'خروج',
  },
} as const;
/** The "my codes" list and the spend confirmation (web/club/codes.ts). */
export const CODE_WORDS = {
  en: {
    myCodes: 'My codes',
    noCodes: 'No codes yet: redeem a reward and its code shows here.',
    until: (date: string) => `until ${date}`,
    usedOn: (date: string) => `used on ${date}`,
    status: { issued: 'Unused', used: 'Used', expired: 'Expired', cancelled: 'Cancelled' } as Record<string, string>,
    gives: {
      'fixed-discount': (money: string) => `${money} off`,
      'percent-discount': (percent: string) => `${percent}% off`,
      'free-shipping': () => 'Free shipping',
      'free-product': () => 'A free product',
      'tier-up': () => 'A higher tier',
    } as Record<string, (value: string) => string>,
    copy: 'Copy',
    copied: 'Copied',
    copyCode: (code: string) => `Copy the code ${code}`,
    copyFailed: 'Copy it by hand',
    confirmTitle: 'Spend your points?',
    confirmText: (points: string, name: string) => `Spend ${points} points for ${iso(name)}?`,
    confirm: 'Yes, spend them',
    cancel: 'Cancel',
  },
  fa: {
    myCodes: 'کدهای من',
    noCodes: 'هنوز کدی ندارید: جایزه‌ای بگیرید تا کدش اینجا بیاید.',
    until: (date: string) => `تا ${date}`,
    usedOn: (date: string) => `استفاده در ${date}`,
    status: { issued: 'استفاده‌نشده', used: 'استفاده‌شده', expired: 'منقضی‌شده', cancelled: 'لغوشده' } as Record<string, string>,
    gives: {
      'fixed-discount': (money: string) => `${money} تخفیف`,
      'percent-discount': (percent: string) => `${percent}٪ تخفیف`,
      'free-shipping': () => 'ارسال رایگان',
      'free-product': () => 'یک کالای رایگان',
      'tier-up': () => 'سطح بالاتر',
    } as Record<string, (value: string) => string>,
    copy: 'کپی',
    copied: 'کپی شد',
    copyCode: (code: string) => `کپی کد ${code}`,
    copyFailed: 'لطفاً دستی کپی کنید',
    confirmTitle: 'امتیازها خرج شود؟',
    confirmText: (points: string, name: string) => `${points} امتیاز برای ${iso(name)} خرج شود؟`,
    confirm: 'بله، خرج شود',
    cancel: 'انصراف',
  },
} satisfies Record<Lang, unknown>;
