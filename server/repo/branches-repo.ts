import type { Db } from '../db/open.js';
import type { Branch } from '../../shared/api.js';
import { BRANCH_TREE } from './sql-rules.js';

export interface BranchRow { id: number; code: string; name: string; parent_id: number | null }

const ids = (values: Iterable<number>): string => JSON.stringify([...values]);

/** Branches and library systems: the tree staff roles, sessions and workstations hang from. */
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

  /** The library systems: the branches with none above them. */
  roots(): BranchRow[] {
    return this.db.prepare('SELECT id, code, name, parent_id FROM branches WHERE parent_id IS NULL ORDER BY code').all() as BranchRow[];
  }

  /** Branches with no branch below them: the places a desk can stand. */
  leafIds(): Set<number> {
    return new Set(this.db.prepare(`SELECT id FROM branches b WHERE NOT EXISTS (SELECT 1 FROM branches c WHERE c.parent_id = b.id)`)
      .pluck().all() as number[]);
  }

  /** These branches and every branch below them. */
  subtree(rootIds: Iterable<number>): Set<number> {
    return new Set(this.db.prepare(`${BRANCH_TREE}
      SELECT DISTINCT branch_id FROM branch_tree WHERE ancestor_id IN (SELECT value FROM json_each(?))`).pluck().all(ids(rootIds)) as number[]);
  }

  /** These branches and every branch above them, up to their library systems. */
  withAncestors(branchIds: Iterable<number>): Set<number> {
    return new Set(this.db.prepare(`${BRANCH_TREE}
      SELECT DISTINCT ancestor_id FROM branch_tree WHERE branch_id IN (SELECT value FROM json_each(?))`).pluck().all(ids(branchIds)) as number[]);
  }

  toApi(rows: BranchRow[]): Branch[] {
    const codeById = new Map(this.all().map((b) => [b.id, b.code]));
    return rows.map((b) => ({ code: b.code, name: b.name, parent: b.parent_id === null ? null : codeById.get(b.parent_id) ?? null }));
  }
}
