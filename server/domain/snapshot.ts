/**
 * Builds the offline snapshot (shared/snapshot.ts) from the database and
 * keeps it gzipped in memory. Desks poll it with If-None-Match, so the
 * common answer is "unchanged": that costs two tiny queries, and a rebuild
 * happens only when the `library_version` counter (bumped by triggers,
 * migration 3) or the settings have moved.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip as gzipCb } from 'node:zlib';
import type { Db } from '../db/open.js';
import type { Branch } from '../../shared/api.js';
import type { LoanPolicy } from '../../shared/loan-policy.js';
import { SNAPSHOT_FORMAT, type BarcodeRule, type NoncatType, type Snapshot } from '../../shared/snapshot.js';
import { activeCardOf } from '../repo/sql-rules.js';

const gzip = promisify(gzipCb);

export const DEFAULT_FINE_LIMIT_CENTS = 1000;

/** library_settings keys, and the environment variables that override them. */
const SETTINGS = {
  patronPattern: { key: 'patron_barcode_pattern', env: 'OFFLINE_CIRC_PATRON_BARCODE_PATTERN' },
  itemPattern: { key: 'item_barcode_pattern', env: 'OFFLINE_CIRC_ITEM_BARCODE_PATTERN' },
  checkDigit: { key: 'barcode_check_digit', env: 'OFFLINE_CIRC_BARCODE_CHECK_DIGIT' },
  fineLimit: { key: 'fine_limit_cents', env: 'OFFLINE_CIRC_FINE_LIMIT_CENTS' },
} as const;

export const SETTING_KEYS = Object.fromEntries(Object.entries(SETTINGS).map(([k, v]) => [k, v.key])) as
  { [K in keyof typeof SETTINGS]: (typeof SETTINGS)[K]['key'] };

export type RawSettings = Record<keyof typeof SETTINGS, string | null>;

export interface SnapshotSettings {
  barcode_rules: Snapshot['barcode_rules'];
  fine_limit_cents: number;
}

export interface SnapshotOptions {
  /** Where the OFFLINE_CIRC_* overrides are read, on every request (default process.env). */
  env?: NodeJS.ProcessEnv;
  warn?: (message: string) => void;
}

export interface BuiltSnapshot {
  version: number;
  etag: string;
  gzip: Buffer;
  generated_at: string;
  json_bytes: number;
}

/** The stored settings with any non-empty environment variable taking precedence. */
export function rawSettings(db: Db, env: NodeJS.ProcessEnv = process.env): RawSettings {
  const stored = new Map(db.prepare('SELECT key, value FROM library_settings').raw().all() as [string, string | null][]);
  const out = {} as RawSettings;
  for (const [name, { key, env: variable }] of Object.entries(SETTINGS) as [keyof typeof SETTINGS, typeof SETTINGS[keyof typeof SETTINGS]][]) {
    const fromEnv = env[variable];
    out[name] = fromEnv !== undefined && fromEnv !== '' ? fromEnv : stored.get(key) ?? null;
  }
  return out;
}

/** Turns raw setting text into the snapshot's rules; a bad value is warned about and replaced by the default. */
export function resolveSettings(raw: RawSettings, warn: (message: string) => void = console.warn): SnapshotSettings {
  const pattern = (value: string | null, what: string): string | null => {
    if (value === null || value.trim() === '') return null;
    // Compiled the way the desk compiles it (barcodeProblem), so what passes here works there.
    try { new RegExp(`^(?:${value})$`); return value; } catch (err) {
      warn(`Ignoring the ${what} barcode pattern ${JSON.stringify(value)}: it is not a valid regular expression (${(err as Error).message}). Desks will not check the form of ${what} barcodes.`);
      return null;
    }
  };
  let checkDigit: BarcodeRule['check_digit'] = 'none';
  const cd = raw.checkDigit?.trim().toLowerCase();
  if (cd === 'luhn') checkDigit = 'luhn';
  else if (cd && cd !== 'none') warn(`Ignoring the barcode check digit setting ${JSON.stringify(raw.checkDigit)}: use 'none' or 'luhn'.`);
  let fineLimit = DEFAULT_FINE_LIMIT_CENTS;
  if (raw.fineLimit !== null && raw.fineLimit.trim() !== '') {
    const n = Number(raw.fineLimit);
    if (Number.isSafeInteger(n) && n >= 0) fineLimit = n;
    else warn(`Ignoring the fine limit ${JSON.stringify(raw.fineLimit)}: it must be a whole number of cents; using ${DEFAULT_FINE_LIMIT_CENTS}.`);
  }
  return {
    barcode_rules: {
      patron: { pattern: pattern(raw.patronPattern, 'patron'), check_digit: checkDigit },
      item: { pattern: pattern(raw.itemPattern, 'item'), check_digit: checkDigit },
    },
    fine_limit_cents: fineLimit,
  };
}

export const libraryVersion = (db: Db): number =>
  db.prepare('SELECT version FROM library_version WHERE id = 1').pluck().get() as number;

/**
 * The snapshot as JSON text, read in one SQLite transaction so the version
 * and the rows agree. The card and item arrays are written by SQLite as one
 * string each; at 100,000 cards and 500,000 items that is ~0.3 s and about
 * twice the text's size in memory, against ~1.5 s and 100 MB of garbage when
 * rows are stringified one by one in JavaScript.
 */
export function snapshotJson(db: Db, settings: SnapshotSettings, now = new Date()): { version: number; json: string; generated_at: string; digest: string } {
  return db.transaction(() => {
    const version = libraryVersion(db);
    const generated_at = now.toISOString();
    const head: Omit<Snapshot, 'patrons' | 'items'> = {
      format: SNAPSHOT_FORMAT,
      generated_at,
      branches: db.prepare(`SELECT b.code, b.name, p.code AS parent FROM branches b
        LEFT JOIN branches p ON p.id = b.parent_id ORDER BY b.code`).all() as Branch[],
      loan_policies: db.prepare(`SELECT item_type, patron_profile, loan_days, max_renewals, daily_fine_cents, max_fine_cents
        FROM loan_policies ORDER BY id`).all() as LoanPolicy[],
      noncat_types: db.prepare('SELECT code, name, loan_days FROM noncat_types ORDER BY code').all() as NoncatType[],
      // Profiles named only by a policy count too: a desk registering a patron may pick one.
      profiles: db.prepare(`SELECT profile FROM patrons
        UNION SELECT patron_profile FROM loan_policies WHERE patron_profile IS NOT NULL ORDER BY 1`).pluck().all() as string[],
      barcode_rules: settings.barcode_rules,
      fine_limit_cents: settings.fine_limit_cents,
    };
    const patrons = db.prepare(`SELECT json_group_array(json_array(c.barcode, p.profile, p.expires_on,
        CASE WHEN p.barred THEN 'barred' WHEN p.inactive THEN 'inactive' WHEN NOT c.active THEN 'lost_card'
             WHEN f.total > ? THEN 'fines' END, p.first_name || ' ' || p.last_name))
      FROM patron_cards c JOIN patrons p ON p.id = c.patron_id
      LEFT JOIN (SELECT patron_id, SUM(amount_cents) AS total FROM bills GROUP BY patron_id) f ON f.patron_id = c.patron_id`)
      .pluck().get(settings.fine_limit_cents) as string;
    // Who each wanted item is wanted for, in the order processing fills holds: one set aside, else the oldest
    // waiting on the copy, else on its title. Materialized: a few thousand rows, looked up once per item.
    const items = db.prepare(`WITH on_item AS (SELECT item_id, patron_id,
            row_number() OVER (PARTITION BY item_id ORDER BY status = 'pending', created_at, id) AS n
          FROM holds WHERE item_id IS NOT NULL AND status IN ('pending', 'captured', 'on_shelf')),
        on_title AS (SELECT title, patron_id, row_number() OVER (PARTITION BY title ORDER BY created_at, id) AS n
          FROM holds WHERE item_id IS NULL AND status = 'pending'),
        wanted AS MATERIALIZED (SELECT i.id AS item_id, coalesce(${activeCardOf('coalesce(oi.patron_id, ot.patron_id)')}, '') AS card
          FROM items i LEFT JOIN on_item oi ON oi.item_id = i.id AND oi.n = 1 LEFT JOIN on_title ot ON ot.title = i.title AND ot.n = 1
          WHERE oi.patron_id IS NOT NULL OR ot.patron_id IS NOT NULL)
      SELECT json_group_array(CASE WHEN w.item_id IS NULL THEN json_array(i.barcode, i.item_type, i.title)
          ELSE json_array(i.barcode, i.item_type, i.title, w.card) END)
      FROM items i LEFT JOIN wanted w ON w.item_id = i.id`).pluck().get() as string;
    const json = `${JSON.stringify(head).slice(0, -1)},"patrons":${patrons},"items":${items}}`;
    // Of the content alone, without the time it was built: a restarted server rebuilding the same data
    // gives the same tag, so no desk downloads it all again.
    const digest = createHash('sha256').update(JSON.stringify({ ...head, generated_at: undefined })).update(patrons).update(items).digest('hex');
    return { version, json, generated_at, digest };
  })();
}

/** Builds the gzipped snapshot once per library version and settings, and serves the cached buffer until either moves. */
export class SnapshotCache {
  private cached: { key: string; built: Promise<BuiltSnapshot> } | undefined;
  private readonly env: NodeJS.ProcessEnv;
  private readonly warn: (message: string) => void;

  constructor(private readonly db: Db, options: SnapshotOptions = {}) {
    this.env = options.env ?? process.env;
    this.warn = options.warn ?? console.warn;
  }

  current(): Promise<BuiltSnapshot> {
    const raw = rawSettings(this.db, this.env);
    const rawKey = JSON.stringify(raw);
    if (this.cached?.key === `${libraryVersion(this.db)}|${rawKey}`) return this.cached.built;
    const { version, json, generated_at, digest } = snapshotJson(this.db, resolveSettings(raw, this.warn));
    const key = `${version}|${rawKey}`;
    const etag = `"snap-${version}-${digest.slice(0, 16)}"`;
    const json_bytes = Buffer.byteLength(json);
    // Compressing runs off the event loop; requests arriving meanwhile share this promise.
    const built = gzip(json).then((buffer): BuiltSnapshot => ({ version, etag, gzip: buffer, generated_at, json_bytes }));
    this.cached = { key, built };
    built.catch(() => { if (this.cached?.built === built) this.cached = undefined; });
    return built;
  }
}
