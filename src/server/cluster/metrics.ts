/**
 * The primary's side of a cluster's `GET /metrics`: each ready worker's registry (as prom-client's
 * getMetricsAsJSON()), aggregated by prom-client (each metric's `aggregator`, a sum by default).
 *
 * A sum over the workers alone would fall whenever a worker is replaced (its counts go with it, the
 * new one starts at 0), which Prometheus reads as a counter reset: rate() and increase() would
 * spike exactly on a crash. So each worker place (slot) keeps the counters and histograms its
 * worker last answered with; when that worker exits they are added to the slot's carry-over,
 * which every later scrape adds to the slot's new worker. The cluster's sums never fall (the counts
 * of a dead worker since its last scrape are lost). Gauges are never carried: they are the live
 * workers' alone. A worker that does not answer a scrape in time counts with its last answer's
 * counters too, so a slow worker does not make the sums fall either.
 */
import { AggregatorRegistry, type MetricObjectWithValues, type MetricValue } from 'prom-client';

export type MetricsJSON = MetricObjectWithValues<MetricValue<string>>[];
type Series = MetricValue<string> & { metricName?: string };

/** What is carried over: counts that only grow, and that the cluster sums. */
const carried = (metric: MetricsJSON[number]) =>
  ['counter', 'histogram'].includes(String(metric.type)) && ((metric as { aggregator?: string }).aggregator ?? 'sum') === 'sum';

/** The counters and histograms of `snapshots`, each series summed across them. */
export function sumCounters(snapshots: readonly MetricsJSON[]): MetricsJSON {
  const metrics = new Map<string, { metric: MetricsJSON[number]; series: Map<string, Series> }>();
  for (const snapshot of snapshots) {
    for (const metric of snapshot) {
      if (!carried(metric)) continue;
      let entry = metrics.get(metric.name);
      if (!entry) metrics.set(metric.name, (entry = { metric, series: new Map() }));
      for (const value of metric.values as Series[]) {
        const key = `${value.metricName ?? ''}${JSON.stringify(value.labels)}`;
        const had = entry.series.get(key);
        entry.series.set(key, had ? { ...had, value: had.value + value.value } : { ...value });
      }
    }
  }
  return [...metrics.values()].map(({ metric, series }) => ({ ...metric, values: [...series.values()] }));
}

export class ClusterMetrics {
  /** Per slot, what its current worker last answered. */
  private readonly last = new Map<number, MetricsJSON>();
  /** Per slot, the counters and histograms of its workers that exited. */
  private readonly carry = new Map<number, MetricsJSON>();

  /** The worker in `slot` exited: its last counts carry over to the slot's next workers. */
  retire(slot: number) {
    const last = this.last.get(slot);
    this.last.delete(slot);
    if (last) this.carry.set(slot, sumCounters([this.carry.get(slot) ?? [], last]));
  }

  /**
   * Prometheus' text for the cluster: `answers[slot]` is the slot's worker's registry, or null (none
   * ready, or it did not answer in time: then its last counts); `extra` are metrics of the primary's own.
   */
  aggregate(answers: readonly (MetricsJSON | null)[], extra: MetricsJSON = []): Promise<string> {
    const parts: MetricsJSON[] = [extra];
    answers.forEach((answer, slot) => {
      if (answer) this.last.set(slot, answer);
      const carry = this.carry.get(slot);
      if (carry) parts.push(carry);
      const counts = answer ?? (this.last.has(slot) ? sumCounters([this.last.get(slot)!]) : null);
      if (counts) parts.push(counts);
    });
    return AggregatorRegistry.aggregate(parts).metrics();
  }
}
