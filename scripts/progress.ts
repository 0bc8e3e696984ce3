/**
 * Progress of a long command (db:backup, db:move): a bar with the amount done, the rate and the
 * time left on a terminal (cli-progress), plain lines now and then otherwise (CI, logs).
 */
import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number): void;
  stop(): void;
}

interface Unit {
  /** An amount, as shown: "12.3 MB", "4200 rows". */
  show(amount: number): string;
  /** A rate per second, as shown. */
  rate(perSecond: number): string;
}

const mb = (bytes: number) => (bytes / 1048576).toFixed(1);
const BYTES: Unit = { show: (n) => `${mb(n)} MB`, rate: (n) => `${mb(n)} MB/s` };
const ROWS: Unit = { show: (n) => `${n} rows`, rate: (n) => `${Math.round(n)} rows/s` };

function progress(label: string, total: number | null, unit: Unit, stream: NodeJS.WriteStream): Progress {
  const started = Date.now();
  const rate = (done: number) => unit.rate(done / Math.max((Date.now() - started) / 1000, 0.001));
  if (stream.isTTY && total) {
    const bar = new cliProgress.SingleBar(
      { format: `${label} [{bar}] {percentage}% | {done} of {all} | {rate} | {eta_formatted} left`, stream, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { done: unit.show(0), all: unit.show(total), rate: '' });
    return { update: (done) => bar.update(done, { done: unit.show(done), rate: rate(done) }), stop: () => bar.stop() };
  }
  let lastLine = 0;
  let last = 0;
  const line = (done: number) => stream.write(`${label}: ${unit.show(done)}${total ? ` of ${unit.show(total)}` : ''}, ${rate(done)}\n`);
  return {
    update(done) {
      last = done;
      if (Date.now() - lastLine < 2_000) return;
      lastLine = Date.now();
      line(done);
    },
    stop: () => line(last),
  };
}

export const byteProgress = (label: string, total: number | null, stream: NodeJS.WriteStream = process.stderr) => progress(label, total, BYTES, stream);
export const rowProgress = (label: string, total: number, stream: NodeJS.WriteStream = process.stderr) => progress(label, total, ROWS, stream);
