/**
 * Fixed-size bitsets over member indices (one bit per synthetic member). Audience evaluation is ORs and ANDs of
 * these, which is what keeps an insights query over ~200k members in the low milliseconds.
 */

export type Bitset = Uint32Array;

export const createBitset = (size: number): Bitset => new Uint32Array((size + 31) >>> 5);

export const setBit = (b: Bitset, i: number): void => {
  b[i >>> 5]! |= 1 << (i & 31);
};

export function orInto(target: Bitset, source: Bitset): void {
  for (let w = 0; w < target.length; w++) target[w]! |= source[w]!;
}

export function andInto(target: Bitset, source: Bitset): void {
  for (let w = 0; w < target.length; w++) target[w]! &= source[w]!;
}

export function andNotInto(target: Bitset, source: Bitset): void {
  for (let w = 0; w < target.length; w++) target[w]! &= ~source[w]!;
}

/** Sum of `weights[i]` over the set bits. */
export function weightedCount(b: Bitset, weights: ArrayLike<number>): number {
  let total = 0;
  for (let w = 0; w < b.length; w++) {
    let bits = b[w]!;
    while (bits !== 0) {
      const low = bits & -bits;
      total += weights[(w << 5) + 31 - Math.clz32(low)]!;
      bits ^= low;
    }
  }
  return total;
}
