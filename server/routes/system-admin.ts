import type { Access } from '../domain/access.js';
import type { BranchesRepo } from '../repo/branches-repo.js';
import { forbidden } from '../http-error.js';

/**
 * What spans a whole library — its data files, its loan policies (one table for every
 * branch) — is for an administrator of a library system, or of the whole installation.
 */
export function requireSystemAdmin(access: Access, branches: BranchesRepo, what: string): void {
  if (access.staff.installationAdmin) return;
  const mine = access.branchesWith('admin');
  if (!branches.roots().some((r) => mine.has(r.id))) throw forbidden(`${what} needs the admin role at a library system`);
}
