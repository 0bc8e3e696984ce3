/**
 * A scheduled fact check is invisible on every public read until its release, and visible on them
 * after it (docs/design.md, "Scheduled publication"). The reads walked are those the feature
 * registry declares (src/domain/features.ts): every partner-read Query field, node(id), and every
 * public HTTP route. A read the registry gains without a walk here fails the first test: a new
 * read must say what it shows of a scheduled fact check.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FEATURE_ROUTES, PARTNER_READ_FIELDS } from '../../src/domain/features.js';
import { ok, type TestApp } from '../support/app.js';
import { startDeskApp, type Desk } from '../support/factories.js';
import { inSeconds, S, schedule, type Scheduled } from '../support/scheduling/scheduling.js';
import { reviewedClaim } from '../support/webhooks.js';
import { mutate } from '../support/workflow.js';

let app: TestApp;
let desk: Desk;
let claimId: string;
let claimantId: string;
let topicId: string;
let scheduled: Scheduled;
const MARKER = 'Quuxvillian';
const APPEARANCE = 'https://social.example/quuxville/post/7';

interface Read {
  /** Whether the read lists or shows a published fact check like this one (after the release it must). */
  shows: boolean;
  read: () => Promise<string>;
}

const gql = async (query: string, variables: Record<string, unknown> = {}) => JSON.stringify(ok(await app.gql(query, variables, desk.partner.token)));
const http = async (path: string) => {
  const response = await fetch(`${app.url}${path}`, { headers: { authorization: `Bearer ${desk.partner.token}` } });
  return `${response.status} ${await response.text()}`;
};
const FACT_CHECK_NODES = '{ totalCount edges { node { id summary url } } }';

/** One walk for each partner read (Query fields of PARTNER_READ_FIELDS) and node(id). */
const GRAPHQL_READS: Record<string, Read> = {
  factCheck: { shows: true, read: () => gql('query($id: ID!) { factCheck(id: $id) { id summary } }', { id: scheduled.factCheck.id }) },
  factChecks: {
    shows: true,
    // The list, search, the link lookup (appearanceUrl) and the speaker's and topic's filters.
    read: async () =>
      [
        await gql(`{ factChecks(first: 100) ${FACT_CHECK_NODES} }`),
        await gql(`query($s: String!) { factChecks(filter: { search: $s }) ${FACT_CHECK_NODES} }`, { s: MARKER }),
        await gql(`query($u: URL!) { factChecks(filter: { appearanceUrl: $u }) ${FACT_CHECK_NODES} }`, { u: APPEARANCE }),
        await gql(`query($c: ID!, $t: [ID!]) { factChecks(filter: { speakerId: $c, topicIds: $t }) ${FACT_CHECK_NODES} }`, { c: claimantId, t: [topicId] }),
      ].join('\n'),
  },
  factCheckChanges: { shows: true, read: () => gql('{ factCheckChanges(first: 100) { edges { node { type factCheckId factCheck { id summary } } } } }') },
  claimant: {
    shows: true,
    read: () => gql(`query($id: ID!) { claimant(id: $id) { id name url factChecks(first: 100) ${FACT_CHECK_NODES} } }`, { id: claimantId }),
  },
  claimants: { shows: false, read: () => gql('{ claimants(first: 100) { edges { node { id name url } } } }') },
  topics: { shows: true, read: () => gql(`{ topics(first: 10) { edges { node { id name factChecks(first: 20) ${FACT_CHECK_NODES} } } } }`) },
  organization: { shows: false, read: () => gql('{ organization { name url } }') },
  corrections: { shows: false, read: () => gql('{ corrections(first: 100) { edges { node { claimReviewed factCheckUrl factCheck { id } } } } }') },
  node: { shows: true, read: () => gql('query($id: ID!) { node(id: $id) { id ... on FactCheck { summary } } }', { id: scheduled.factCheck.id }) },
  // Other publishers' fact checks only: never one of ours, scheduled or not.
  externalFactChecks: {
    shows: false,
    read: async () =>
      [
        await gql('query($s: String!) { externalFactChecks(filter: { search: $s }) { edges { node { id reviewUrl claimReviewed } } } }', { s: MARKER }),
        await gql('query($u: URL!) { externalFactChecks(filter: { appearanceUrl: $u }) { edges { node { id reviewUrl claimReviewed } } } }', { u: APPEARANCE }),
      ].join('\n'),
  },
};

/** One walk for each public HTTP route (FEATURE_ROUTES, by pattern). */
const ROUTE_READS: Record<string, Read> = {
  '/fact-checks/:id': { shows: true, read: () => http(`/fact-checks/${scheduled.factCheck.id}`) },
  '/fact-checks/:id.jsonld': { shows: true, read: () => http(`/fact-checks/${scheduled.factCheck.id}.jsonld`) },
  '/v1alpha1/claims:search': {
    shows: true,
    read: async () =>
      [
        await http(`/v1alpha1/claims:search?query=${MARKER}`),
        await http(`/v1alpha1/claims:search?query=${MARKER}&includeExternal=true`),
        await http(`/v1alpha1/claims:search?url=${encodeURIComponent(APPEARANCE)}`),
      ].join('\n'),
  },
  '/claimants/:id': { shows: true, read: () => http(`/claimants/${claimantId}`) },
  '/claimants/:id.jsonld': { shows: false, read: () => http(`/claimants/${claimantId}.jsonld`) },
  '/corrections': { shows: false, read: () => http('/corrections') },
  '/corrections.atom': { shows: false, read: () => http('/corrections.atom') },
  '/exports/:table.csv': { shows: true, read: () => http('/exports/fact-checks.csv') },
  // A write (POST) that reads nothing back but its report; a GET is refused.
  '/imports/claim-reviews': { shows: false, read: () => http('/imports/claim-reviews') },
};

const READS = { ...GRAPHQL_READS, ...ROUTE_READS };

/** What would give the scheduled fact check away: its ID (also in its URL) or the words only it carries. */
const revealed = (text: string) => [scheduled.factCheck.id, MARKER].filter((needle) => text.includes(needle));

beforeAll(async () => {
  ({ app, desk } = await startDeskApp({}, { releasePollMs: 100 }));
  claimId = await reviewedClaim(app, desk);
  claimantId = ok(
    await app.gql(
      'mutation($i: CreateClaimantInput!) { createClaimant(input: $i) { claimant { id } } }',
      { i: { name: 'Quinn Quux', kind: 'PERSON' } },
      desk.editor.token,
    ),
  ).createClaimant.claimant.id;
  topicId = ok(
    await app.gql('mutation($i: CreateTopicInput!) { createTopic(input: $i) { topic { id } } }', { i: { name: 'Aid deliveries' } }, desk.editor.token),
  ).createTopic.topic.id;
  ok(await mutate(app, desk.editor.token, 'update', { claimId, statement: `${MARKER} depots were hijacked routinely.`, speakerId: claimantId }));
  ok(
    await app.gql(
      'mutation($i: SetClaimTopicsInput!) { setClaimTopics(input: $i) { claim { id } } }',
      { i: { claimId, topicIds: [topicId] } },
      desk.editor.token,
    ),
  );
  ok(
    await app.gql(
      'mutation($i: AddClaimAppearanceInput!) { addClaimAppearance(input: $i) { claim { id } } }',
      { i: { claimId, url: APPEARANCE } },
      desk.editor.token,
    ),
  );
  // A published fact check beside it, so that every list has something in it.
  const other = await reviewedClaim(app, desk);
  ok(await mutate(app, desk.editor.token, 'update', { claimId: other, speakerId: claimantId }));
  ok(await mutate(app, desk.editor.token, 'publish', { claimId: other, rating: 'FALSE', summary: 'Published beside it.' }));
  scheduled = await schedule(app, desk, claimId, inSeconds(24 * 3600), { summary: `${MARKER}: no evidence of it.` });
});
afterAll(() => app?.stop());

describe('a scheduled fact check on every public read', () => {
  test('the walk covers every partner read, node(id) and every public route the registry declares', () => {
    expect(new Set(Object.keys(GRAPHQL_READS))).toEqual(new Set([...PARTNER_READ_FIELDS, 'node']));
    expect(new Set(Object.keys(ROUTE_READS))).toEqual(new Set(FEATURE_ROUTES.map((r) => r.pattern)));
  });

  test('before its time, no read shows it', async () => {
    expect(scheduled.claim.factCheck).toBeNull();
    for (const [name, { read }] of Object.entries(READS)) {
      expect(revealed(await read()), name).toEqual([]);
    }
  });

  test('after its release, every read that shows fact checks shows it', async () => {
    // Rescheduled a moment ahead; the release job publishes it.
    await schedule(app, desk, claimId, inSeconds(1), { summary: `${MARKER}: no evidence of it.` });
    const deadline = Date.now() + 15_000;
    while (!ok(await app.gql(S.factCheck, { id: scheduled.factCheck.id }, desk.partner.token)).factCheck) {
      if (Date.now() > deadline) throw new Error('never released');
      await new Promise((r) => setTimeout(r, 50));
    }
    for (const [name, { read, shows }] of Object.entries(READS)) {
      if (!shows) continue;
      let found: string[] = [];
      // The change feed hands out a change once no older transaction runs: a moment after the commit.
      for (let tries = 0; tries < 40 && found.length === 0; tries++) {
        found = revealed(await read());
        if (found.length === 0) await new Promise((r) => setTimeout(r, 50));
      }
      expect(found.length, name).toBeGreaterThan(0);
    }
  });
});
