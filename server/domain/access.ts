/**
 * Who may do what where. A role held at a library system covers every
 * branch below it; an admin may also do what circulation staff do.
 */
import type { Role } from '../../shared/api.js';
import type { Services } from '../services.js';
import { forbidden } from '../http-error.js';

/** What a route needs of its caller: a role at some branch, and what for (a refusal says it). */
export interface Need { role: Role; to: string }

export interface StaffIdentity {
  id: number; username: string; display_name: string;
  /** Administers every branch of every library system, those imported after the first start included. */
  installationAdmin: boolean;
}

export class Access {
  private cache = new Map<Role, Set<number>>();

  constructor(private readonly services: Pick<Services, 'branches' | 'staff'>, readonly staff: StaffIdentity) {}

  /** Branch ids where this staff member holds the role (or admin, which includes circulation). */
  branchesWith(role: Role): Set<number> {
    let set = this.cache.get(role);
    if (!set && this.staff.installationAdmin) {
      set = new Set(this.services.branches.all().map((b) => b.id));
      this.cache.set(role, set);
    }
    if (!set) {
      const roots = this.services.staff.roles(this.staff.id)
        .filter((r) => r.role === 'admin' || role === 'circulation').map((r) => r.branch_id);
      set = this.services.branches.subtree(roots);
      this.cache.set(role, set);
    }
    return set;
  }

  /** Whether the role is held at any branch; an installation admin holds every role, even before there is a branch. */
  holds(role: Role): boolean {
    return this.staff.installationAdmin || this.branchesWith(role).size > 0;
  }

  require({ role, to }: Need, branchId: number): void {
    if (!this.branchesWith(role).has(branchId)) {
      const code = this.services.branches.byId(branchId)?.code ?? String(branchId);
      throw forbidden(`${this.staff.username} may not ${to} at ${code}: it needs the ${role} role there`);
    }
  }
}
