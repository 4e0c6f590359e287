import type { Db } from '../db/open.js';
import { nowIso } from '../db/open.js';
import type { AuditEntry, AuditFilter, AuditPage } from '../../shared/api.js';

/** An entry as stored: its details as JSON text. */
type StoredEntry = Omit<AuditEntry, 'details'> & { details: string | null };

/** Who did what and when: every administrative action, kept for good. */
export class AuditRepo {
  private readonly insert;

  constructor(private readonly db: Db) {
    this.insert = db.prepare('INSERT INTO audit_log (at, staff, workstation, action, target, details) VALUES (?, ?, ?, ?, ?, ?)');
  }

  record(staff: string, workstation: string | null, action: string, target: string | null, details?: Record<string, unknown>): void {
    this.insert.run(nowIso(), staff, workstation, action, target, details ? JSON.stringify(details) : null);
  }

  private where(filter: AuditFilter): { clause: string; args: unknown[] } {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.action) { where.push('action = ?'); args.push(filter.action); }
    if (filter.staff) { where.push('staff = ?'); args.push(filter.staff); }
    return { clause: where.length ? `WHERE ${where.join(' AND ')}` : '', args };
  }

  page(filter: AuditFilter & { limit: number; offset: number }): AuditPage {
    const { clause, args } = this.where(filter);
    const total = (this.db.prepare(`SELECT count(*) AS n FROM audit_log ${clause}`).get(...args) as { n: number }).n;
    const rows = this.db.prepare(`SELECT id, at, staff, workstation, action, target, details FROM audit_log ${clause} ORDER BY id DESC LIMIT ? OFFSET ?`)
      .all(...args, filter.limit, filter.offset) as StoredEntry[];
    return { total, entries: rows.map((r) => ({ ...r, details: r.details ? JSON.parse(r.details) : null })) };
  }

  *iterate(filter: AuditFilter = {}): Generator<StoredEntry> {
    const { clause, args } = this.where(filter);
    yield* this.db.prepare(`SELECT id, at, staff, workstation, action, target, details FROM audit_log ${clause} ORDER BY id`)
      .iterate(...args) as Iterable<StoredEntry>;
  }
}
