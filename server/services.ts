import { openIngestConnection, type Db } from './db/open.js';
import { AuthRepo } from './repo/auth-repo.js';
import { BranchesRepo } from './repo/branches-repo.js';
import { SessionsRepo } from './repo/sessions-repo.js';
import { StaffRepo } from './repo/staff-repo.js';
import { Processor } from './domain/processor.js';
import { ResultsRepo } from './repo/results-repo.js';
import { Corrections } from './domain/corrections.js';
import { LoginThrottle } from './domain/login-throttle.js';
import { AuditRepo } from './repo/audit-repo.js';

/** Everything the routes work with, built once per app over one database connection. */
export interface Services {
  db: Db;
  /** The connection that stores uploads and acknowledges them only once they are on disk (see openIngestConnection). */
  ingestDb: Db;
  auth: AuthRepo;
  branches: BranchesRepo;
  staff: StaffRepo;
  sessions: SessionsRepo;
  results: ResultsRepo;
  processor: Processor;
  corrections: Corrections;
  loginThrottle: LoginThrottle;
  audit: AuditRepo;
  /** Closes what the services opened besides `db` (which its owner closes). */
  close(): void;
}

export function createServices(db: Db, log?: { error: (obj: unknown, msg: string) => void }): Services {
  const processor = new Processor(db, log);
  const ingestDb = openIngestConnection(db);
  return {
    db,
    ingestDb,
    auth: new AuthRepo(db),
    branches: new BranchesRepo(db),
    staff: new StaffRepo(db),
    sessions: new SessionsRepo(db, ingestDb),
    results: new ResultsRepo(db),
    processor,
    corrections: new Corrections(db, processor.transactionApplier),
    loginThrottle: new LoginThrottle(),
    audit: new AuditRepo(db),
    close: () => { if (ingestDb !== db && ingestDb.open) ingestDb.close(); },
  };
}
