import { describe, expect, it } from 'vitest';
import { ACCOUNT_LIMIT, ADDRESS_LIMIT, throttleKeys, waitSeconds, WINDOW_MS } from './login-throttle.rules.ts';

const now = new Date('2026-11-24T09:00:00Z');
const ago = (s: number) => new Date(now.getTime() - s * 1000);

describe('login throttling', () => {
  it('lets the first failures through, then doubles the wait up to a minute', () => {
    expect(waitSeconds(undefined, ACCOUNT_LIMIT, now)).toBe(0);
    expect(waitSeconds({ failures: 4, firstAt: ago(10), lastAt: ago(0) }, ACCOUNT_LIMIT, now)).toBe(0);
    expect(waitSeconds({ failures: 5, firstAt: ago(10), lastAt: ago(0) }, ACCOUNT_LIMIT, now)).toBe(1);
    expect(waitSeconds({ failures: 8, firstAt: ago(10), lastAt: ago(0) }, ACCOUNT_LIMIT, now)).toBe(8);
    expect(waitSeconds({ failures: 8, firstAt: ago(10), lastAt: ago(5) }, ACCOUNT_LIMIT, now)).toBe(3);
    expect(waitSeconds({ failures: 30, firstAt: ago(900), lastAt: ago(0) }, ACCOUNT_LIMIT, now)).toBe(60);
    expect(waitSeconds({ failures: 30, firstAt: ago(900), lastAt: ago(61) }, ACCOUNT_LIMIT, now)).toBe(0);
  });

  it('stops at 100 failures an hour per account until the oldest leaves the window; never for good', () => {
    expect(waitSeconds({ failures: 100, firstAt: ago(3000), lastAt: ago(120) }, ACCOUNT_LIMIT, now)).toBe(600);
    expect(waitSeconds({ failures: 100, firstAt: new Date(now.getTime() - WINDOW_MS + 1), lastAt: ago(120) }, ACCOUNT_LIMIT, now)).toBe(1);
  });

  it('with the delays, an account cannot see more than 100 failures in any hour', () => {
    let t = 0;
    let failures = 0;
    const times: number[] = [];
    while (t < WINDOW_MS) {
      const recent = times.filter((x) => x > t - WINDOW_MS);
      const wait = waitSeconds({ failures: recent.length, firstAt: recent.length ? new Date(recent[0]) : null, lastAt: recent.length ? new Date(recent[recent.length - 1]) : null }, ACCOUNT_LIMIT, new Date(t));
      t += wait * 1000 || 100; // an attacker retrying as soon as allowed
      if (!wait) {
        times.push(t);
        failures++;
      }
    }
    expect(failures).toBeLessThanOrEqual(100);
    expect(failures).toBeGreaterThan(20);
  });

  it('is more generous per address (an office behind one NAT)', () => {
    expect(waitSeconds({ failures: 19, firstAt: ago(10), lastAt: ago(0) }, ADDRESS_LIMIT, now)).toBe(0);
    expect(waitSeconds({ failures: 21, firstAt: ago(10), lastAt: ago(0) }, ADDRESS_LIMIT, now)).toBe(2);
  });

  it('counts an account case-insensitively', () => {
    expect(throttleKeys(' Zhang@Example.CN ', '10.0.0.1')).toEqual({ email: 'zhang@example.cn', account: 'acct:zhang@example.cn', address: 'addr:10.0.0.1', pair: 'pair:zhang@example.cn|10.0.0.1' });
  });
});
