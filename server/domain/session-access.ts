import type { Services } from '../services.js';
import type { Access } from './access.js';
import type { Role } from '../../shared/api.js';
import { notFound } from '../http-error.js';

/** Which sessions a staff member sees and may act on. */
export function sessionAccess({ branches, sessions }: Pick<Services, 'branches' | 'sessions'>) {
  /**
   * Branches whose sessions the caller sees: where they hold a role and every branch below,
   * plus the library systems above those branches — a system-wide session covers each of
   * its branches, so their desks list it and upload to it.
   */
  function visibleBranches(access: Access): Set<number> {
    const visible = new Set(access.branchesWith('circulation'));
    const parentOf = new Map(branches.all().map((b) => [b.id, b.parent_id]));
    for (const id of [...visible]) {
      for (let p = parentOf.get(id); p !== null && p !== undefined && !visible.has(p); p = parentOf.get(p)) visible.add(p);
    }
    return visible;
  }

  /**
   * Loads a session the caller may act on; 404 hides sessions of other branches and systems.
   * Uploading needs only to see the session; administering needs the admin role at its branch.
   */
  function sessionFor(access: Access, idText: string, role: Role, action: string) {
    const row = sessions.row(Number(idText));
    if (!row || !visibleBranches(access).has(row.branch_id)) throw notFound(`Session ${idText}`);
    if (role === 'admin') access.require(role, row.branch_id, action);
    return row;
  }

  return { visibleBranches, sessionFor };
}
