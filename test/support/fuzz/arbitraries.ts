/**
 * Arbitraries shared by the fuzzed families: IDs drawn from the world (test/support/fuzz/world.ts) or
 * of the wrong type or shape, claims in a given status, page arguments and mutation inputs. Hostile
 * scalar values are in test/support/hostile-input.ts.
 */
import fc from 'fast-check';
import { toGlobalId } from '../../../src/domain/global-ids.js';
import { forgedCursor, int, MALFORMED_IDS, mostly, wrongType } from '../hostile-input.js';
import { assignedTo, claimStatus, Lazy, people, pick, pools, TYPE_OF, type IdPool } from './world.js';

/** An existing object's global ID (a well-formed unknown one while the pool is empty). */
export const existing = (pool: IdPool) =>
  fc.nat({ max: 100_000 }).map((i) => new Lazy(() => pick(pools[pool], i) ?? toGlobalId(TYPE_OF[pool], '00000000-0000-4000-8000-000000000000')));

/** An ID for a field that wants one from `pool`: mostly a real one; else another type's, an unknown one, garbage. */
export const id = (pool: IdPool) =>
  mostly(
    existing(pool),
    fc.oneof(
      fc.constantFrom(...(Object.keys(TYPE_OF) as IdPool[])).chain((other) => existing(other)),
      fc.uuid().map((u) => toGlobalId(TYPE_OF[pool], u)),
      fc.constantFrom(...MALFORMED_IDS),
      wrongType,
      fc.constant(null),
    ),
    8,
  );

/** A claim for an action: mostly one last seen in one of `statuses`, so that the workflow lets the action through. */
export const claimIn = (statuses: readonly string[]) =>
  fc.oneof(
    {
      weight: 3,
      arbitrary: fc.nat().map(
        (i) =>
          new Lazy(
            () =>
              pick(
                [...claimStatus].filter(([, s]) => statuses.includes(s)).map(([c]) => c),
                i,
              ) ?? pick(pools.claim, i),
          ),
      ),
    },
    { weight: 1, arbitrary: id('claim') },
  );
/** A claim for a reviewer's action: mostly one the sender was assigned. */
export const claimOfSender = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .nat()
      .map((i) => new Lazy((sender) => pick(sender === 'none' ? [] : (assignedTo.get(people[sender].globalId) ?? []), i) ?? pick(pools.claim, i))),
  },
  { weight: 1, arbitrary: id('claim') },
);

/** A connection's `after`: a cursor seen in a response, a forged one, or none. */
export const cursor = fc.oneof(
  { weight: 2, arbitrary: fc.nat().map((i) => new Lazy(() => pick(pools.cursor, i) ?? null)) },
  { weight: 2, arbitrary: forgedCursor },
  { weight: 2, arbitrary: fc.constantFrom(undefined, null) },
);
export const first = fc.oneof(fc.constantFrom(undefined, null), int(1, 100));

/** A mutation's `$i`: mostly an input object of `fields`; sometimes null or not an object. */
export const input = (fields: Record<string, fc.Arbitrary<unknown>>) =>
  fc.record({ i: mostly(fc.record(fields), fc.constantFrom<unknown>(null, 'input', [])) });
/** A claim action's expectedVersion. */
export const version = fc.oneof(fc.constantFrom(undefined, null), int(0, 12));
