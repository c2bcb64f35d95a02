/**
 * The clock, so that tests can move time (pool recycling after N days, SLA timers,
 * timeouts) without sleeping. Production code asks `clock.now()`, never `new Date()`.
 */
export interface Clock {
  now(): Date;
}

let offsetMs = 0;

export const clock: Clock = {
  now: () => new Date(Date.now() + offsetMs),
};

/** Test helper: move the clock forward (or back) by `ms`. */
export function advanceClock(ms: number): void {
  offsetMs += ms;
}

export function resetClock(): void {
  offsetMs = 0;
}
