/**
 * Org import of a 10,000-staff generated bureau (validation, upsert, audit chain) against a plain
 * bulk insert of the same rows into the same tables, in the same run.
 */
import { largeOrg } from '../../src/demo/large.ts';
import { orgDocumentSchema } from '../../src/org/contract.ts';
import { assignments, departments, items, posts, staff, windows } from '../../src/org/schema.ts';
import { importOrg } from '../../src/org/service.ts';
import { type BenchRow, benchDatabase, timeMs } from './harness.ts';

export async function bench(): Promise<BenchRow[]> {
  const doc = orgDocumentSchema.parse(largeOrg(10_000));
  const rowsCount = doc.staff!.length + doc.posts!.length + doc.assignments!.length;

  const plain = await benchDatabase();
  let baseline: number;
  try {
    baseline = await timeMs(() =>
      plain.db.transaction(async (tx) => {
        const chunks = async (table: any, rows: any[]) => {
          for (let i = 0; i < rows.length; i += 2000) await tx.insert(table).values(rows.slice(i, i + 2000));
        };
        await chunks(departments, doc.departments!);
        await chunks(windows, doc.windows!);
        await chunks(posts, doc.posts!);
        await chunks(staff, doc.staff!);
        await chunks(items, doc.items!);
        await chunks(
          assignments,
          doc.assignments!.map((a) => ({
            staffNo: a.staff,
            post: a.post,
            role: a.role,
            from: a.from,
            to: a.to ?? null,
          })),
        );
      }),
    );
  } finally {
    await plain.close();
  }

  const t = await benchDatabase();
  try {
    const first = await timeMs(() => importOrg(t.db, doc, { actor: 'bench', today: '2026-03-02' }));
    const again = await timeMs(() => importOrg(t.db, doc, { actor: 'bench', today: '2026-03-02' }));
    return [
      {
        name: 'org import, 10,000 staff (new)',
        figure: first,
        unit: 'ms',
        baseline,
        ratio: first / baseline,
        note: `${rowsCount} rows; baseline = plain bulk insert`,
      },
      {
        name: 'org import, 10,000 staff (unchanged re-import)',
        figure: again,
        unit: 'ms',
        baseline,
        ratio: again / baseline,
      },
    ];
  } finally {
    await t.close();
  }
}
