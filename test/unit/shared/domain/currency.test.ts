import { describe, expect, it } from 'vitest';
import { builtInRate, defaultPointValue, displayUnitOf } from '../../../../shared/domain/currency';

describe('currencies the club knows without being told', () => {
  it('a Toman is ten rials, both ways', () => {
    expect(builtInRate('IRR', 'IRT')).toBe('10');
    expect(builtInRate('irt', 'irr')).toBe('0.1');
    expect(builtInRate('USD', 'EUR')).toBeUndefined();
  });

  it('a point is worth a cent, or the smallest unit prices are written in where there are no cents', () => {
    expect(defaultPointValue('USD')).toBe('0.01');
    expect(defaultPointValue('EUR')).toBe('0.01');
    expect(defaultPointValue('IRR')).toBe('10');
    expect(defaultPointValue('IRT')).toBe('1');
    expect(defaultPointValue('JPY')).toBe('1');
  });

  it('Rial and Toman stores show Toman; others their own currency; a chosen unit the club cannot convert to is ignored', () => {
    expect(displayUnitOf({ currency: 'IRR' })).toEqual({ displayCurrency: 'IRT', displayRate: '0.1' });
    expect(displayUnitOf({ currency: 'IRT' })).toEqual({ displayCurrency: 'IRT', displayRate: '1' });
    expect(displayUnitOf({ currency: 'IRR', displayCurrency: 'IRR' })).toEqual({ displayCurrency: 'IRR', displayRate: '1' });
    expect(displayUnitOf({ currency: 'IRT', displayCurrency: 'IRR' })).toEqual({ displayCurrency: 'IRR', displayRate: '10' });
    expect(displayUnitOf({ currency: 'USD' })).toEqual({ displayCurrency: 'USD', displayRate: '1' });
    expect(displayUnitOf({ currency: 'USD', displayCurrency: 'EUR' })).toEqual({ displayCurrency: 'USD', displayRate: '1' });
  });
});
