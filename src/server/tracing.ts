/**
 * OpenTelemetry traces, off unless an OTLP endpoint is configured (OTEL_EXPORTER_OTLP_ENDPOINT or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT). Off, the SDK is never loaded and nothing is installed: no
 * middleware, no plugin, no statement observer. On, the SDK's NodeSDK reads every other standard
 * OTEL_* variable itself (service name, resource attributes, sampler, protocol, headers, batch
 * delays, propagators, OTEL_SDK_DISABLED), so our settings are exactly the specification's.
 *
 * No auto-instrumentation: instrumentation-http patches `http` through a require hook, which our
 * ESM build would have to load with `--import` before anything else, and the spans we want sit
 * where we already observe (src/server/tracing-spans.ts).
 */
import { trace, type Tracer } from '@opentelemetry/api';

export interface Tracing {
  tracer: Tracer;
  /** Exports the spans still buffered, then stops the SDK (SIGTERM). */
  shutdown(): Promise<void>;
}

type Env = Record<string, string | undefined>;

const isSet = (value: string | undefined) => Boolean(value?.trim());

/** Whether the environment asks for traces: an OTLP endpoint, and the SDK not disabled. */
export function tracingRequested(env: Env = process.env): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  // As the SDK reads it: "none" alone turns traces off; beside another exporter it is ignored.
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (exporters.length && exporters.every((name) => name === 'none')) return false;
  return isSet(env.OTEL_EXPORTER_OTLP_ENDPOINT) || isSet(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/** Starts the SDK when the environment asks for traces; null (and nothing loaded) otherwise. */
export async function startTracing(env: Env = process.env): Promise<Tracing | null> {
  if (!tracingRequested(env)) return null;
  const { NodeSDK } = await import('@opentelemetry/sdk-node');
  const named = isSet(env.OTEL_SERVICE_NAME) || /(^|,)\s*service\.name\s*=/.test(env.OTEL_RESOURCE_ATTRIBUTES ?? '');
  const sdk = new NodeSDK({
    ...(named ? {} : { serviceName: 'factcheck-api' }),
    // Traces only: metrics stay on /metrics (prom-client), and our logs go to stdout.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [],
  });
  sdk.start();
  return { tracer: trace.getTracer('factcheck-api'), shutdown: () => sdk.shutdown() };
}
