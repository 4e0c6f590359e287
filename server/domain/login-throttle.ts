/**
 * Slows password guessing: failed logins are counted per account and per
 * address over a window; past the limit, logins are refused with the time
 * to wait. Only failures count, so a busy desk logging in is never slowed;
 * @fastify/rate-limit counts every request, which is why this is our own.
 */
export interface ThrottleLimits { perAccount: number; perAddress: number; windowMs: number }

export const DEFAULT_LIMITS: ThrottleLimits = { perAccount: 5, perAddress: 20, windowMs: 15 * 60_000 };

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly limits: ThrottleLimits = DEFAULT_LIMITS, private readonly now: () => number = Date.now) {}

  private recent(key: string): number[] {
    const since = this.now() - this.limits.windowMs;
    const list = (this.failures.get(key) ?? []).filter((t) => t > since);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }

  /** Seconds to wait before trying again, or 0 when a login may be tried now. */
  retryAfter(username: string, address: string): number {
    let wait = 0;
    for (const [key, limit] of [[`u:${username.toLowerCase()}`, this.limits.perAccount], [`a:${address}`, this.limits.perAddress]] as const) {
      const list = this.recent(key);
      if (list.length >= limit) wait = Math.max(wait, Math.ceil((list[0] + this.limits.windowMs - this.now()) / 1000));
    }
    return wait;
  }

  fail(username: string, address: string): void {
    for (const key of [`u:${username.toLowerCase()}`, `a:${address}`]) {
      const list = this.recent(key);
      list.push(this.now());
      this.failures.set(key, list);
    }
  }

  /** A successful login clears the account's failures (not the address's: one right guess must not reset a spray). */
  succeed(username: string): void {
    this.failures.delete(`u:${username.toLowerCase()}`);
  }
}
