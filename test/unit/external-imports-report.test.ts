/** A feed's stored report as fetchExternalSource answers it (src/domain/external-imports/report.ts). */
import { describe, expect, test } from 'vitest';
import { storedReport } from '../../src/domain/external-imports/report.js';

describe('storedReport', () => {
  test('a report stored before skippedCount existed listed every skip: they are its count', () => {
    const skipped = [{ index: 3, reviewUrl: null, reason: 'no url' }];
    expect(storedReport({ created: 1, updated: 0, unchanged: 2, skipped })).toEqual({ created: 1, updated: 0, unchanged: 2, skipped, skippedCount: 1 });
  });

  test('a bounded one keeps its count; no report is null', () => {
    const report = { created: 0, updated: 0, unchanged: 0, skipped: [{ index: 0, reviewUrl: null, reason: 'no url' }], skippedCount: 150 };
    expect(storedReport(report)).toEqual(report);
    expect(storedReport(null)).toBeNull();
  });
});
