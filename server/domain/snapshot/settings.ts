/**
 * The library settings desks carry offline (barcode rules, the fine limit), as
 * stored in library_settings with the OFFLINE_CIRC_* environment variables
 * taking precedence; processing reads the fine limit from here too, so a desk
 * warns at the limit processing applies.
 */
import type { Db } from '../../db/open.js';
import type { BarcodeRule, Snapshot } from '../../../shared/snapshot.js';

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
