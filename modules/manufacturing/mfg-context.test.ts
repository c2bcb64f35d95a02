import { afterEach, expect, it } from 'vitest';
import { advanceClock, clock, resetClock } from '@mosaic/kernel';
import type { RecordsCtx } from '@mosaic/records';
import { todayFor } from './mfg-context.ts';

// The default posting, report and run date of every manufacturing endpoint: tests move the kernel clock, so must it.
const actorIn = (timeZone: string) => ({ guard: { actor: { timeZone } } }) as unknown as RecordsCtx;
afterEach(resetClock);

it('todayFor is the kernel clock\'s date in the actor\'s time zone', () => {
  advanceClock(Date.parse('2031-03-14T17:30:00Z') - clock.now().getTime());
  expect(todayFor(actorIn('Asia/Shanghai'))).toBe('2031-03-15'); // 01:30 the next morning in Shanghai
  expect(todayFor(actorIn('Europe/London'))).toBe('2031-03-14');
});
