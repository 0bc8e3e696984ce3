import { describe, expect, test } from 'vitest';
import { isPublicAddress } from '../../src/domain/webhooks/addresses.js';
import { retryDelayMs } from '../../src/domain/webhooks/backoff.js';
import { mayReceive } from '../../src/domain/webhooks/events.js';
import { renderPayload } from '../../src/domain/webhooks/payloads.js';
import { isSealed, newWebhookSecret, openSecret, sealSecret } from '../../src/domain/webhooks/secrets.js';

describe('equal-jitter backoff', () => {
  test('gap n lies in [base·2ⁿ⁻¹/2, base·2ⁿ⁻¹], both ends reached', () => {
    for (let n = 1; n <= 8; n++) {
      const ceiling = 5_000 * 2 ** (n - 1);
      expect(retryDelayMs(n, 5_000, () => 0)).toBe(ceiling / 2);
      expect(retryDelayMs(n, 5_000, () => 1)).toBe(ceiling);
      const d = retryDelayMs(n, 5_000);
      expect(d).toBeGreaterThanOrEqual(ceiling / 2);
      expect(d).toBeLessThanOrEqual(ceiling);
    }
  });
});

describe('public addresses', () => {
  test.each([
    ['127.0.0.1', false],
    ['10.0.0.1', false],
    ['172.16.0.1', false],
    ['192.168.1.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['224.0.0.1', false],
    ['255.255.255.255', false],
    ['::1', false],
    ['::', false],
    ['fe80::1', false],
    ['fd00:ec2::254', false],
    ['fc00::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:169.254.169.254', false],
    ['2002:7f00:1::', false],
    ['64:ff9b::7f00:1', false],
    ['not an address', false],
    ['93.184.215.14', true],
    ['8.8.8.8', true],
    ['2606:4700:4700::1111', true],
    ['::ffff:8.8.8.8', true],
  ])('%s → %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });
});

describe('secrets', () => {
  test('sealed under a key, opened with it, refused without it or with another', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const key = 'k'.repeat(32);
    const sealed = sealSecret(secret, key);
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain(secret.slice(6));
    expect(openSecret(sealed, key)).toBe(secret);
    expect(() => openSecret(sealed, null)).toThrow(/WEBHOOK_SECRET_KEY/);
    expect(() => openSecret(sealed, 'x'.repeat(32))).toThrow();
    expect(sealSecret(secret, null)).toBe(secret);
    expect(openSecret(secret, key)).toBe(secret);
  });
});

describe('payloads', () => {
  const settings = {
    site: { publicBaseUrl: 'https://desk.test', orgName: 'Desk', orgUrl: 'https://desk.test' },
    globalId: (type: string, id: string) => `${type}:${id}`,
  };
  test('partners get fact-check events only', () => {
    expect(mayReceive({ role: 'PARTNER', embargoAccess: false }, 'FACT_CHECK_RETRACTED')).toBe(true);
    expect(mayReceive({ role: 'PARTNER', embargoAccess: false }, 'CLAIM_STATUS_CHANGED')).toBe(false);
    expect(mayReceive({ role: 'EDITOR', embargoAccess: false }, 'ASSIGNMENT_CREATED')).toBe(true);
  });
  test('scheduled fact checks: staff, and partners with embargo access only', () => {
    for (const type of ['FACT_CHECK_SCHEDULED', 'FACT_CHECK_SCHEDULE_CANCELLED'] as const) {
      expect(mayReceive({ role: 'PARTNER', embargoAccess: false }, type)).toBe(false);
      expect(mayReceive({ role: 'PARTNER', embargoAccess: true }, type)).toBe(true);
      expect(mayReceive({ role: 'EDITOR', embargoAccess: false }, type)).toBe(true);
    }
    expect(mayReceive({ role: 'PARTNER', embargoAccess: true }, 'CLAIM_STATUS_CHANGED')).toBe(false);
  });
  test('partners may subscribe to the answers to correction requests (the outbox sends them their own only)', () => {
    expect(mayReceive({ role: 'PARTNER', embargoAccess: false }, 'CORRECTION_REQUEST_RESOLVED')).toBe(true);
    expect(mayReceive({ role: 'EDITOR', embargoAccess: false }, 'CORRECTION_REQUEST_RESOLVED')).toBe(true);
  });
  test('a retraction names the fact check and its page, with the claim version', () => {
    const at = new Date('2026-01-02T03:04:05.678Z');
    expect(renderPayload('FACT_CHECK_RETRACTED', { factCheck: { id: 'f1' }, claimVersion: 7 }, at, settings)).toEqual({
      type: 'fact_check.retracted',
      timestamp: '2026-01-02T03:04:05.678Z',
      data: { factCheck: { id: 'FactCheck:f1', url: 'https://desk.test/fact-checks/FactCheck:f1' }, claimVersion: 7 },
    });
  });
  test('an assignment carries global IDs and its due date', () => {
    const body = renderPayload(
      'ASSIGNMENT_CREATED',
      { assignment: { id: 'a', claimId: 'c', reviewerId: 'r', dueAt: null }, claimVersion: 3 },
      new Date(0),
      settings,
    );
    expect(body.data).toEqual({ assignment: { id: 'Assignment:a', claimId: 'Claim:c', reviewerId: 'User:r', dueAt: null }, claimVersion: 3 });
  });
  test("a correction request's answer carries global IDs, the state and the note, never who answered, and no claimVersion", () => {
    const stored = {
      correctionRequest: {
        id: 'r',
        factCheckId: 'f',
        state: 'DECLINED',
        requesterName: 'Example Media',
        resolutionNote: 'The figure is right.',
        resolvedAt: '2026-01-02T03:04:05.678Z',
      },
    };
    expect(renderPayload('CORRECTION_REQUEST_RESOLVED', stored, new Date('2026-01-02T03:04:05.700Z'), settings)).toEqual({
      type: 'correction_request.resolved',
      timestamp: '2026-01-02T03:04:05.700Z',
      data: {
        correctionRequest: {
          id: 'CorrectionRequest:r',
          factCheckId: 'FactCheck:f',
          state: 'DECLINED',
          requesterName: 'Example Media',
          resolutionNote: 'The figure is right.',
          resolvedAt: '2026-01-02T03:04:05.678Z',
        },
      },
    });
  });
});
