import { describe, expect, it } from 'vitest';
import { defaultConcurrency } from '../../../cli/import-members';

describe('requests in flight by default', () => {
  it('sends one batch at a time to a club on this machine (DynamoDB Local does one at a time, faster alone)', () => {
    expect(defaultConcurrency('http://127.0.0.1:3917', true)).toBe(1);
    expect(defaultConcurrency('http://localhost:3000/', true)).toBe(1);
    expect(defaultConcurrency('http://[::1]:3000', true)).toBe(1);
  });

  it('keeps 3 batches in flight to a deployed club, and 8 rows one by one to a club without the bulk route', () => {
    expect(defaultConcurrency('https://abc123.execute-api.eu-west-1.amazonaws.com', true)).toBe(3);
    expect(defaultConcurrency('https://club.example.com', true)).toBe(3);
    expect(defaultConcurrency('http://127.0.0.1:3917', false)).toBe(8);
    expect(defaultConcurrency('https://club.example.com', false)).toBe(8);
  });
});
