// Credit and bonus arithmetic in exact integers (DOMAIN.md §8): percentages are
// held as basis points (1 % = 100), amounts as cents, products as BigInt, so
// invoice × at-risk % × allocation % is rounded once, to the cent, half up.
// Worked example of §8: invoice 200,000 €, 10 % at risk = 20,000 €; SL (40 %) and
// abandon rate (20 %) missed → 20,000 × 60 % = 12,000 €.

const BP_PER_PERCENT = 100;

/** Percent with at most two decimals → basis points; undefined if it has more. */
export function toBasisPoints(percent: number): number | undefined {
  const bp = Math.round(percent * BP_PER_PERCENT);
  return Math.abs(bp - percent * BP_PER_PERCENT) < 1e-6 ? bp : undefined;
}

export function basisPointsToPercent(bp: number): number {
  return bp / BP_PER_PERCENT;
}

/** Round-half-up division of non-negative BigInts. */
function divideRounded(numerator: bigint, denominator: bigint): bigint {
  return (numerator * 2n + denominator) / (denominator * 2n);
}

/** invoice × at risk × allocation, in cents (invoice cents, the two percentages in basis points). */
export function shareOfInvoiceCents(invoiceCents: number, ...basisPoints: number[]): number {
  let numerator = BigInt(invoiceCents);
  let denominator = 1n;
  for (const bp of basisPoints) {
    numerator *= BigInt(bp);
    denominator *= 10_000n;
  }
  return Number(divideRounded(numerator, denominator));
}

/**
 * Splits the credit of several missed metrics so that the parts add up to the
 * total rounded once (largest remainder): 100 % at risk, 3 metrics of 33.33 % on 1.00 € give
 * 33 + 33 + 33 = 99 cents of a 99.99-cent share, rounded to 100 in total → 34 + 33 + 33.
 */
export function splitCreditCents(
  invoiceCents: number,
  atRiskBp: number,
  allocationsBp: readonly number[],
): number[] {
  const denominator = 100_000_000n; // two percentages in basis points
  const exact = allocationsBp.map((bp) => BigInt(invoiceCents) * BigInt(atRiskBp) * BigInt(bp));
  const total = divideRounded(
    exact.reduce((a, b) => a + b, 0n),
    denominator,
  );
  const parts = exact.map((n) => n / denominator);
  let remaining = total - parts.reduce((a, b) => a + b, 0n);
  const order = exact
    .map((n, i) => ({ i, remainder: n % denominator }))
    .sort((a, b) => (a.remainder > b.remainder ? -1 : a.remainder < b.remainder ? 1 : a.i - b.i));
  for (const { i } of order) {
    if (remaining <= 0n) break;
    parts[i]! += 1n;
    remaining -= 1n;
  }
  return parts.map(Number);
}
