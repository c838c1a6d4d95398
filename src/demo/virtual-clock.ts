/** A clock the demo moves by hand: the engine, gates and fleet all read it. */
export interface VirtualClock {
  now(): Date;
  advance(ms: number): void;
}

export function virtualClock(start: Date): VirtualClock {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    advance: (ms) => {
      current += Math.max(0, Math.round(ms));
    },
  };
}
