import type { Db } from './open.js';
import { seedDemoLibrary } from './seed-demo.js';
import { generatePassword, hashPassword } from '../domain/passwords.js';
import { StaffRepo } from '../repo/staff-repo.js';

export interface BootstrapResult { seeded: boolean; adminPassword?: string; adminCreated: boolean }

/**
 * First start on an empty data directory: the demo library (unless turned
 * off) and an admin account. The password is generated and returned to be
 * printed once, or taken from OFFLINE_CIRC_ADMIN_PASSWORD for automation.
 */
export async function bootstrap(db: Db, options: { seedDemo: boolean; adminPassword?: string }): Promise<BootstrapResult> {
  const branchCount = (db.prepare('SELECT count(*) AS n FROM branches').get() as { n: number }).n;
  let seeded = false;
  if (branchCount === 0 && options.seedDemo) {
    seedDemoLibrary(db);
    seeded = true;
  }
  const staff = new StaffRepo(db);
  if (staff.count() > 0) return { seeded, adminCreated: false };
  const password = options.adminPassword ?? generatePassword();
  const hash = await hashPassword(password);
  db.transaction(() => {
    const id = staff.create('admin', hash, 'Administrator');
    // The first admin administers the whole installation: every library system, present or imported later.
    staff.makeInstallationAdmin(id);
    for (const root of db.prepare('SELECT id FROM branches WHERE parent_id IS NULL').all() as { id: number }[]) {
      staff.setRole(id, root.id, 'admin');
    }
  })();
  return { seeded, adminCreated: true, adminPassword: options.adminPassword ? undefined : password };
}
