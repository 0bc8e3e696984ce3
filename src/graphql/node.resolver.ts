import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { findApiToken } from '../domain/access/tokens.js';
import { visibleVerdicts } from '../domain/claims/queries.js';
import { isEditor, isStaff, requireViewer } from '../domain/viewer.js';
import type { Context } from './context.js';
import { badInput } from '../domain/errors.js';
import { parseGlobalId, type NodeType } from './ids.js';
import { Node } from './types.js';

const withTypename = <T extends object>(typename: NodeType, row: T | null) => (row ? { ...row, __typename: typename } : null);

@Resolver()
export class NodeResolver {
  @Query(() => Node, { nullable: true, description: 'Fetch any object by its global ID; null if it does not exist or the viewer may not see it.' })
  async node(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    const viewer = requireViewer(ctx.viewer);
    const parsed = parseGlobalId(id);
    if (!parsed) throw badInput('id', 'id is not a valid global ID');
    const { loaders } = ctx;
    switch (parsed.type) {
      case 'User':
        return isEditor(viewer) || parsed.id === viewer.id ? withTypename('User', await loaders.user.load(parsed.id)) : null;
      case 'ApiToken':
        return withTypename('ApiToken', await findApiToken(ctx.db, viewer, parsed.id));
      case 'FactCheck': {
        const factCheck = await loaders.factCheck.load(parsed.id);
        return factCheck && !factCheck.retractedAt ? withTypename('FactCheck', factCheck) : null;
      }
      case 'Article':
        return isStaff(viewer) ? withTypename('Article', await loaders.article.load(parsed.id)) : null;
      case 'Claim':
        return isStaff(viewer) ? withTypename('Claim', await loaders.claim.load(parsed.id)) : null;
      case 'Assignment':
        return isStaff(viewer) ? withTypename('Assignment', await loaders.assignment.load(parsed.id)) : null;
      case 'Evidence':
        return isStaff(viewer) ? withTypename('Evidence', await loaders.evidence.load(parsed.id)) : null;
      case 'Verdict': {
        if (!isStaff(viewer)) return null;
        const verdict = await loaders.verdict.load(parsed.id);
        if (!verdict) return null;
        const round = await loaders.verdictsByRound.load({ claimId: verdict.claimId, round: verdict.round });
        const visible = verdict.reviewerId === viewer.id || visibleVerdicts(viewer, round).some((v) => v.id === verdict.id);
        return visible ? withTypename('Verdict', verdict) : null;
      }
      default:
        return null;
    }
  }
}
