import type { Db } from '../db/open.js';
import { nowIso } from '../db/open.js';
import type { WorkstationRecord } from '../../shared/api.js';

export interface WorkstationRow { id: number; name: string; branch_id: number; retired_at: string | null }

const RECORD = `SELECT w.name, b.code AS branch, s.username AS registered_by, w.registered_at, w.retired_at, w.branch_id
  FROM workstations w JOIN branches b ON b.id = w.branch_id JOIN staff s ON s.id = w.registered_by`;

/** The devices registered as workstations: registered once per device, renamed or retired by an administrator. */
export class WorkstationsRepo {
  constructor(private readonly db: Db) {}

  byName(name: string): WorkstationRow | undefined {
    return this.db.prepare('SELECT id, name, branch_id, retired_at FROM workstations WHERE name = ?').get(name) as WorkstationRow | undefined;
  }

  /** Whether the name is a registered workstation still in service. */
  inService(name: string): boolean {
    return this.db.prepare('SELECT 1 FROM workstations WHERE name = ? AND retired_at IS NULL').get(name) !== undefined;
  }

  register(name: string, branchId: number, staffId: number): void {
    this.db.prepare('INSERT INTO workstations (name, branch_id, registered_by, registered_at) VALUES (?, ?, ?, ?)').run(name, branchId, staffId, nowIso());
  }

  rename(id: number, name: string): void {
    this.db.prepare('UPDATE workstations SET name = ? WHERE id = ?').run(name, id);
  }

  retire(id: number): void {
    this.db.prepare('UPDATE workstations SET retired_at = ? WHERE id = ?').run(nowIso(), id);
  }

  /** The workstations of these branches, by name, as administrators see them. */
  records(branchIds: Set<number>): WorkstationRecord[] {
    return (this.db.prepare(`${RECORD} ORDER BY w.name`).all() as (WorkstationRecord & { branch_id: number })[])
      .filter((w) => branchIds.has(w.branch_id)).map(({ branch_id: _branch, ...w }) => w);
  }

  record(name: string): WorkstationRecord | undefined {
    const row = this.db.prepare(`${RECORD} WHERE w.name = ?`).get(name) as (WorkstationRecord & { branch_id: number }) | undefined;
    if (!row) return undefined;
    const { branch_id: _branch, ...record } = row;
    return record;
  }
}
