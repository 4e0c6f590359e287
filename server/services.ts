import type { Db } from './db/open.js';
import { AuthRepo } from './repo/auth-repo.js';
import { BranchesRepo } from './repo/branches-repo.js';
import { SessionsRepo } from './repo/sessions-repo.js';
import { StaffRepo } from './repo/staff-repo.js';
import { Processor } from './domain/processor.js';

/** Everything the routes work with, built once per app over one database connection. */
export interface Services {
  db: Db;
  auth: AuthRepo;
  branches: BranchesRepo;
  staff: StaffRepo;
  sessions: SessionsRepo;
  processor: Processor;
}

export function createServices(db: Db, log?: { error: (obj: unknown, msg: string) => void }): Services {
  return {
    db,
    auth: new AuthRepo(db),
    branches: new BranchesRepo(db),
    staff: new StaffRepo(db),
    sessions: new SessionsRepo(db),
    processor: new Processor(db, log),
  };
}
