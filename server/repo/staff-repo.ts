import type { Db } from '../db/open.js';
import { nowIso } from '../db/open.js';
import type { Role } from '../../shared/api.js';

export interface StaffRow { id: number; username: string; password_hash: string; display_name: string; active: number; installation_admin: number }
export interface RoleRow { branch_id: number; code: string; role: Role }

export class StaffRepo {
  constructor(private readonly db: Db) {}

  byUsername(username: string): StaffRow | undefined {
    return this.db.prepare('SELECT id, username, password_hash, display_name, active, installation_admin FROM staff WHERE username = ?')
      .get(username) as StaffRow | undefined;
  }

  byId(id: number): StaffRow | undefined {
    return this.db.prepare('SELECT id, username, password_hash, display_name, active, installation_admin FROM staff WHERE id = ?')
      .get(id) as StaffRow | undefined;
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM staff').get() as { n: number }).n;
  }

  create(username: string, passwordHash: string, displayName: string): number {
    return Number(this.db.prepare('INSERT INTO staff (username, password_hash, display_name, created_at) VALUES (?, ?, ?, ?)')
      .run(username, passwordHash, displayName, nowIso()).lastInsertRowid);
  }

  /** The installation's administrator administers every library system, those imported later included. */
  makeInstallationAdmin(staffId: number): void {
    this.db.prepare('UPDATE staff SET installation_admin = 1 WHERE id = ?').run(staffId);
  }

  setRole(staffId: number, branchId: number, role: Role): void {
    this.db.prepare(`INSERT INTO staff_roles (staff_id, branch_id, role) VALUES (?, ?, ?)
      ON CONFLICT (staff_id, branch_id) DO UPDATE SET role = excluded.role`).run(staffId, branchId, role);
  }

  roles(staffId: number): RoleRow[] {
    return this.db.prepare(`SELECT r.branch_id, b.code, r.role FROM staff_roles r JOIN branches b ON b.id = r.branch_id
      WHERE r.staff_id = ? ORDER BY b.code`).all(staffId) as RoleRow[];
  }
}
