/** Park–Miller, so that a failure can be replayed from its seed. */
export function random(seed: number): Random {
  let state = seed;
  return () => {
    state = (state * 48271) % 2147483647;
    return state / 2147483647;
  };
}

export type Random = () => number;

export function pick<T>(next: Random, list: readonly T[]): T {
  return list[Math.floor(next() * list.length)];
}
