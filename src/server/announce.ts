import type { Config } from '../config.js';
import { toGlobalId } from '../domain/global-ids.js';
import type { SeededUser } from '../seed.js';
import type { Logger } from './logger.js';

/** After a start that seeded (SEED=demo, a fresh database): each demo user's token, printed this once (only hashes are stored). */
export function announceSeeds(config: Pick<Config, 'SEED'>, log: Logger, seeded: SeededUser[] | null, url: string) {
  if (seeded) {
    console.log('\nLoaded seeds/ with demo users. Their bearer tokens, shown only now (only hashes are stored), and the token IDs to revoke them by:');
    for (const u of seeded) console.log(`  ${u.role.padEnd(9)} ${u.name.padEnd(20)} ${u.token}  id ${toGlobalId('ApiToken', u.tokenId)}`);
    console.log(
      `\nTry: curl -s ${url}/graphql -H 'content-type: application/json' -H 'authorization: Bearer <EDITOR token>' \\\n       -d '{"query":"{ claims { totalCount edges { node { status quote } } } }"}'\n`,
    );
  } else if (config.SEED === 'demo') {
    log.info('seeds/ were loaded on an earlier start; its demo tokens were printed then (see README to issue new ones)');
  }
}
