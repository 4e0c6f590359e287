/**
 * The desks' offline data (shared/snapshot.ts): built off the event loop by
 * the snapshot worker, kept gzipped, and answered with a tag that names the
 * library version and the settings. A desk that holds a version gets what
 * changed since (a delta, from the change log of migration 12); a desk with
 * nothing, or older than the log reaches back, gets the whole.
 *
 * The head (branches with their calendars, policies, settings) is small and
 * needs the app's own rules to resolve, so it is read here; the worker runs
 * the big parts at the same version, or says the library moved on meanwhile
 * and the head is read again.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip as gzipCb } from 'node:zlib';
import type { Db } from '../../db/open.js';
import type { LoanPolicy } from '../../../shared/loan-policy.js';
import { SNAPSHOT_FORMAT, type NoncatType, type SnapshotBranch, type SnapshotHead } from '../../../shared/snapshot.js';
import { CalendarsRepo } from '../../repo/calendars-repo.js';
import { SnapshotWorker, type SnapshotPart } from '../../db/snapshot-worker.js';
import { defaultTimeZone } from '../../config.js';
import { rawSettings, resolveSettings } from './settings.js';
import { deltaParts, fullParts } from './queries.js';
import { registerSnapshotFunctions, snapshotFunctionSources } from './sql-functions.js';

const gzip = promisify(gzipCb);

export interface SnapshotOptions {
  /** Where the OFFLINE_CIRC_* overrides are read, on every request (default process.env). */
  env?: NodeJS.ProcessEnv;
  warn?: (message: string) => void;
}

export interface BuiltSnapshot {
  version: number;
  etag: string;
  gzip: Buffer;
  json_bytes: number;
  /** The version a delta starts from; undefined for the whole. */
  since?: number;
}

/** Change-log rows kept before the oldest are let go (desks older than what is kept get the whole data). */
const LOG_KEEP = 2_000_000;
/** Deltas kept, by the version they start from: desks refresh in waves, most from the same few versions. */
const DELTAS_KEPT = 8;

export class SnapshotService {
  private worker: SnapshotWorker | null | undefined;
  private full: { key: string; built: Promise<BuiltSnapshot> } | undefined;
  private readonly deltas = new Map<string, Promise<BuiltSnapshot>>();
  private readonly env: NodeJS.ProcessEnv;
  private readonly warn: (message: string) => void;
  private readonly calendars: CalendarsRepo;
  private readonly q;

  constructor(private readonly db: Db, options: SnapshotOptions = {}) {
    this.env = options.env ?? process.env;
    this.warn = options.warn ?? console.warn;
    this.calendars = new CalendarsRepo(db);
    this.q = {
      version: db.prepare<[], number>('SELECT version FROM library_version WHERE id = 1').pluck(),
      floor: db.prepare<[], number>('SELECT version FROM snapshot_log_floor WHERE id = 1').pluck(),
      branches: db.prepare(`SELECT b.id, b.code, b.name, p.code AS parent FROM branches b LEFT JOIN branches p ON p.id = b.parent_id ORDER BY b.code`),
      policies: db.prepare(`SELECT item_type, patron_profile, loan_days, max_renewals, daily_fine_cents, max_fine_cents, max_items_out
        FROM loan_policies ORDER BY id`),
      noncat: db.prepare('SELECT code, name, loan_days FROM noncat_types ORDER BY code'),
      logSize: db.prepare<[], number>('SELECT count(*) FROM snapshot_changes').pluck(),
    };
  }

  /** What a desk's tag must be to hold the current data: the format, the version, and the settings that shape it. */
  tag(): string {
    return `"snap${SNAPSHOT_FORMAT}-${this.q.version.get()}-${this.settingsDigest()}"`;
  }

  private settingsDigest(): string {
    return createHash('sha256').update(JSON.stringify([rawSettings(this.db, this.env), defaultTimeZone(this.env)])).digest('hex').slice(0, 12);
  }

  /** The whole data, built once per tag. */
  current(): Promise<BuiltSnapshot> {
    const tag = this.tag();
    if (this.full?.key === tag) return this.full.built;
    const built = this.build(() => fullParts());
    this.full = { key: tag, built };
    built.then(() => this.prune(), () => { if (this.full?.built === built) this.full = undefined; });
    return built;
  }

  /** What changed since `version`, or undefined when the change log no longer reaches back that far. */
  since(version: number): Promise<BuiltSnapshot> | undefined {
    if (version < this.q.floor.get()! || version > this.q.version.get()!) return undefined;
    const key = `${version}|${this.tag()}`;
    let built = this.deltas.get(key);
    if (!built) {
      built = this.build(() => deltaParts(version), version);
      this.deltas.set(key, built);
      built.catch(() => this.deltas.delete(key));
      while (this.deltas.size > DELTAS_KEPT) this.deltas.delete(this.deltas.keys().next().value!);
    }
    return built;
  }

  /** The head at the library's current version, and the big parts from the worker at that same version. */
  private async build(parts: () => SnapshotPart[], since?: number): Promise<BuiltSnapshot> {
    for (let attempt = 0; ; attempt++) {
      const settingsTag = this.settingsDigest();
      const head = this.head();
      const headJson = JSON.stringify(since === undefined ? head : { ...head, delta: true, since });
      const worker = this.workerFor();
      const result = worker ? await worker.build(head.version, headJson, parts()) : await this.buildHere(head.version, headJson, parts());
      if ('stale' in result) {
        // The library moved on between the head and the parts: read the head again (it is small), at most a few times.
        if (attempt < 5) continue;
        throw new Error('the library kept changing while its offline data was built; try again');
      }
      return { version: result.version, etag: `"snap${SNAPSHOT_FORMAT}-${result.version}-${settingsTag}"`, gzip: result.gzip,
        json_bytes: result.jsonBytes, since };
    }
  }

  /** The small part, read here; the profiles (a scan of every patron) come from the worker with the big parts (queries.ts). */
  private head(): Omit<SnapshotHead, 'profiles'> {
    const settings = resolveSettings(rawSettings(this.db, this.env), this.warn);
    return this.db.transaction((): Omit<SnapshotHead, 'profiles'> => {
      const version = this.q.version.get()!;
      const calendars = this.calendars.all(defaultTimeZone(this.env));
      const branches = (this.q.branches.all() as { id: number; code: string; name: string; parent: string | null }[])
        .map(({ id, ...b }): SnapshotBranch => ({ ...b, calendar: calendars.get(id)! }));
      return {
        format: SNAPSHOT_FORMAT, version, generated_at: new Date().toISOString(), branches,
        loan_policies: this.q.policies.all() as LoanPolicy[], noncat_types: this.q.noncat.all() as NoncatType[],
        barcode_rules: settings.barcode_rules, fine_limit_cents: settings.fine_limit_cents,
      };
    })();
  }

  /** The worker, started with the first build; none for an in-memory database (tests), where the build runs here. */
  private workerFor(): SnapshotWorker | null {
    if (this.worker === undefined || (this.worker && !this.worker.alive)) this.worker = SnapshotWorker.start(this.db, snapshotFunctionSources());
    return this.worker;
  }

  private async buildHere(version: number, headJson: string, parts: SnapshotPart[]) {
    // The worker defines them on its own connection; here, only when there is no worker (an in-memory database).
    registerSnapshotFunctions(this.db);
    const json = this.db.transaction(() => {
      let text = headJson.slice(0, -1);
      for (const part of parts) text += `,${JSON.stringify(part.name)}:${this.db.prepare(part.sql).pluck().get(part.params) as string}`;
      return `${text}}`;
    })();
    return { version, gzip: await gzip(json), jsonBytes: Buffer.byteLength(json) };
  }

  /**
   * Lets the oldest change-log rows go once there are more than LOG_KEEP, in one statement between two
   * requests: desks whose data is older than what is kept get the whole data next time.
   */
  private prune(): void {
    if (this.q.logSize.get()! <= LOG_KEEP) return;
    this.db.transaction(() => {
      const cut = this.db.prepare<[number], number>('SELECT version FROM snapshot_changes ORDER BY version DESC LIMIT 1 OFFSET ?').pluck()
        .get(LOG_KEEP / 2)!;
      this.db.prepare('DELETE FROM snapshot_changes WHERE version <= ?').run(cut);
      this.db.prepare('UPDATE snapshot_log_floor SET version = ? WHERE id = 1').run(cut);
    })();
  }

  async close(): Promise<void> {
    await this.worker?.stop();
    this.worker = null;
  }
}
