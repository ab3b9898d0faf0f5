/**
 * Reading PostgreSQL errors (from `pg` and from PGlite alike: both carry the server's SQLSTATE in
 * `code` and the violated constraint's name in `constraint`), so a service can turn a constraint
 * the database enforced into the problem the caller should see instead of a 500.
 */

/** The SQLSTATE of a database error, or undefined for anything else. */
export function sqlState(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  const code = (err as { code: unknown }).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** The name of the constraint (or unique index) a database error reports, if any. */
export function violatedConstraint(err: unknown): string | undefined {
  if (sqlState(err) === undefined) return undefined;
  const constraint = (err as { constraint?: unknown }).constraint;
  return typeof constraint === 'string' ? constraint : undefined;
}

/** The server's DETAIL line of a database error (which key or range clashed), or ''. */
export function errorDetail(err: unknown): string {
  if (sqlState(err) === undefined) return '';
  const detail = (err as { detail?: unknown }).detail;
  return typeof detail === 'string' ? detail : '';
}

/** 23505: a unique constraint or unique index refused the row — optionally, that one. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  return sqlState(err) === '23505' && (constraint === undefined || violatedConstraint(err) === constraint);
}

/** 23P01: an exclusion constraint (overlapping ranges) refused the row — optionally, that one. */
export function isExclusionViolation(err: unknown, constraint?: string): boolean {
  return sqlState(err) === '23P01' && (constraint === undefined || violatedConstraint(err) === constraint);
}

/**
 * 40P01 (deadlock detected) and 40001 (serialization failure): the database gave up on one of two
 * transactions that got in each other's way; run again, it goes through or meets the conflict
 * properly (two bookings inserting into the same exclusion constraint can deadlock this way).
 */
export function isRetryableConflict(err: unknown): boolean {
  const state = sqlState(err);
  return state === '40P01' || state === '40001';
}

/**
 * Runs a whole transaction, and again (up to `attempts` times, after a short random pause) when
 * the database aborted it for a deadlock or serialization failure. Only for work whose every
 * effect is inside the transaction: a retried attempt starts from nothing.
 */
export async function retryingConflicts<T>(run: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (attempt >= attempts || !isRetryableConflict(err)) throw err;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
}
