/**
 * GET /metrics as a scraper sees it: Prometheus' text format parsed into samples, and one sample's
 * value (undefined when the metric has no such sample: absent is not 0).
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The sample lines of Prometheus' text format (comments and blank lines skipped). */
export function parsePrometheus(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[key!] = value!.replace(/\\(.)/g, '$1');
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

export interface Scrape {
  text: string;
  samples: Sample[];
  /** The value of the one sample of `name` whose labels include `labels`; undefined when there is none (throws when several match). */
  value(name: string, labels?: Record<string, string>): number | undefined;
  /** Whether the exposition declares `name` (its # TYPE line), with samples or none. */
  declares(name: string): boolean;
}

/** `GET <base>/metrics`, which must answer 200 in Prometheus' text format. */
export async function scrapeMetrics(base: string, token?: string): Promise<Scrape> {
  const response = await fetch(`${base}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET ${base}/metrics answered ${response.status}: ${text}`);
  const type = response.headers.get('content-type') ?? '';
  if (!/^text\/plain; version=0\.0\.4/.test(type)) throw new Error(`GET ${base}/metrics answered ${type}, not Prometheus' text format`);
  const samples = parsePrometheus(text);
  return {
    text,
    samples,
    value(name, labels = {}) {
      const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
      if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
      return found[0]?.value;
    },
    declares: (name) => text.split('\n').some((line) => line.startsWith(`# TYPE ${name} `)),
  };
}
