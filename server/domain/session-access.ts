import type { Services } from '../services.js';
import type { Access, Need } from './access.js';
import { notFound } from '../http-error.js';

/** Which sessions a staff member sees and may act on. */
export function sessionAccess({ branches, sessions }: Pick<Services, 'branches' | 'sessions'>) {
  /**
   * Branches whose sessions the caller sees: where they hold a role and every branch below,
   * plus the library systems above those branches — a system-wide session covers each of
   * its branches, so their desks list it and upload to it.
   */
  function visibleBranches(access: Access): Set<number> {
    return branches.withAncestors(access.branchesWith('circulation'));
  }

  /**
   * Loads a session the caller may act on; 404 hides sessions of other branches and systems.
   * Uploading needs only to see the session; administering needs the admin role at its branch.
   */
  function sessionFor(access: Access, idText: string, need: Need) {
    const row = sessions.row(Number(idText));
    if (!row || !visibleBranches(access).has(row.branch_id)) throw notFound(`Session ${idText}`);
    if (need.role === 'admin') access.require(need, row.branch_id);
    return row;
  }

  return { visibleBranches, sessionFor };
}
