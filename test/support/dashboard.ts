/** A desk's worth of claims in every state, built through the domain (faster than HTTP, same rules). */
import type { Database } from '../../src/db/connection.js';
import { ingestArticle } from '../../src/domain/articles/articles.js';
import { createClaim } from '../../src/domain/claims/create.js';
import { publishFactCheck } from '../../src/domain/claims/editorial.js';
import { addEvidence, assignClaim, submitVerdict } from '../../src/domain/claims/reviewer-actions.js';
import type { Viewer } from '../../src/domain/viewer.js';
import type { Desk, TestUser } from './factories.js';

const viewer = (u: TestUser): Viewer => ({ id: u.id, name: u.name, role: u.role });

export async function buildDashboard(db: Database, desk: Desk, claimCount: number) {
  const editor = viewer(desk.editor);
  const sentences = Array.from({ length: claimCount }, (_, i) => `Statement number ${i} says that ${i * 7} percent of cases rose.`);
  const { article } = await ingestArticle(db, editor, { url: `https://news.example/dashboard-${claimCount}`, title: 'Dashboard', body: sentences.join(' ') });
  for (let i = 0; i < claimCount; i++) {
    const claim = await createClaim(db, editor, {
      articleId: article.id,
      quote: sentences[i]!,
      requiredVerdicts: 1,
      dueAt: new Date(Date.UTC(2030, 0, 1 + (i % 28))),
    });
    if (i % 4 === 0) continue; // OPEN
    await assignClaim(db, editor, { claimId: claim.id, reviewerIds: [desk.reviewer1.id, desk.reviewer2.id] });
    await addEvidence(db, editor, { claimId: claim.id, kind: 'DATASET', title: `Data for ${i}`, stance: 'REFUTES' });
    if (i % 4 === 1) continue; // IN_REVIEW
    await submitVerdict(db, viewer(desk.reviewer1), { claimId: claim.id, rating: 'FALSE', confidence: 'HIGH', rationale: 'The data says otherwise.' });
    if (i % 4 === 2) continue; // REVIEWED
    await publishFactCheck(db, editor, { claimId: claim.id, rating: 'FALSE', summary: `Claim ${i} is false.` });
  }
  return article;
}

/** The editor's dashboard: a page of claims with everything an editor looks at. */
export const DASHBOARD = `query($first: Int!) { claims(first: $first, orderBy: DUE_AT_ASC) { edges { cursor node {
  id quote statement status priority dueAt version
  article { id title url }
  createdBy { id name }
  assignments { id state dueAt reviewer { id name } }
  evidence { id title stance kind }
  verdicts { id rating confidence reviewer { id name } }
  factCheck { id rating summary publishedAt }
} } pageInfo { hasNextPage endCursor } } }`;
