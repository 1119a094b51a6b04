import { describe, expect, it } from 'vitest';
import { reasonWords } from '../../../../web/common/reasons';

describe("a challenge's reward in the page's words", () => {
  it("names the challenge in the page's language; the staff ledger its id; one gone since neither", () => {
    const name = { fa: 'سه خرید', en: 'Three orders' };
    const words = (reasonKind: string, reasonParams: Record<string, unknown>, lang: 'fa' | 'en') =>
      reasonWords({ reasonKind, reasonParams }, lang)?.replace(/[\u2068\u2069]/g, '');
    expect(words('challenge-completed', { name }, 'en')).toBe('Challenge completed: Three orders');
    expect(words('challenge-completed', { name }, 'fa')).toBe('چالش «سه خرید» انجام شد');
    expect(words('challenge-taken-back', { name }, 'en')).toBe('Challenge reward for Three orders taken back (an order was refunded)');
    expect(words('challenge-taken-back', { name }, 'fa')).toBe('جایزهٔ چالش «سه خرید» پس گرفته شد (سفارش مرجوع شد)');
    expect(words('challenge-completed', { challengeId: 'three' }, 'en')).toBe('Challenge completed: three');
    expect(words('challenge-completed', { name: null }, 'en')).toBe('Challenge completed');
    expect(words('challenge-taken-back', { name: null }, 'fa')).toBe('جایزهٔ چالش پس گرفته شد (سفارش مرجوع شد)');
  });
});
