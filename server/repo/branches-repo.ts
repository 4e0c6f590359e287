import type { Db } from '../db/open.js';
import type { Branch } from '../../shared/api.js';

export interface BranchRow { id: number; code: string; name: string; parent_id: number | null }

export class BranchesRepo {
  constructor(private readonly db: Db) {}

  all(): BranchRow[] {
    return this.db.prepare('SELECT id, code, name, parent_id FROM branches ORDER BY code').all() as BranchRow[];
  }

  byCode(code: string): BranchRow | undefined {
    return this.db.prepare('SELECT id, code, name, parent_id FROM branches WHERE code = ?').get(code) as BranchRow | undefined;
  }

  byId(id: number): BranchRow | undefined {
    return this.db.prepare('SELECT id, code, name, parent_id FROM branches WHERE id = ?').get(id) as BranchRow | undefined;
  }

  /** A branch and every branch below it in the tree. */
  subtree(rootIds: Iterable<number>): Set<number> {
    const rows = this.all();
    const children = new Map<number, number[]>();
    for (const row of rows) {
      if (row.parent_id === null) continue;
      const list = children.get(row.parent_id) ?? [];
      list.push(row.id);
      children.set(row.parent_id, list);
    }
    const seen = new Set<number>();
    const stack = [...rootIds];
    while (stack.length) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(...(children.get(id) ?? []));
    }
    return seen;
  }

  toApi(rows: BranchRow[]): Branch[] {
    const codeById = new Map(this.all().map((b) => [b.id, b.code]));
    return rows.map((b) => ({ code: b.code, name: b.name, parent: b.parent_id === null ? null : codeById.get(b.parent_id) ?? null }));
  }
}
