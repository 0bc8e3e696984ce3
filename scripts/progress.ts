/**
 * Progress of a long command (db:backup, db:restore): a bar with the amount done, the rate and the
 * time left on a terminal (cli-progress), plain lines now and then otherwise (CI, logs).
 */
import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number): void;
  stop(): void;
}

const mb = (bytes: number) => (bytes / 1048576).toFixed(1);

export function byteProgress(label: string, total: number | null, stream: NodeJS.WriteStream = process.stderr): Progress {
  const started = Date.now();
  const rate = (done: number) => `${mb(done / Math.max((Date.now() - started) / 1000, 0.001))} MB/s`;
  if (stream.isTTY && total) {
    const bar = new cliProgress.SingleBar(
      { format: `${label} [{bar}] {percentage}% | {doneMB}/{totalMB} MB | {rate} | {eta_formatted} left`, stream, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { doneMB: '0.0', totalMB: mb(total), rate: '' });
    return {
      update: (done) => bar.update(done, { doneMB: mb(done), rate: rate(done) }),
      stop: () => bar.stop(),
    };
  }
  let lastLine = 0;
  let last = 0;
  const line = (done: number) => stream.write(`${label}: ${mb(done)}${total ? `/${mb(total)}` : ''} MB, ${rate(done)}\n`);
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

/** Rows done of `total`: the same bar, counted in rows. */
export function rowProgress(label: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  const started = Date.now();
  const rate = (done: number) => `${Math.round(done / Math.max((Date.now() - started) / 1000, 0.001))} rows/s`;
  if (stream.isTTY && total) {
    const bar = new cliProgress.SingleBar(
      { format: `${label} [{bar}] {percentage}% | {value}/{total} rows | {rate} | {eta_formatted} left`, stream, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { rate: '' });
    return { update: (done) => bar.update(done, { rate: rate(done) }), stop: () => bar.stop() };
  }
  let lastLine = 0;
  let last = 0;
  const line = (done: number) => stream.write(`${label}: ${done}/${total} rows, ${rate(done)}\n`);
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
