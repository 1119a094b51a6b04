/// <reference lib="dom" />
/**
 * The staff console's words in English and Persian, the language chosen (a
 * switch, remembered in localStorage; else the browser's), and the running
 * program's facts every view formats with: its time zone, currency and tier names.
 */
import {
  dirOf,
  displayCurrencyOf,
  formatDate,
  formatDateTime,
  formatMoney,
  formatNumber,
  formatSigned,
  isolate as iso,
  pickLang,
  type Lang,
} from '../common/format';

const en = {
  title: 'Loyalty club console',
  switchTo: 'فارسی',
  switchLabel: 'نمایش به فارسی',
  loading: 'Loading…',
  tokenPlaceholder: 'API or staff token',
  tokenLabel: 'token',
  staffSignIn: 'Sign in with your staff account',
  orPaste: 'Or paste a token',
  tokenHint: 'Token (printed by npm start, or a STAFF_TOKENS entry)',
  signIn: 'Sign in',
  signOut: 'Sign out',
  badToken: 'That token is not valid.',
  tabs: { Members: 'Members', Deliveries: 'Deliveries', Program: 'Program', Reports: 'Reports', Costs: 'Costs' } as Record<string, string>,
  roles: { viewer: 'viewer', operator: 'operator', admin: 'admin' } as Record<string, string>,
  searchPlaceholder: 'name, email, phone or member id',
  searchLabel: 'search',
  search: 'Search',
  noMember: 'No member with that name, email, phone or id.',
  more: 'More',
  memberId: 'Member id',
  email: 'Email',
  phone: 'Phone',
  tier: 'Tier',
  joined: 'Joined',
  lastActivity: 'Last activity',
  balance: 'Balance',
  lifetime: 'Lifetime points',
  ledger: 'Ledger',
  ledgerHead: (tz: string) => ['When', 'Type', 'Points', 'Balance', 'Reason / order', 'By'].map((c, i) => (i === 0 ? `${c} (${tz})` : c)),
  types: { earn: 'earn', bonus: 'bonus', redeem: 'redeem', reverse: 'reverse', expire: 'expire', adjust: 'adjust' } as Record<
    string,
    string
  >,
  order: (id: string) => `order ${iso(id)}`,
  adjustTitle: 'Adjust points',
  pointsLabel: 'points',
  pointsHint: 'Points (negative to take away)',
  reasonLabel: 'reason',
  reasonHint: 'Reason (required, recorded with your name)',
  reasonPlaceholder: 'why (the member may ask)',
  adjust: 'Adjust',
  adjusted: (points: string, balance: string) => `Adjusted by ${points}: balance ${balance}.`,
  memberPage: "Member's page",
  makeLink: 'Make a portal link',
  openPage: 'Open the member page',
  expires: (when: string) => ` (expires ${when})`,
  deliveries: 'Webhook deliveries',
  statusLabel: 'status',
  statuses: { failed: 'failed', replayed: 'replayed', dismissed: 'dismissed' } as Record<string, string>,
  noDeliveriesRoute: 'This club has no webhook deliveries route yet.',
  deliveriesHead: ['Received', 'Source', 'Topic', 'Order', 'Customer', 'Amount', 'Reason', 'Attempts', ''],
  editBody: 'Edit the body',
  bodyLabel: 'delivery body',
  bodyHint: "The shop's body as JSON; correct it and replay. The order id still decides what is new.",
  replayBody: 'Replay this body',
  notJson: (why: string) => `Not JSON: ${why}`,
  replayBusy: 'Someone else is replaying this delivery right now; list it again in a moment.',
  noDeliveries: (status: string) => `No ${status} deliveries.`,
  shopSync: 'Reward codes the shop did not take',
  retry: 'Retry',
  replayedAt: (when: string) => `replayed ${when}`,
  dismissedAt: (when: string, by: string, why: string) => `dismissed ${when} by ${iso(by)}: ${iso(why)}`,
  replay: 'Replay',
  replayed: (id: string) => `Replayed ${id}.`,
  dismiss: 'Dismiss',
  dismissed: (id: string) => `Dismissed ${id}.`,
  dismissLabel: 'dismiss reason',
  dismissPlaceholder: 'why it needs no applying',
  confirmDismiss: 'Confirm dismiss',
  cancel: 'Cancel',
  programTitle: (v: number) => `Program v${v}`,
  perUnit: (points: string, unit: string, rounding: string, minimum: string) =>
    `${points} point(s) per ${unit}, rounding ${rounding}; minimum order ${minimum}`,
  returnWindow: (days: string, tz: string, stacking: string) => `Return window ${days} days; time zone ${tz}; campaigns ${stacking}`,
  tiers: (list: string) => `Tiers: ${list}`,
  none: 'none',
  bonuses: (signUp: string, first: string, birthday: string, referral: string) =>
    `Bonuses: sign-up ${signUp}, first purchase ${first}, birthday ${birthday}, referral ${referral}`,
  catalog: (n: string) => `Rewards in the catalog: ${n}`,
  lastSaved: (when: string, by: string) => `Last saved ${when} by ${iso(by)}`,
  neverSaved: 'Last saved never (the default program)',
  unknown: 'unknown',
  wholeDocument: 'The whole document',
  editProgram: 'Edit the program',
  baseTier: 'Member',
  // Reports and costs
  periods: { '30d': 'Last 30 days', '90d': 'Last 90 days', '12m': 'Last 12 months', custom: 'From – to' } as Record<string, string>,
  periodLabel: 'period',
  fromLabel: 'from',
  toLabel: 'to',
  intervalLabel: 'interval',
  by: (interval: string) => `by ${interval}`,
  intervals: { day: 'day', week: 'week', month: 'month' } as Record<string, string>,
  show: 'Show',
  noReports: 'Reports are not available on this club yet.',
  members: 'Members',
  newMembers: (n: string) => `${n} new`,
  // What a club collecting before launch judges by (GET /v1/reports/summary).
  profilesComplete: 'Complete profiles',
  smsConsent: 'Allow SMS',
  emailConsent: 'Allow email',
  offersConsent: 'Take offers',
  activeMembers: 'Active members',
  orderedInPeriod: 'ordered in the period',
  orders: 'Orders',
  repeatOrders: (n: string) => `${n} repeat`,
  repeatRate: 'Repeat purchase rate',
  repeatBuyers: (n: string) => `${n} repeat buyers`,
  issued: 'Points issued',
  redeemed: 'Points redeemed',
  expired: 'Points expired',
  redemptionRate: 'Redemption rate',
  outstanding: 'Points outstanding',
  pendingN: (n: string) => `${n} pending`,
  liability: 'Liability',
  atPointValue: (value: string) => `at ${value} a point`,
  approximate: 'Repeat buyers are approximate for this window (see docs/reports.md): start it on the 1st for exact figures.',
  roi: 'Return on the club',
  revenue: "Members' revenue",
  repeatRevenue: 'Repeat revenue',
  fromReturning: 'orders from returning members',
  rewardsGiven: 'Rewards given',
  rewardsHint: 'points redeemed × point value',
  perReward: 'Repeat revenue per 1 of rewards',
  runningCost: 'Running cost (USD)',
  costsTab: 'Costs tab',
  seeDashboard: 'see the CloudWatch dashboard',
  byInterval: (interval: string) => `By ${interval}`,
  chartPoints: 'Points',
  chartActive: 'Active members',
  lineIssued: 'issued',
  lineRedeemed: 'redeemed',
  lineExpired: 'expired',
  lineActive: 'active',
  lineRepeat: 'repeat purchase rate',
  csv: 'CSV',
  summaryCsv: 'Download summary CSV',
  seriesCsv: 'Download series CSV',
  costsCsv: 'Download costs CSV',
  noCosts: 'The cost report is not available on this club yet.',
  costTitle: (from: string, to: string) => `Cost per request, ${from} – ${to}`,
  prices: (asOf: string, region: string, currency: string) =>
    `List prices as of ${asOf} (${region}, ${currency}, on demand, no free tier).`,
  requests: 'Requests',
  total: 'Total',
  per1000Orders: 'Per 1,000 orders',
  ordersN: (n: string) => `${n} orders`,
  perMemberMonth: 'Per member per month',
  membersN: (n: string) => `${n} members`,
  per1000Deliveries: 'Per 1,000 webhook deliveries',
  deliveriesN: (n: string) => `${n} deliveries`,
  byService: 'By service',
  serviceHead: ['Service', 'Cost', 'Share', 'Of it webhook deliveries'],
  fixedMonthly: 'Fixed each month',
  fixedHead: ['Resource', 'Count', 'Price each', 'Per month'],
  fixedResources: {
    customMetrics: 'Custom metrics (the cost per route)',
    alarmMetrics: 'Alarm metrics',
    dashboards: 'Dashboards',
    secrets: 'Secrets',
    userPools: 'Staff user pool (Cognito)',
    kmsKeys: 'KMS keys',
  },
  /** A line's hover text: the answer's own note (English). */
  fixedNote: (item: FloorItem) => item.note,
  /** The answer's note on where its figures come from (English). */
  sourceNote: (_source: string, note: string) => note,
  fixedIdle: (idle: string) =>
    `Idle: ${idle} a month. What the stack pays serving no request at all: every line above but the custom metrics, at list prices.`,
  fixedIdleInFreeTier: (idle: string) =>
    `In an account of its own: ${idle} a month. The idle floor where CloudWatch's free tier (3 dashboards, 10 alarm metrics) is all this stack's.`,
  byRoute: 'By route',
  noRequests: 'No requests recorded in this period.',
  routeHead: ['Route', 'Requests', 'RRU / req', 'WRU / req', 'ms / req', 'Cost / request', 'Per 1M requests'],
  routeParts: (dynamodb: string, lambda: string, trigger: string) => `DynamoDB ${dynamodb}, Lambda ${lambda}, trigger ${trigger}`,
  billedTitle: 'Billed by AWS (Cost Explorer)',
  billedHead: ['Service', 'Billed'],
  billedSummary: (billed: string, modelled: string, difference: string) =>
    `Billed ${billed}; modelled ${modelled} (the requests plus the fixed floor for these days); difference ${difference}.`,
  billedUnavailable: (reason: string) =>
    `The bill is not available (${reason}). The project and stage cost allocation tags must be active in the Billing console.`,
};

/** One line of the answer's fixed monthly floor (shared/costs/monthly-floor.ts). */
interface FloorItem {
  readonly resource: string;
  readonly count: number;
  readonly note: string;
}

export type ConsoleWords = typeof en;

const fa: ConsoleWords = {
  title: 'پیشخوان باشگاه مشتریان',
  switchTo: 'English',
  switchLabel: 'Show in English',
  loading: 'در حال بارگذاری…',
  tokenPlaceholder: 'توکن API یا کارکنان',
  tokenLabel: 'توکن',
  staffSignIn: 'ورود با حساب کارکنان',
  orPaste: 'یا توکن را وارد کنید',
  tokenHint: 'توکن (چاپ‌شده با npm start یا از STAFF_TOKENS)',
  signIn: 'ورود',
  signOut: 'خروج',
  badToken: 'این توکن معتبر نیست.',
  tabs: { Members: 'اعضا', Deliveries: 'وب‌هوک‌ها', Program: 'برنامه', Reports: 'گزارش‌ها', Costs: 'هزینه‌ها' },
  roles: { viewer: 'بیننده', operator: 'کاربر', admin: 'مدیر' },
  searchPlaceholder: 'نام، ایمیل، تلفن یا شناسهٔ عضو',
  searchLabel: 'جستجو',
  search: 'جستجو',
  noMember: 'عضوی با این نام، ایمیل، تلفن یا شناسه نیست.',
  more: 'بیشتر',
  memberId: 'شناسهٔ عضو',
  email: 'ایمیل',
  phone: 'تلفن',
  tier: 'سطح',
  joined: 'عضویت',
  lastActivity: 'آخرین فعالیت',
  balance: 'مانده',
  lifetime: 'امتیاز کل',
  ledger: 'دفتر امتیاز',
  ledgerHead: (tz: string) => ['زمان', 'نوع', 'امتیاز', 'مانده', 'دلیل / سفارش', 'توسط'].map((c, i) => (i === 0 ? `${c} (${iso(tz)})` : c)),
  types: { earn: 'خرید', bonus: 'هدیه', redeem: 'جایزه', reverse: 'برگشت', expire: 'انقضا', adjust: 'اصلاح' },
  order: (id: string) => `سفارش ${iso(id)}`,
  adjustTitle: 'اصلاح امتیاز',
  pointsLabel: 'امتیاز',
  pointsHint: 'امتیاز (منفی برای کم کردن)',
  reasonLabel: 'دلیل',
  reasonHint: 'دلیل (لازم؛ با نام شما ثبت می‌شود)',
  reasonPlaceholder: 'چرا (عضو ممکن است بپرسد)',
  adjust: 'اصلاح',
  adjusted: (points: string, balance: string) => `${points} امتیاز اصلاح شد؛ مانده ${balance}.`,
  memberPage: 'صفحهٔ عضو',
  makeLink: 'ساخت پیوند صفحهٔ عضو',
  openPage: 'باز کردن صفحهٔ عضو',
  expires: (when: string) => ` (انقضا ${when})`,
  deliveries: 'تحویل‌های وب‌هوک',
  statusLabel: 'وضعیت',
  statuses: { failed: 'ناموفق', replayed: 'دوباره اجراشده', dismissed: 'کنارگذاشته' },
  noDeliveriesRoute: 'این باشگاه هنوز مسیر تحویل‌های وب‌هوک ندارد.',
  deliveriesHead: ['دریافت', 'منبع', 'موضوع', 'سفارش', 'مشتری', 'مبلغ', 'دلیل', 'تلاش‌ها', ''],
  editBody: 'ویرایش متن',
  bodyLabel: 'متن تحویل',
  bodyHint: 'متن فروشگاه به صورت JSON؛ اصلاحش کنید و دوباره اجرا کنید. شناسهٔ سفارش همچنان تعیین می‌کند چه چیزی تازه است.',
  replayBody: 'اجرای دوباره با این متن',
  notJson: (why: string) => `JSON معتبر نیست: ${why}`,
  replayBusy: 'کس دیگری همین حالا این تحویل را دوباره اجرا می‌کند؛ کمی بعد فهرست را دوباره ببینید.',
  noDeliveries: (status: string) => `تحویلی با وضعیت «${status}» نیست.`,
  shopSync: 'کدهای جایزه‌ای که فروشگاه نپذیرفت',
  retry: 'تلاش دوباره',
  replayedAt: (when: string) => `دوباره اجرا شد ${when}`,
  dismissedAt: (when: string, by: string, why: string) => `کنار گذاشته شد ${when} توسط ${iso(by)}: ${iso(why)}`,
  replay: 'اجرای دوباره',
  replayed: (id: string) => `${iso(id)} دوباره اجرا شد.`,
  dismiss: 'کنار گذاشتن',
  dismissed: (id: string) => `${iso(id)} کنار گذاشته شد.`,
  dismissLabel: 'دلیل کنار گذاشتن',
  dismissPlaceholder: 'چرا نیازی به اعمال ندارد',
  confirmDismiss: 'تأیید کنار گذاشتن',
  cancel: 'انصراف',
  programTitle: (v: number) => `برنامه، نسخهٔ ${formatNumber(v, 'fa')}`,
  perUnit: (points: string, unit: string, rounding: string, minimum: string) =>
    `${points} امتیاز برای هر ${unit}، گرد کردن ${iso(rounding)}؛ حداقل خرید ${minimum}`,
  returnWindow: (days: string, tz: string, stacking: string) => `مهلت مرجوعی ${days} روز؛ منطقهٔ زمانی ${iso(tz)}؛ کمپین‌ها ${iso(stacking)}`,
  tiers: (list: string) => `سطح‌ها: ${list}`,
  none: 'هیچ',
  bonuses: (signUp: string, first: string, birthday: string, referral: string) =>
    `هدیه‌ها: عضویت ${signUp}، اولین خرید ${first}، تولد ${birthday}، دعوت ${referral}`,
  catalog: (n: string) => `جایزه‌های فهرست: ${n}`,
  lastSaved: (when: string, by: string) => `آخرین ذخیره ${when} توسط ${iso(by)}`,
  neverSaved: 'هنوز ذخیره نشده (برنامهٔ پیش‌فرض)',
  unknown: 'نامعلوم',
  wholeDocument: 'کل سند',
  editProgram: 'ویرایش برنامه',
  baseTier: 'عضو',
  periods: { '30d': '۳۰ روز گذشته', '90d': '۹۰ روز گذشته', '12m': '۱۲ ماه گذشته', custom: 'از – تا' },
  periodLabel: 'بازه',
  fromLabel: 'از',
  toLabel: 'تا',
  intervalLabel: 'گام',
  by: (interval: string) => `${interval} به ${interval}`,
  intervals: { day: 'روز', week: 'هفته', month: 'ماه' },
  show: 'نمایش',
  noReports: 'گزارش‌ها هنوز در این باشگاه نیست.',
  members: 'اعضا',
  newMembers: (n: string) => `${n} تازه`,
  profilesComplete: 'پروفایل کامل',
  smsConsent: 'پیامک مجاز',
  emailConsent: 'ایمیل مجاز',
  offersConsent: 'پیشنهادها پذیرفته',
  activeMembers: 'اعضای فعال',
  orderedInPeriod: 'در این بازه خرید کرده‌اند',
  orders: 'سفارش‌ها',
  repeatOrders: (n: string) => `${n} تکراری`,
  repeatRate: 'نرخ خرید دوباره',
  repeatBuyers: (n: string) => `${n} خریدار دوباره`,
  issued: 'امتیاز داده‌شده',
  redeemed: 'امتیاز خرج‌شده',
  expired: 'امتیاز منقضی‌شده',
  redemptionRate: 'نرخ استفاده',
  outstanding: 'امتیاز باقی‌مانده',
  pendingN: (n: string) => `${n} در انتظار`,
  liability: 'تعهد',
  atPointValue: (value: string) => `هر امتیاز ${value}`,
  approximate: 'خریداران دوباره در این بازه تقریبی‌اند (docs/reports.md): برای عدد دقیق بازه را از روز اول ماه شروع کنید.',
  roi: 'بازده باشگاه',
  revenue: 'درآمد از اعضا',
  repeatRevenue: 'درآمد خریدهای دوباره',
  fromReturning: 'سفارش اعضای بازگشته',
  rewardsGiven: 'جایزه‌های داده‌شده',
  rewardsHint: 'امتیاز خرج‌شده × ارزش امتیاز',
  perReward: 'درآمد دوباره به ازای هر ۱ جایزه',
  runningCost: 'هزینهٔ اجرا (دلار)',
  costsTab: 'زبانهٔ هزینه‌ها',
  seeDashboard: 'داشبورد CloudWatch را ببینید',
  byInterval: (interval: string) => `${interval} به ${interval}`,
  chartPoints: 'امتیاز',
  chartActive: 'اعضای فعال',
  lineIssued: 'داده‌شده',
  lineRedeemed: 'خرج‌شده',
  lineExpired: 'منقضی‌شده',
  lineActive: 'فعال',
  lineRepeat: 'نرخ خرید دوباره',
  csv: 'CSV',
  summaryCsv: 'دریافت CSV خلاصه',
  seriesCsv: 'دریافت CSV سری',
  costsCsv: 'دریافت CSV هزینه‌ها',
  noCosts: 'گزارش هزینه هنوز در این باشگاه نیست.',
  costTitle: (from: string, to: string) => `هزینهٔ هر درخواست، ${from} – ${to}`,
  prices: (asOf: string, region: string, currency: string) =>
    `قیمت‌های فهرست تا ${asOf} (${iso(region)}، ${iso(currency)}، بی‌تعهد، بدون سهمیهٔ رایگان).`,
  requests: 'درخواست‌ها',
  total: 'جمع',
  per1000Orders: 'به ازای ۱٬۰۰۰ سفارش',
  ordersN: (n: string) => `${n} سفارش`,
  perMemberMonth: 'به ازای هر عضو در ماه',
  membersN: (n: string) => `${n} عضو`,
  per1000Deliveries: 'به ازای ۱٬۰۰۰ تحویل وب‌هوک',
  deliveriesN: (n: string) => `${n} تحویل`,
  byService: 'به تفکیک سرویس',
  serviceHead: ['سرویس', 'هزینه', 'سهم', 'سهم تحویل‌های وب‌هوک'],
  fixedMonthly: 'هزینهٔ ثابت ماهانه',
  fixedHead: ['منبع', 'تعداد', 'قیمت هر واحد', 'در ماه'],
  fixedResources: {
    customMetrics: 'متریک‌های سفارشی (هزینهٔ هر مسیر)',
    alarmMetrics: 'متریک‌های هشدار',
    dashboards: 'داشبوردها',
    secrets: 'رازها (Secrets Manager)',
    userPools: 'مخزن کاربران کارکنان (Cognito)',
    kmsKeys: 'کلیدهای KMS',
  },
  // The answer's notes are English: each line said again in Persian, from what the line holds.
  fixedNote: (item: FloorItem) =>
    ({
      customMetrics:
        'سری‌های متریک هزینه که درخواست‌های این بازه فرستادند (فضای نام LoyaltyClub)؛ به ساعت‌هایی که داده می‌گیرند حساب می‌شوند، پس این بیشترین هزینهٔ آن‌هاست.',
      alarmMetrics:
        'هشدارهای با دقت استاندارد؛ هشدار محاسباتی به ازای هر متریکی که می‌سنجد حساب می‌شود. قیمت فهرست: ۱۰ متریک هشدار نخست هر حساب رایگان است.',
      dashboards:
        item.count > 0
          ? 'داشبورد پشته، به قیمت فهرست: اگر یکی از ۳ داشبورد نخست حساب باشد رایگان است.'
          : 'داشبوردی مستقر نشده است (context dashboard=false، پیش‌فرض prod): گزارش هزینه و هشدارها جای آن را می‌گیرند.',
      secrets: `رازهای پشته: ${iso(item.note)}`,
      userPools: 'ورود کارکنان: هزینه‌ای برای خود مخزن نیست؛ کاربران فعال ماهانه بیش از ۱۰٬۰۰۰ نفر به ازای هر کاربر حساب می‌شوند.',
      kmsKeys: 'هیچ: جدول و صف‌ها کلیدهای مدیریت‌شدهٔ AWS را به کار می‌برند.',
    })[item.resource] ?? item.note,
  sourceNote: (source: string, note: string) =>
    source === 'cloudwatch'
      ? 'خوانده‌شده از متریک‌های هزینه (فضای نام LoyaltyClub در CloudWatch، CostMicroUsd به تفکیک سرویس و مسیر): این متریک‌ها جمع هر فراخوانی را دارند، نه تفکیک آن به سرویس‌ها یا واحدهایش.'
      : note,
  fixedIdle: (idle: string) =>
    `بیکار: ${idle} در ماه. آنچه پشته بدون هیچ درخواستی می‌پردازد: همهٔ سطرهای بالا جز متریک‌های سفارشی، به قیمت فهرست.`,
  fixedIdleInFreeTier: (idle: string) =>
    `در حسابی فقط برای این پشته: ${idle} در ماه. هزینهٔ بیکاری وقتی سهمیهٔ رایگان CloudWatch (۳ داشبورد، ۱۰ متریک هشدار) همه از آنِ این پشته باشد.`,
  byRoute: 'به تفکیک مسیر',
  noRequests: 'در این بازه درخواستی ثبت نشده است.',
  routeHead: ['مسیر', 'درخواست‌ها', 'RRU / درخواست', 'WRU / درخواست', 'میلی‌ثانیه / درخواست', 'هزینهٔ هر درخواست', 'به ازای ۱ میلیون درخواست'],
  routeParts: (dynamodb: string, lambda: string, trigger: string) => `DynamoDB ${dynamodb}، Lambda ${lambda}، فراخوان ${trigger}`,
  billedTitle: 'صورت‌حساب AWS (Cost Explorer)',
  billedHead: ['سرویس', 'صورت‌حساب'],
  billedSummary: (billed: string, modelled: string, difference: string) =>
    `صورت‌حساب ${billed}؛ برآورد ${modelled} (درخواست‌ها به‌علاوهٔ هزینهٔ ثابت این روزها)؛ اختلاف ${difference}.`,
  billedUnavailable: (reason: string) =>
    `صورت‌حساب در دسترس نیست (${reason}). برچسب‌های project و stage باید در کنسول Billing به‌عنوان برچسب تخصیص هزینه فعال باشند.`,
};

const WORDS: Record<Lang, ConsoleWords> = { en, fa };
const LANG_KEY = 'loyalty.consoleLang';

export let lang: Lang = 'en';
export let w: ConsoleWords = en;

/** Sets the console's language: the one given (and remembers it), else the remembered one, else the browser's. */
export function chooseLang(chosen?: Lang): void {
  if (chosen) localStorage.setItem(LANG_KEY, chosen);
  lang = chosen ?? pickLang(localStorage.getItem(LANG_KEY), navigator.languages ?? [navigator.language]);
  w = WORDS[lang];
  document.documentElement.lang = lang;
  document.documentElement.dir = dirOf(lang);
  document.title = w.title;
}

/** What the views format with, from the running program (GET /v1/admin/program). */
export interface ProgramFacts {
  readonly timeZone: string;
  readonly currency: string;
  readonly displayCurrency?: string;
  readonly tiers: readonly { readonly id: string; readonly name: string }[];
  /** The program's challenges, so the ledger names a reward's challenge rather than its id. */
  readonly challenges?: readonly { readonly id: string; readonly name: { readonly fa: string; readonly en: string } }[];
}

let facts: ProgramFacts = { timeZone: 'UTC', currency: 'USD', tiers: [] };
export const setProgramFacts = (p: ProgramFacts) => (facts = p);
export const timeZone = () => facts.timeZone;

export const num = (n: number) => formatNumber(n, lang);
export const signed = (n: number) => formatSigned(n, lang);
export const day = (iso: string) => formatDate(iso, lang, facts.timeZone);
/** A moment in the program's time zone (Jalali in Persian). */
export const when = (iso: string) => formatDateTime(iso, lang, facts.timeZone);
/** An amount in the program's currency, in the unit the store reads (Toman for IRR/IRT), with the unit. */
export const money = (amount: string | number, currency = facts.currency) =>
  formatMoney(String(amount), currency, lang, currency === facts.currency ? displayCurrencyOf(facts) : undefined);
/** The program's name for a tier; the base tier without one has the word list's. */
/** A challenge's names in the running program; undefined once it has left the program. */
export const challengeNames = (id: string) => facts.challenges?.find((c) => c.id === id)?.name;
export const tierName = (id: string) => facts.tiers.find((t) => t.id === id)?.name ?? (id === 'member' ? w.baseTier : id);
