// The numbers the benches report: percentiles, medians, rounding. No package and no side effect, so
// that every script may import it, those that need none of bench/'s own packages included (load.mjs
// needs autocannon).

/** A sorted copy (ascending) of `values`. */
export const ascending = (values) => [...values].sort((a, b) => a - b);

/**
 * The nearest-rank percentile of `sorted` (ascending), p from 0 to 100: the smallest value with at
 * least p % of them at or below it (p50 of 400 values: the 200th). NaN when there are none.
 */
export const percentile = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);

/**
 * The value at index ⌊p × n / 100⌋ of `sorted` (ascending): `percentile`'s but one rank higher where
 * p × n / 100 is whole (p50 of 400 values: the 201st). How the A/B scripts (ab-publish, ab-writes,
 * publish-cost) and the webhook latency (lib/webhook-latency.mjs) have always counted, kept so that
 * their figures compare with earlier runs'. NaN when there are none.
 */
export const percentileFloor = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN);

/** The middle value of `values` (any order), or the mean of the two middle ones; NaN when there are none. */
export function median(values) {
  const sorted = ascending(values);
  const h = sorted.length / 2;
  return sorted.length % 2 ? sorted[Math.floor(h)] : (sorted[h - 1] + sorted[h]) / 2;
}

/** `x` rounded to `d` decimals, for a report; null for what is not a finite number (no sample: null in the JSON, as NaN would be). */
export const round = (x, d = 1) => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : null);
