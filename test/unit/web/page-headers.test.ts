import { describe, expect, it } from 'vitest';
import { readAccessConfig } from '../../../shared/config';
import { pageHeaders } from '../../../web/pages';

const frameAncestorsOf = (csp: string | undefined) => /frame-ancestors ([^;]+)/.exec(csp ?? '')?.[1];

describe('who may frame the pages', () => {
  it("nobody by default: frame-ancestors 'none' and X-Frame-Options DENY, on the member page and the console", () => {
    for (const path of ['/club', '/club/club.js', '/admin']) {
      const headers = pageHeaders(path, []);
      expect(frameAncestorsOf(headers['content-security-policy'])).toBe("'none'");
      expect(headers['x-frame-options']).toBe('DENY');
    }
  });

  it("the shop's configured origins may frame the member page, never the console", () => {
    const origins = readAccessConfig({ PORTAL_FRAME_ANCESTORS: 'https://shop.example, https://*.myshopify.com' }).frameAncestors;
    expect(origins).toEqual(['https://shop.example', 'https://*.myshopify.com']);
    const club = pageHeaders('/club', origins);
    expect(frameAncestorsOf(club['content-security-policy'])).toBe('https://shop.example https://*.myshopify.com');
    // X-Frame-Options can name no origin: sent, it would forbid what the CSP allows.
    expect(club['x-frame-options']).toBeUndefined();
    const admin = pageHeaders('/admin', origins);
    expect(frameAncestorsOf(admin['content-security-policy'])).toBe("'none'");
    expect(admin['x-frame-options']).toBe('DENY');
  });

  it('refuses a setting that is not a list of origins, naming the variable', () => {
    expect(() => readAccessConfig({ PORTAL_FRAME_ANCESTORS: 'shop.example' })).toThrow(/PORTAL_FRAME_ANCESTORS/);
    expect(() => readAccessConfig({ PORTAL_FRAME_ANCESTORS: "https://shop.example 'self'" })).toThrow(/PORTAL_FRAME_ANCESTORS/);
    expect(() => readAccessConfig({ PORTAL_FRAME_ANCESTORS: 'https://shop.example/path' })).toThrow(/PORTAL_FRAME_ANCESTORS/);
    expect(readAccessConfig({}).frameAncestors).toEqual([]);
  });
});
