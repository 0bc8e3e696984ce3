/**
 * The desk's rating scale (DESIGN.md, "The desk's rating scale"), through the API: a custom scale in
 * English and Brazilian Portuguese, fact checks published and corrected with it, what partners see
 * of them (GraphQL, ClaimReview, the page, the REST search, webhooks), renames and removals after
 * publication, and every validation rule of setRatingScale.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { codes, ok, type TestApp } from '../support/app.js';
import { snapshotDatabase } from '../support/database-state.js';
import { createClaim, ingestArticle, startDeskApp, type Desk } from '../support/factories.js';
import { mutate } from '../support/workflow.js';
import { createEndpoint, deliveriesOf, FACT_CHECK_EVENTS } from '../support/webhooks.js';
import { DEFAULT_RATING_SCALE } from '../../src/domain/rating-scale/scale.js';

const SCALE_FIELDS =
  'name defaultLocale bestValue worstValue labels { key rating value name names { locale text } ptBR: name(locale: "pt-BR") description(locale: "pt-BR") }';
const RATING_SCALE = `{ ratingScale { ${SCALE_FIELDS} } }`;
const SET_SCALE = `mutation($i: SetRatingScaleInput!) { setRatingScale(input: $i) { ratingScale { ${SCALE_FIELDS} } } }`;
const FACT_CHECK = `query($id: ID!) { factCheck(id: $id) { id rating textualRating claimReview
  ratingLabel { key rating value name ptBR: name(locale: "pt-BR") } corrections { note previousRating previousTextualRating } } }`;
const PUBLISH = `mutation($i: PublishFactCheckInput!) { publishFactCheck(input: $i) {
  claim { id status version } factCheck { id rating textualRating claimReview ratingLabel { key } corrections { previousRating previousTextualRating } } } }`;

const QUOTES = [
  'has been routinely hijacked by Hamas terrorists',
  'the reason for Blinken’s statement is unclear',
  'is apparently holding Israel responsible for the distribution of aid',
];

/** English by default, with Brazilian Portuguese names; one label named only in "pt" (pt-BR finds it by lookup). */
const DESK_SCALE = {
  name: 'Escala da redação',
  defaultLocale: 'en',
  labels: [
    {
      key: 'falso',
      rating: 'FALSE',
      names: [
        { locale: 'en', text: 'False' },
        { locale: 'pt-BR', text: 'Falso' },
      ],
    },
    // UNPROVEN may stand anywhere; it is listed last, with no value.
    {
      key: 'sem-provas',
      rating: 'UNPROVEN',
      names: [
        { locale: 'en', text: 'No evidence' },
        { locale: 'pt-br', text: 'Sem provas' },
      ],
    },
    {
      key: 'distorcido',
      rating: 'MISLEADING',
      names: [
        { locale: 'en', text: 'Distorted' },
        { locale: 'pt-BR', text: 'Distorcido' },
      ],
      descriptions: [{ locale: 'pt-BR', text: 'Verdadeiro, mas tirado de contexto.' }],
    },
    {
      key: 'exagerado',
      rating: 'MOSTLY_FALSE',
      names: [
        { locale: 'en', text: 'Exaggerated' },
        { locale: 'pt', text: 'Exagerado' },
      ],
    },
    {
      key: 'verdadeiro',
      rating: 'TRUE',
      names: [
        { locale: 'en', text: 'True' },
        { locale: 'pt-BR', text: 'Verdadeiro' },
      ],
    },
  ],
};

let app: TestApp;
let desk: Desk;
let endpointId: string;
const pt = { articleId: '', claims: [] as string[] };
const en = { articleId: '', claims: [] as string[] };

/** A claim of the article reviewed with `rating` by one reviewer: REVIEWED, ready to publish. */
async function reviewedClaim(articleId: string, quote: string, rating: string) {
  const claimId = (await createClaim(app, desk.editor.token, { articleId, quote })).id;
  ok(await mutate(app, desk.editor.token, 'assign', { claimId, reviewerIds: [desk.reviewer1.globalId] }));
  expect(
    ok(await mutate(app, desk.reviewer1.token, 'verdict', { claimId, rating, confidence: 'HIGH', rationale: 'Checked.' })).submitVerdict.claim.status,
  ).toBe('REVIEWED');
  return claimId;
}
const publish = (input: Record<string, unknown>) => app.gql(PUBLISH, { i: input }, desk.editor.token);
const factCheck = async (id: string) => ok(await app.gql(FACT_CHECK, { id }, desk.partner.token)).factCheck;
const scale = async () => ok(await app.gql(RATING_SCALE, {}, desk.partner.token)).ratingScale;
const setScale = (input: unknown, token = desk.admin.token) => app.gql(SET_SCALE, { i: input }, token);

beforeAll(async () => {
  ({ app, desk } = await startDeskApp());
  endpointId = (await createEndpoint(app, desk.partner.token, 'https://partner.example/hook', FACT_CHECK_EVENTS)).endpoint.id;
  pt.articleId = (await ingestArticle(app, desk.editor.token, { language: 'pt-BR' })).id;
  en.articleId = (await ingestArticle(app, desk.editor.token, { language: 'en' })).id;
});
afterAll(() => app?.stop());

test('a fresh database has the default scale: one English label per rating, with the values ClaimReview always had', async () => {
  const current = await scale();
  expect(current).toMatchObject({ name: DEFAULT_RATING_SCALE.name, defaultLocale: 'en', bestValue: 5, worstValue: 1 });
  expect(current.labels.map((l: any) => ({ key: l.key, rating: l.rating, value: l.value, names: l.names }))).toEqual(
    DEFAULT_RATING_SCALE.labels.map((l) => ({ key: l.key, rating: l.rating, value: l.value, names: l.names })),
  );
  expect(current.labels.map((l: any) => `${l.rating} ${l.value}`)).toEqual([
    'FALSE 1',
    'MOSTLY_FALSE 2',
    'MISLEADING 2',
    'MIXED 3',
    'MOSTLY_TRUE 4',
    'TRUE 5',
    'UNPROVEN null',
  ]);
  // No pt-BR name: the default locale's.
  expect(current.labels[0].ptBR).toBe('False');
});

describe('a custom scale in en and pt-BR, published and corrected', () => {
  const ids = { ptMisleading: '', enMisleading: '', ptMostlyFalse: '' };

  test('setRatingScale replaces it: locales canonical, values by position, UNPROVEN last', async () => {
    const { ratingScale } = ok(await setScale(DESK_SCALE)).setRatingScale;
    expect(ratingScale).toMatchObject({ name: 'Escala da redação', defaultLocale: 'en', bestValue: 4, worstValue: 1 });
    expect(ratingScale.labels.map((l: any) => [l.key, l.rating, l.value, l.name, l.ptBR])).toEqual([
      ['falso', 'FALSE', 1, 'False', 'Falso'],
      ['distorcido', 'MISLEADING', 2, 'Distorted', 'Distorcido'],
      ['exagerado', 'MOSTLY_FALSE', 3, 'Exaggerated', 'Exagerado'],
      ['verdadeiro', 'TRUE', 4, 'True', 'Verdadeiro'],
      ['sem-provas', 'UNPROVEN', null, 'No evidence', 'Sem provas'],
    ]);
    expect(ratingScale.labels[4].names).toEqual([
      { locale: 'en', text: 'No evidence' },
      { locale: 'pt-BR', text: 'Sem provas' },
    ]);
    expect(ratingScale.labels[1].description).toBe('Verdadeiro, mas tirado de contexto.');
    expect(ratingScale.labels[0].description).toBeNull();
    expect(await scale()).toEqual(ratingScale);
  });

  test("published with a label: the name in the fact check's language, the label's value in ClaimReview", async () => {
    pt.claims = [await reviewedClaim(pt.articleId, QUOTES[0]!, 'MISLEADING'), await reviewedClaim(pt.articleId, QUOTES[1]!, 'MOSTLY_FALSE')];
    en.claims = [await reviewedClaim(en.articleId, QUOTES[0]!, 'MISLEADING')];

    const ptPublished = ok(await publish({ claimId: pt.claims[0], ratingLabel: 'distorcido', summary: 'Tirado de contexto.' })).publishFactCheck.factCheck;
    ids.ptMisleading = ptPublished.id;
    expect(ptPublished).toMatchObject({ rating: 'MISLEADING', textualRating: 'Distorcido', ratingLabel: { key: 'distorcido' } });
    expect(ptPublished.claimReview.reviewRating).toEqual({ '@type': 'Rating', alternateName: 'Distorcido', ratingValue: 2, bestRating: 4, worstRating: 1 });

    const enPublished = ok(await publish({ claimId: en.claims[0], ratingLabel: 'distorcido', rating: 'MISLEADING', summary: 'Out of context.' }))
      .publishFactCheck.factCheck;
    ids.enMisleading = enPublished.id;
    expect(enPublished).toMatchObject({ rating: 'MISLEADING', textualRating: 'Distorted' });
    expect(enPublished.claimReview.reviewRating).toEqual({ '@type': 'Rating', alternateName: 'Distorted', ratingValue: 2, bestRating: 4, worstRating: 1 });

    // A rating alone picks the scale's label for it; pt-BR finds the "pt" name by RFC 4647 lookup.
    const byRating = ok(await publish({ claimId: pt.claims[1], rating: 'MOSTLY_FALSE', summary: 'Exagerado.' })).publishFactCheck.factCheck;
    ids.ptMostlyFalse = byRating.id;
    // No label was chosen, so none is shown, though its name and value are the label's.
    expect(byRating).toMatchObject({ rating: 'MOSTLY_FALSE', textualRating: 'Exagerado', ratingLabel: null });
    expect(byRating.claimReview.reviewRating).toEqual({ '@type': 'Rating', alternateName: 'Exagerado', ratingValue: 3, bestRating: 4, worstRating: 1 });

    expect(await factCheck(ids.ptMisleading)).toMatchObject({
      textualRating: 'Distorcido',
      ratingLabel: { key: 'distorcido', rating: 'MISLEADING', value: 2, name: 'Distorted', ptBR: 'Distorcido' },
    });
  });

  test('a correction stores the new label and keeps the previous textual rating; UNPROVEN carries no value', async () => {
    const corrected = ok(await publish({ claimId: pt.claims[0], ratingLabel: 'sem-provas', summary: 'Não há provas.', correctionNote: 'Novas fontes.' }))
      .publishFactCheck.factCheck;
    expect(corrected).toMatchObject({
      rating: 'UNPROVEN',
      textualRating: 'Sem provas',
      corrections: [{ previousRating: 'MISLEADING', previousTextualRating: 'Distorcido' }],
    });
    expect(corrected.claimReview.reviewRating).toEqual({ '@type': 'Rating', alternateName: 'Sem provas' });
    const again = ok(await publish({ claimId: pt.claims[0], ratingLabel: 'falso', summary: 'Falso.', correctionNote: 'Mais fontes.' })).publishFactCheck
      .factCheck;
    expect(again.corrections.map((c: any) => [c.previousRating, c.previousTextualRating])).toEqual([
      ['MISLEADING', 'Distorcido'],
      ['UNPROVEN', 'Sem provas'],
    ]);
    expect(again.claimReview.reviewRating).toEqual({ '@type': 'Rating', alternateName: 'Falso', ratingValue: 1, bestRating: 4, worstRating: 1 });
  });

  test('an unknown label, a rating that disagrees with the label, or neither: BAD_USER_INPUT, nothing written', async () => {
    const claimId = await reviewedClaim(en.articleId, QUOTES[2]!, 'TRUE');
    const before = await snapshotDatabase(app.database.db);
    for (const [input, field] of [
      [{ ratingLabel: 'pants-on-fire' }, 'ratingLabel'],
      [{ ratingLabel: 'verdadeiro', rating: 'FALSE' }, 'rating'],
      [{}, 'rating'],
      [{ rating: 'MIXED' }, 'rating'], // the scale has no label that means MIXED
    ] as const) {
      const response = await publish({ claimId, summary: 'Confirmed.', ...input });
      expect(codes(response), JSON.stringify(input)).toEqual(['BAD_USER_INPUT']);
      expect(response.errors![0]!.extensions!.field).toBe(field);
    }
    expect(await snapshotDatabase(app.database.db)).toEqual(before);
    expect(ok(await publish({ claimId, ratingLabel: 'verdadeiro', summary: 'Confirmed.' })).publishFactCheck.factCheck.textualRating).toBe('True');
  });

  test("partners see the desk's label: the page, its JSON-LD, the REST search, webhooks; the rating filter still works", async () => {
    const jsonld = (await (await fetch(`${app.url}/fact-checks/${ids.ptMostlyFalse}.jsonld`)).json()) as any;
    expect(jsonld.reviewRating).toEqual({ '@type': 'Rating', alternateName: 'Exagerado', ratingValue: 3, bestRating: 4, worstRating: 1 });
    const page = await (await fetch(`${app.url}/fact-checks/${ids.ptMisleading}`, { headers: { accept: 'text/html' } })).text();
    expect(page).toContain('<strong>Rating: Falso</strong>');
    expect(page).toContain('(was: Distorcido)');
    expect(page).toContain('(was: Sem provas)');

    const rest = (await (
      await fetch(`${app.url}/v1alpha1/claims:search?reviewPublisherSiteFilter=desk.test&pageSize=100&key=${desk.partner.token}`)
    ).json()) as any;
    const textual = Object.fromEntries(
      rest.claims.map((c: any) => [c.claimReview[0].url.split('/').at(-1), [c.claimReview[0].textualRating, c.claimReview[0].languageCode]]),
    );
    expect(textual[ids.ptMisleading]).toEqual(['Falso', 'pt-BR']);
    expect(textual[ids.enMisleading]).toEqual(['Distorted', 'en']);
    expect(textual[ids.ptMostlyFalse]).toEqual(['Exagerado', 'pt-BR']);

    const { deliveries } = await deliveriesOf(app, desk.partner.token, endpointId);
    const sent = deliveries
      .map((d) => d.payload)
      .filter((p) => p.data.factCheck.id === ids.ptMisleading)
      .map((p) => [p.type, p.data.factCheck.textualRating, p.data.factCheck.claimReview.reviewRating.alternateName]);
    expect(sent.sort()).toEqual([
      ['fact_check.corrected', 'Falso', 'Falso'],
      ['fact_check.corrected', 'Sem provas', 'Sem provas'],
      ['fact_check.published', 'Distorcido', 'Distorcido'],
    ]);

    const filtered = ok(
      await app.gql('{ factChecks(filter: { rating: [MISLEADING, MOSTLY_FALSE] }) { edges { node { id textualRating } } } }', {}, desk.partner.token),
    ).factChecks;
    expect(filtered.edges.map((e: any) => e.node.id).sort()).toEqual([ids.enMisleading, ids.ptMostlyFalse].sort());
  });

  test('renaming labels and moving values after publication leaves what was published alone', async () => {
    const before = await factCheck(ids.enMisleading);
    const renamed = {
      ...DESK_SCALE,
      labels: DESK_SCALE.labels.map((l) =>
        l.key === 'distorcido'
          ? {
              ...l,
              value: 1,
              names: [
                { locale: 'en', text: 'Misleading' },
                { locale: 'pt-BR', text: 'Enganoso' },
              ],
            }
          : l.key === 'exagerado'
            ? { ...l, value: 9, names: [{ locale: 'en', text: 'Overstated' }] }
            : l.key === 'verdadeiro'
              ? { ...l, value: 10 }
              : l,
      ),
    };
    const { ratingScale } = ok(await setScale(renamed)).setRatingScale;
    expect(ratingScale.bestValue).toBe(10);
    const after = await factCheck(ids.enMisleading);
    expect(after.textualRating).toBe('Distorted');
    expect(after.claimReview).toEqual(before.claimReview);
    // The label itself is the scale's now.
    expect(after.ratingLabel).toEqual({ key: 'distorcido', rating: 'MISLEADING', value: 1, name: 'Misleading', ptBR: 'Enganoso' });
    const corrected = await factCheck(ids.ptMisleading);
    expect(corrected.corrections.map((c: any) => c.previousTextualRating)).toEqual(['Distorcido', 'Sem provas']);
    expect((await factCheck(ids.ptMostlyFalse)).claimReview.reviewRating).toEqual({
      '@type': 'Rating',
      alternateName: 'Exagerado',
      ratingValue: 3,
      bestRating: 4,
      worstRating: 1,
    });
    // A new publication uses the scale in force.
    const claimId = await reviewedClaim(en.articleId, 'until Hezbollah ceases its attacks', 'MISLEADING');
    const fresh = ok(await publish({ claimId, ratingLabel: 'distorcido', summary: 'Out of context.' })).publishFactCheck.factCheck;
    expect(fresh.claimReview.reviewRating).toEqual({ '@type': 'Rating', alternateName: 'Misleading', ratingValue: 1, bestRating: 10, worstRating: 1 });
  });

  test('removing a label in use, or making it mean another rating, is CONFLICT naming it; once retracted it may go', async () => {
    const before = await snapshotDatabase(app.database.db);
    const without = (key: string) => ({ ...DESK_SCALE, labels: DESK_SCALE.labels.filter((l) => l.key !== key) });
    const removed = await setScale(without('exagerado'));
    expect(codes(removed)).toEqual(['CONFLICT']);
    expect(removed.errors![0]!.message).toContain('"exagerado"');
    expect(removed.errors![0]!.extensions).toMatchObject({ labelKeys: 'exagerado' });
    const remeant = await setScale({ ...DESK_SCALE, labels: DESK_SCALE.labels.map((l) => (l.key === 'distorcido' ? { ...l, rating: 'MIXED' } : l)) });
    expect(codes(remeant)).toEqual(['CONFLICT']);
    expect(remeant.errors![0]!.message).toContain('"distorcido"');
    expect(await snapshotDatabase(app.database.db)).toEqual(before);

    ok(await mutate(app, desk.editor.token, 'dismiss', { claimId: pt.claims[1], reason: 'Retracted.' }));
    const { ratingScale } = ok(await setScale(without('exagerado'))).setRatingScale;
    expect(ratingScale.labels.map((l: any) => l.key)).not.toContain('exagerado');
  });
});

describe('every validation rule of setRatingScale is BAD_USER_INPUT naming the field, and changes nothing', () => {
  const label = (key: string, rating = 'FALSE', extra: Record<string, unknown> = {}) => ({ key, rating, names: [{ locale: 'en', text: key }], ...extra });
  const valid = { name: 'Valid', defaultLocale: 'en', labels: [label('a', 'FALSE'), label('b', 'TRUE')] };
  const withLabels = (...labels: unknown[]) => ({ ...valid, labels });
  const CASES: [string, unknown, string][] = [
    ['an empty name', { ...valid, name: ' ' }, 'name'],
    ['a name over 200 characters', { ...valid, name: 'x'.repeat(201) }, 'name'],
    ['a NUL in the name', { ...valid, name: 'a\u0000b' }, 'name'],
    ['a default locale that is not BCP 47', { ...valid, defaultLocale: 'english!' }, 'defaultLocale'],
    ['one label', withLabels(label('a')), 'labels'],
    ['21 labels', withLabels(...Array.from({ length: 21 }, (_, i) => label(`l${i}`))), 'labels'],
    ['a key with capitals and spaces', withLabels(label('Pants On Fire'), label('b', 'TRUE')), 'labels.0.key'],
    ['a key of 41 characters', withLabels(label('a'.repeat(41)), label('b', 'TRUE')), 'labels.0.key'],
    ['an empty key', withLabels(label(''), label('b', 'TRUE')), 'labels.0.key'],
    ['the same key twice', withLabels(label('a'), label('a', 'TRUE')), 'labels.1.key'],
    ['no name in the default locale', withLabels(label('a'), { key: 'b', rating: 'TRUE', names: [{ locale: 'pt-BR', text: 'Verdadeiro' }] }), 'labels.1.names'],
    [
      'a name locale that is not BCP 47',
      withLabels(
        label('a', 'FALSE', {
          names: [
            { locale: 'en', text: 'A' },
            { locale: 'en_US', text: 'A' },
          ],
        }),
        label('b', 'TRUE'),
      ),
      'labels.0.names.1.locale',
    ],
    [
      'the same locale twice (after canonicalization)',
      withLabels(
        label('a', 'FALSE', {
          names: [
            { locale: 'en', text: 'A' },
            { locale: 'EN', text: 'B' },
          ],
        }),
        label('b', 'TRUE'),
      ),
      'labels.0.names.1.locale',
    ],
    ['a blank name', withLabels(label('a', 'FALSE', { names: [{ locale: 'en', text: '  ' }] }), label('b', 'TRUE')), 'labels.0.names.0.text'],
    [
      'a name over 200 characters',
      withLabels(label('a', 'FALSE', { names: [{ locale: 'en', text: '😀'.repeat(201) }] }), label('b', 'TRUE')),
      'labels.0.names.0.text',
    ],
    [
      'a description over 2,000 characters',
      withLabels(label('a', 'FALSE', { descriptions: [{ locale: 'en', text: 'x'.repeat(2001) }] }), label('b', 'TRUE')),
      'labels.0.descriptions.0.text',
    ],
    [
      'a description locale that is not BCP 47',
      withLabels(label('a', 'FALSE', { descriptions: [{ locale: '--', text: 'x' }] }), label('b', 'TRUE')),
      'labels.0.descriptions.0.locale',
    ],
    ['a value for a label that means UNPROVEN', withLabels(label('a'), label('u', 'UNPROVEN', { value: 2 })), 'labels.1.value'],
    ['value 0', withLabels(label('a', 'FALSE', { value: 0 }), label('b', 'TRUE')), 'labels.0.value'],
    ['value 101', withLabels(label('a', 'FALSE'), label('b', 'TRUE', { value: 101 })), 'labels.1.value'],
    ['values that go down from worst to best', withLabels(label('a', 'FALSE', { value: 3 }), label('b', 'TRUE', { value: 2 })), 'labels.1.value'],
    ['only labels that mean UNPROVEN', withLabels(label('u1', 'UNPROVEN'), label('u2', 'UNPROVEN')), 'labels'],
  ];

  test.each(CASES)('%s', async (_name, input, field) => {
    const before = await snapshotDatabase(app.database.db);
    const response = await setScale(input);
    expect(codes(response), JSON.stringify(response.errors)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0]!.extensions!.field).toBe(field);
    expect(await snapshotDatabase(app.database.db)).toEqual(before);
  });

  test('RatingLabel.name with a locale that is not BCP 47', async () => {
    const response = await app.gql('{ ratingScale { labels { name(locale: "not a locale") } } }', {}, desk.partner.token);
    expect(codes(response)[0]).toBe('BAD_USER_INPUT');
    expect(response.errors![0]!.extensions!.field).toBe('locale');
  });

  test('only admins set the scale', async () => {
    for (const token of [desk.editor.token, desk.partner.token, desk.reviewer1.token]) expect(codes(await setScale(valid, token))).toEqual(['FORBIDDEN']);
    expect(codes(await setScale(valid, null as never))).toEqual(['UNAUTHENTICATED']);
  });
});
