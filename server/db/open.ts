import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS } from './schema.js';

export type Db = Database.Database;

/** Opens (creating if needed) the circulation database and brings its schema up to date. */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  // Checkpoint every 10,000 pages (40 MB of log) rather than SQLite's 1,000: large uploads then copy their
  // pages back in fewer, larger checkpoints (a page written again in between is copied once, and the
  // disk is synced a tenth as often). Processing moves checkpoints off the event loop (see Checkpointer).
  db.pragma('wal_autocheckpoint = 10000');
  // A log that grew large (a big upload, a session processed) is cut back to this when it starts over.
  db.pragma('journal_size_limit = 67108864');
  migrate(db);
  return db;
}

/**
 * A second connection to the same database for storing uploads, with
 * `synchronous = FULL`: in WAL mode that syncs the log at every commit, so
 * when a desk is told its transactions are stored they survive a power cut
 * or a kernel crash, and the desk, which then forgets them, never has to
 * send them again. The main connection keeps `NORMAL`: what it commits
 * (processing's results with their changes, sessions, accounts) is
 * consistent after a crash, and a lost result is simply pending again.
 */
export function openIngestConnection(db: Db): Db {
  // An in-memory database has no file to share; durability means nothing there.
  if (db.memory) return db;
  const ingest = new Database(db.name);
  ingest.pragma('foreign_keys = ON');
  ingest.pragma('synchronous = FULL');
  ingest.pragma('busy_timeout = 5000');
  ingest.pragma('wal_autocheckpoint = 10000');
  ingest.pragma('journal_size_limit = 67108864');
  return ingest;
}

/**
 * Brings the schema up to date, one migration per transaction. Foreign keys are off meanwhile (SQLite
 * ignores the pragma inside a transaction), so a migration may rebuild a table others refer to;
 * each one is checked before it commits, and any dangling reference stops it.
 */
function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current >= MIGRATIONS.length) return;
  db.pragma('foreign_keys = OFF');
  try {
    for (let version = current; version < MIGRATIONS.length; version++) {
      db.transaction(() => {
        db.exec(MIGRATIONS[version]);
        const broken = db.pragma('foreign_key_check') as unknown[];
        if (broken.length) throw new Error(`migration ${version + 1} left ${broken.length} dangling reference(s): ${JSON.stringify(broken.slice(0, 3))}`);
        db.pragma(`user_version = ${version + 1}`);
      })();
    }
  } finally {
    db.pragma('foreign_keys = ON');
  }
}

export const nowIso = (): string => new Date().toISOString();
