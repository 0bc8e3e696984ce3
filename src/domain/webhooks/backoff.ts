/**
 * The wait before retry n (n = 1 after the first failed attempt): "equal jitter", drawn uniformly
 * from [base·2ⁿ⁻¹/2, base·2ⁿ⁻¹], so gaps grow exponentially and retries of many deliveries spread out.
 */
export function retryDelayMs(failedAttempts: number, baseMs: number, random: () => number = Math.random): number {
  const ceiling = baseMs * 2 ** (failedAttempts - 1);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
