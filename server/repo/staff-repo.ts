import type { Db } from '../db/open.js';
import { nowIso } from '../db/open.js';
import type { Role } from '../../shared/api.js';
import { AuthRepo } from './auth-repo.js';

export interface StaffRow { id: number; username: string; password_hash: string; display_name: string; active: number; installation_admin: number }
export interface RoleRow { branch_id: number; code: string; role: Role }

/** Staff accounts and their roles by branch; an account's logins end when it is disabled or its password is reset. */
export class StaffRepo {
  constructor(private readonly db: Db, private readonly logins = new AuthRepo(db)) {}

  byUsername(username: string): StaffRow | undefined {
    return this.db.prepare('SELECT id, username, password_hash, display_name, active, installation_admin FROM staff WHERE username = ?')
      .get(username) as StaffRow | undefined;
  }

  byId(id: number): StaffRow | undefined {
    return this.db.prepare('SELECT id, username, password_hash, display_name, active, installation_admin FROM staff WHERE id = ?')
      .get(id) as StaffRow | undefined;
  }

  /** Every account's id, by username. */
  ids(): number[] {
    return this.db.prepare('SELECT id FROM staff ORDER BY username').pluck().all() as number[];
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM staff').get() as { n: number }).n;
  }

  create(username: string, passwordHash: string, displayName: string): number {
    return Number(this.db.prepare('INSERT INTO staff (username, password_hash, display_name, created_at) VALUES (?, ?, ?, ?)')
      .run(username, passwordHash, displayName, nowIso()).lastInsertRowid);
  }

  /** A new account with its first role, both or neither. */
  createWithRole(username: string, passwordHash: string, displayName: string, branchId: number, role: Role): number {
    return this.db.transaction(() => {
      const id = this.create(username, passwordHash, displayName);
      this.setRole(id, branchId, role);
      return id;
    })();
  }

  /** A disabled account's logins end now, not when their cookies expire. */
  setActive(staffId: number, active: boolean): void {
    this.db.transaction(() => {
      this.db.prepare('UPDATE staff SET active = ? WHERE id = ?').run(active ? 1 : 0, staffId);
      if (!active) this.logins.revokeAll(staffId);
    })();
  }

  /** A new password ends every login made with the old one. */
  setPassword(staffId: number, passwordHash: string): void {
    this.db.transaction(() => {
      this.db.prepare('UPDATE staff SET password_hash = ? WHERE id = ?').run(passwordHash, staffId);
      this.logins.revokeAll(staffId);
    })();
  }

  /** The installation's administrator administers every library system, those imported later included. */
  makeInstallationAdmin(staffId: number): void {
    this.db.prepare('UPDATE staff SET installation_admin = 1 WHERE id = ?').run(staffId);
  }

  setRole(staffId: number, branchId: number, role: Role): void {
    this.db.prepare(`INSERT INTO staff_roles (staff_id, branch_id, role) VALUES (?, ?, ?)
      ON CONFLICT (staff_id, branch_id) DO UPDATE SET role = excluded.role`).run(staffId, branchId, role);
  }

  removeRole(staffId: number, branchId: number): void {
    this.db.prepare('DELETE FROM staff_roles WHERE staff_id = ? AND branch_id = ?').run(staffId, branchId);
  }

  roles(staffId: number): RoleRow[] {
    return this.db.prepare(`SELECT r.branch_id, b.code, r.role FROM staff_roles r JOIN branches b ON b.id = r.branch_id
      WHERE r.staff_id = ? ORDER BY b.code`).all(staffId) as RoleRow[];
  }
}
