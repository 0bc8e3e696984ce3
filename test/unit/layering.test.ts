import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The layering rule of eslint.config.js, checked on imports written the way our files write them.
const eslint = new ESLint({ cwd: process.cwd() });
async function restrictedImports(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${source}\nexport const used = imported;\n`, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layering: imports point server → graphql → domain → db, and every layer may import model', () => {
  const upward: [string, string][] = [
    ['src/db/example.ts', "import { imported } from '../domain/visibility.js';"],
    ['src/db/example.ts', "import type { imported } from '../server/app.js';"],
    ['src/domain/claims/example.ts', "import { imported } from '../../graphql/schema.js';"],
    ['src/domain/example.ts', "import { imported } from '../server/logger.js';"],
    ['src/domain/example.ts', "import { imported } from '../config.js';"],
    ['src/graphql/example.ts', "import { imported } from '../server/context.js';"],
    ['src/model/example.ts', "import { imported } from '../db/schema.js';"],
    ['src/jobs/example.ts', "import { imported } from '../graphql/schema.js';"],
    ['src/jobs/example.ts', "import type { imported } from '../server/logger.js';"],
    ['src/graphql/example.ts', "import type { imported } from '../db/schema.js';"],
    ['src/graphql/claims/example.ts', "import { imported } from '../../db/loaders.js';"],
    ['src/config.ts', "import { imported } from './server/cors.js';"],
    ['src/config.ts', "import { imported } from './domain/viewer.js';"],
  ];
  it.each(upward)('%s may not %s', async (file, source) => {
    const messages = await restrictedImports(file, source);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('docs/contributing.md');
  });

  const allowed: [string, string][] = [
    ['src/server/example.ts', "import { imported } from '../graphql/schema.js';"],
    ['src/graphql/example.ts', "import { imported } from '../domain/visibility.js';"],
    ['src/graphql/example.ts', "import type { imported } from '../domain/records.js';"],
    ['src/config.ts', "import { imported } from './model/enums.js';"],
    ['src/domain/fact-checks/example.ts', "import { imported } from '../../db/loaders.js';"],
    ['src/db/example.ts', "import { imported } from '../model/enums.js';"],
    ['src/db/example.ts', "import { imported } from '../paths.js';"],
    ['src/jobs/example.ts', "import { imported } from '../domain/webhooks/dispatch.js';"],
  ];
  it.each(allowed)('%s may %s', async (file, source) => {
    expect(await restrictedImports(file, source)).toEqual([]);
  });
});
