/**
 * Fills an open offline session with a generated mix, the way uploads
 * would: each workstation's transactions go through the server's own
 * SessionsRepo.ingest (validation, duplicate check, the same columns) in
 * chunks, without HTTP in between — the ingest over HTTP is measured apart.
 */
import type { Db } from '../server/db/open.js';
import { SessionsRepo } from '../server/repo/sessions-repo.js';
import type { OfflineTransaction } from '../shared/transaction.js';
import { TransactionMix } from './mix.js';
import { SESSION_START } from './dataset.js';

export interface PreparedSession { sessionId: number; accepted: number; rejected: number; seconds: number }

const CHUNK = 1000;

export function prepareSession(db: Db, options: { count: number; seed: number; name: string; branchId: number; adminId: number }): PreparedSession {
  const started = performance.now();
  const sessions = new SessionsRepo(db);
  const sessionId = sessions.create(options.name, options.branchId, options.adminId, true);
  const mix = new TransactionMix(db, { seed: options.seed, desksPerBranch: 2, start: SESSION_START, stepMs: 360 });
  const pending = new Map<string, OfflineTransaction[]>();
  let accepted = 0;
  let rejected = 0;
  const flush = (workstation: string, list: OfflineTransaction[]) => {
    // The device's clock is right: no skew correction.
    const reply = sessions.ingest(sessionId, workstation, list[0].staff, new Date().toISOString(), list);
    accepted += reply.accepted.length;
    rejected += reply.rejected.length;
    if (reply.rejected.length) throw new Error(`the generated mix was refused: ${JSON.stringify(reply.rejected.slice(0, 3))}`);
  };
  for (let i = 0; i < options.count; i++) {
    const tx = mix.next();
    let list = pending.get(tx.workstation);
    if (!list) pending.set(tx.workstation, (list = []));
    list.push(tx);
    if (list.length >= CHUNK) { flush(tx.workstation, list); pending.set(tx.workstation, []); }
  }
  for (const [workstation, list] of pending) if (list.length) flush(workstation, list);
  return { sessionId, accepted, rejected, seconds: (performance.now() - started) / 1000 };
}
