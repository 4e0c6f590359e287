/**
 * The SQL functions the offline data's queries use to write format 5's
 * columns: the encoders of shared/snapshot-columns.ts, so the server writes
 * exactly what the desk reads back. The snapshot worker's connection gets
 * them from their source text (a worker cannot share functions), the main
 * connection (in-memory databases, tests) directly.
 */
import type { Db } from '../../db/open.js';
import { frontCode, packDigits, packWidth } from '../../../shared/snapshot-columns.js';

const FUNCTIONS = { snap_front: frontCode, snap_pack: packDigits, snap_width: packWidth } as const;

/** Name → source text of a self-contained function, for the worker to define on its own connection. */
export const snapshotFunctionSources = (): Record<string, string> =>
  Object.fromEntries(Object.entries(FUNCTIONS).map(([name, fn]) => [name, fn.toString()]));

export function registerSnapshotFunctions(db: Db): void {
  for (const [name, fn] of Object.entries(FUNCTIONS)) db.function(name, { deterministic: true }, fn as (...args: unknown[]) => unknown);
}
