import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/open.js';

const IDLE_MS = 12 * 3600_000;
const ABSOLUTE_MS = 7 * 24 * 3600_000;

const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/**
 * Login sessions. The cookie carries a random token; only its hash is stored,
 * so a copy of the database does not let anyone log in.
 */
export class AuthRepo {
  constructor(private readonly db: Db) {}

  create(staffId: number, now = Date.now()): { token: string; expiresAt: number } {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = now + ABSOLUTE_MS;
    this.db.prepare('INSERT INTO auth_sessions (token_hash, staff_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)')
      .run(hashToken(token), staffId, now, now, expiresAt);
    return { token, expiresAt };
  }

  /** The staff id for a live token, sliding its idle timeout; undefined when expired or unknown. */
  resolve(token: string, now = Date.now()): number | undefined {
    const hash = hashToken(token);
    const row = this.db.prepare('SELECT staff_id, last_seen_at, expires_at FROM auth_sessions WHERE token_hash = ?')
      .get(hash) as { staff_id: number; last_seen_at: number; expires_at: number } | undefined;
    if (!row) return undefined;
    if (now > row.expires_at || now - row.last_seen_at > IDLE_MS) {
      this.revoke(token);
      return undefined;
    }
    if (now - row.last_seen_at > 60_000) {
      this.db.prepare('UPDATE auth_sessions SET last_seen_at = ? WHERE token_hash = ?').run(now, hash);
    }
    return row.staff_id;
  }

  /** Ends every login of an account: on disable and on a password reset. */
  revokeAll(staffId: number): void {
    this.db.prepare('DELETE FROM auth_sessions WHERE staff_id = ?').run(staffId);
  }

  revoke(token: string): void {
    this.db.prepare('DELETE FROM auth_sessions WHERE token_hash = ?').run(hashToken(token));
  }
}
