import type { Config } from '../config.js';
import type { ClaimReviewSettings } from '../domain/fact-checks/schema-org-claim-review.js';
import type { DispatchSettings } from '../domain/webhooks/dispatch.js';
import type { WebhookPolicy } from '../domain/webhooks/endpoints.js';
import { toGlobalId } from '../domain/global-ids.js';

export type WebhookConfig = Pick<Config, 'NODE_ENV'> &
  Partial<
    Pick<
      Config,
      'WEBHOOK_TIMEOUT_MS' | 'WEBHOOK_RETRY_BASE_MS' | 'WEBHOOK_MAX_ATTEMPTS' | 'WEBHOOK_DISABLE_AFTER' | 'WEBHOOK_SECRET_KEY' | 'WEBHOOK_ALLOW_PRIVATE_URLS'
    >
  >;

/** Private addresses are refused in production only, unless WEBHOOK_ALLOW_PRIVATE_URLS=true (tests, closed networks). */
export function webhookPolicy(config: WebhookConfig): WebhookPolicy {
  return { allowPrivateUrls: config.NODE_ENV !== 'production' || config.WEBHOOK_ALLOW_PRIVATE_URLS === true, secretKey: config.WEBHOOK_SECRET_KEY ?? null };
}

export function dispatchSettings(config: WebhookConfig, site: ClaimReviewSettings): DispatchSettings {
  return {
    ...webhookPolicy(config),
    timeoutMs: config.WEBHOOK_TIMEOUT_MS ?? 10_000,
    retryBaseMs: config.WEBHOOK_RETRY_BASE_MS ?? 5_000,
    maxAttempts: config.WEBHOOK_MAX_ATTEMPTS ?? 8,
    disableAfter: config.WEBHOOK_DISABLE_AFTER ?? 5,
    payload: { site, globalId: toGlobalId },
  };
}
