import { openIngestConnection, type Db } from './db/open.js';
import { AuthRepo } from './repo/auth-repo.js';
import { BranchesRepo } from './repo/branches-repo.js';
import { SessionsRepo } from './repo/sessions-repo.js';
import { StaffRepo } from './repo/staff-repo.js';
import { WorkstationsRepo } from './repo/workstations-repo.js';
import { Processor } from './domain/processor.js';
import { ResultsRepo } from './repo/results-repo.js';
import { Corrections } from './domain/corrections.js';
import { LoginThrottle } from './domain/login-throttle.js';
import { AuditRepo } from './repo/audit-repo.js';
import { LibraryImport } from './import/library-import.js';
import { SnapshotService } from './domain/snapshot/service.js';
import { ClosuresRepo } from './repo/closures-repo.js';
import { PoliciesRepo } from './repo/policies-repo.js';
import { SessionExportRepo } from './repo/session-export-repo.js';
import { SessionExporter } from './export/session-export.js';
import { CalendarsRepo } from './repo/calendars-repo.js';
import { defaultTimeZone } from './config.js';

/**
 * What the routes work with, built once per app over one database connection:
 * a repository per table group, and the domain services. The app decorates its
 * Fastify instance with each (plugins/services.ts); routes never see `db`.
 */
export interface Services {
  db: Db;
  /** The connection that stores uploads and acknowledges them only once they are on disk (see openIngestConnection). */
  ingestDb: Db;
  auth: AuthRepo;
  branches: BranchesRepo;
  staff: StaffRepo;
  workstations: WorkstationsRepo;
  sessions: SessionsRepo;
  results: ResultsRepo;
  audit: AuditRepo;
  libraryImport: LibraryImport;
  /** Branch calendars for the admin page: closures added and removed by hand. */
  closures: ClosuresRepo;
  policies: PoliciesRepo;
  /** Sessions written back as Koha, Evergreen or JSON lines files. */
  sessionExport: SessionExporter;
  /** The offline data for desks: whole or what changed since a version, built off the event loop. */
  snapshots: SnapshotService;
  processor: Processor;
  corrections: Corrections;
  loginThrottle: LoginThrottle;
  /** Closes what the services opened besides `db` (which its owner closes). */
  close(): Promise<void>;
}

export function createServices(db: Db, log?: { error: (obj: unknown, msg: string) => void }): Services {
  const processor = new Processor(db, log);
  const ingestDb = openIngestConnection(db);
  const auth = new AuthRepo(db);
  const snapshots = new SnapshotService(db);
  return {
    db,
    ingestDb,
    auth,
    branches: new BranchesRepo(db),
    staff: new StaffRepo(db, auth),
    workstations: new WorkstationsRepo(db),
    sessions: new SessionsRepo(db, ingestDb),
    results: new ResultsRepo(db),
    audit: new AuditRepo(db),
    libraryImport: new LibraryImport(db),
    closures: new ClosuresRepo(db),
    policies: new PoliciesRepo(db),
    sessionExport: new SessionExporter(new SessionExportRepo(db), () => new CalendarsRepo(db).all(defaultTimeZone()), defaultTimeZone()),
    snapshots,
    processor,
    corrections: new Corrections(db, processor.transactionApplier),
    loginThrottle: new LoginThrottle(),
    close: async () => {
      await snapshots.close();
      if (ingestDb !== db && ingestDb.open) ingestDb.close();
    },
  };
}
