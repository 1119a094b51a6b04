/**
 * The words of the member's profile and messages (web/club/profile.ts), in Persian and
 * English: beside the rest of the page's words (words.ts), but in the chunk loaded
 * after the page, so the first download doesn't carry them.
 */
export const PROFILE_TEXT = {
  en: {
    complete: 'Complete your profile',
    missing: 'Still missing:',
    fields: { email: 'email', phone: 'phone', name: 'name', birthday: 'birthday' } as Record<string, string>,
    earns: (n: string) => `Complete it and earn ${n} points.`,
    askStore: 'The store adds a phone or a new email for you.',
    profile: 'Your details',
    name: 'Name',
    email: 'Email',
    birthday: 'Birthday',
    year: 'Year',
    month: 'Month',
    day: 'Day',
    noYear: '—',
    language: 'Language',
    save: 'Save',
    saved: 'Saved.',
    verify: 'A new email needs a confirmation code, which the club does not send yet. Ask the store to change it for you.',
    taken: 'This email belongs to another member.',
    invalid: 'Please check the fields.',
    messages: 'Your messages',
    sms: 'Text messages (SMS)',
    emails: 'Emails',
    offers: 'Offers and news',
    months: [] as string[],
    collecting: 'The club is getting ready',
    collectingText: (when: string | null) =>
      when
        ? `Points start on ${when}. Until then, this is what the club will offer:`
        : 'Points start soon. This is what the club will offer:',
  },
  fa: {
    complete: 'پروفایل خود را کامل کنید',
    missing: 'هنوز لازم است:',
    fields: { email: 'ایمیل', phone: 'تلفن همراه', name: 'نام', birthday: 'تاریخ تولد' } as Record<string, string>,
    earns: (n: string) => `با کامل کردن آن ${n} امتیاز بگیرید.`,
    askStore: 'تلفن یا ایمیل تازه را فروشگاه برایتان ثبت می‌کند.',
    profile: 'مشخصات شما',
    name: 'نام',
    email: 'ایمیل',
    birthday: 'تاریخ تولد',
    year: 'سال',
    month: 'ماه',
    day: 'روز',
    noYear: '—',
    language: 'زبان',
    save: 'ذخیره',
    saved: 'ذخیره شد.',
    verify: 'ایمیل تازه به کد تأیید نیاز دارد که باشگاه هنوز نمی‌فرستد. از فروشگاه بخواهید آن را برایتان تغییر دهد.',
    taken: 'این ایمیل متعلق به عضو دیگری است.',
    invalid: 'لطفاً فیلدها را بررسی کنید.',
    messages: 'پیام‌های شما',
    sms: 'پیامک',
    emails: 'ایمیل',
    offers: 'پیشنهادها و خبرها',
    months: ['فروردین', 'اردیبهشت', 'خرداد', 'تیر', 'مرداد', 'شهریور', 'مهر', 'آبان', 'آذر', 'دی', 'بهمن', 'اسفند'],
    collecting: 'باشگاه در حال آماده شدن است',
    collectingText: (when: string | null) =>
      when
        ? `امتیازدهی از ${when} آغاز می‌شود. تا آن زمان، این‌ها را باشگاه پیشنهاد خواهد کرد:`
        : 'امتیازدهی به‌زودی آغاز می‌شود. این‌ها را باشگاه پیشنهاد خواهد کرد:',
  },
};
