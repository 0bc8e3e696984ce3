import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { queryDeskFigures } from '/work/main/dist/src/domain/desk-statistics/statement.js';
const client = postgres('postgres://postgres@127.0.0.1:5432/factcheck_bench', { max: 1 });
const db = drizzle(client);
const start = Date.parse('2025-01-01T00:00:00Z'),
  day = 86400000;
const ws = Array.from({ length: 12 }, (_, i) => ({ from: new Date(start + i * 30 * day), to: new Date(start + (i + 1) * 30 * day) }));
const t = [];
for (let r = 0; r < 4; r++)
  for (const w of ws) {
    const s = performance.now();
    await queryDeskFigures(db, w, new Date());
    if (r) t.push(performance.now() - s);
  }
t.sort((a, b) => a - b);
console.log('n', t.length, 'p50', t[Math.floor(t.length * 0.5)].toFixed(1), 'p95', t[Math.floor(t.length * 0.95)].toFixed(1));
await client.end();
