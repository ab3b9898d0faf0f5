import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { GenerateSql } from '../../../platform/database/generate-sql.js';
import { IdentityDatabase, type IdentityDb } from '../identity.database.js';

/** Sign-in attempts and the lockout state they drive on the user row. */
@Injectable()
export class LoginAttemptsRepository {
  constructor(private readonly database: IdentityDatabase) {}

  private get db(): IdentityDb {
    return this.database.db;
  }

  @GenerateSql({
    params: [
      {
        userId: '0de70000-0000-4000-8000-00000000c004',
        ip: '203.0.113.7',
        succeeded: false,
        reason: 'invalid_password',
      },
    ],
  })
  async recordAttempt(attempt: {
    userId: string | null;
    ip: string | null;
    succeeded: boolean;
    reason: string | null;
  }): Promise<void> {
    await this.db
      .insertInto('identity.login_attempts')
      .values({
        user_id: attempt.userId,
        ip: attempt.ip,
        succeeded: attempt.succeeded,
        reason: attempt.reason,
      })
      .execute();
  }

  /** Failures that count toward lockout: within the window and since the count last restarted. */
  @GenerateSql({
    params: ['0de70000-0000-4000-8000-00000000c004', 900, ['invalid_password', 'invalid_mfa_code']],
  })
  async countRecentFailures(
    userId: string,
    windowSeconds: number,
    reasons: readonly string[],
  ): Promise<number> {
    const row = await this.db
      .selectFrom('identity.login_attempts as a')
      .innerJoin('identity.users as u', 'u.id', 'a.user_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('a.user_id', '=', userId)
      .where('a.succeeded', '=', false)
      .where('a.reason', 'in', [...reasons])
      .where('a.attempted_at', '>', sql<Date>`now() - make_interval(secs => ${windowSeconds})`)
      .where((eb) =>
        eb.or([
          eb('u.failures_counted_from', 'is', null),
          eb('a.attempted_at', '>', eb.ref('u.failures_counted_from')),
        ]),
      )
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Locks the account for the window; false when it was already locked (someone else did it). */
  @GenerateSql({ params: ['0de70000-0000-4000-8000-00000000c004', 900] })
  async lock(userId: string, windowSeconds: number): Promise<boolean> {
    const row = await this.db
      .updateTable('identity.users')
      .set({
        locked_until: sql<Date>`now() + make_interval(secs => ${windowSeconds})`,
        failures_counted_from: sql<Date>`now()`,
      })
      .where('id', '=', userId)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', sql<Date>`now()`)]))
      .returning('id')
      .executeTakeFirst();
    return !!row;
  }

  /** Successful sign-in (or a password reset): failures start counting afresh. */
  @GenerateSql({ name: 'signed in', params: ['0de70000-0000-4000-8000-00000000c004', { loggedIn: true }] })
  @GenerateSql({
    name: 'password reset',
    params: ['0de70000-0000-4000-8000-00000000c004', { loggedIn: false }],
  })
  async clearFailures(userId: string, opts: { loggedIn: boolean }, db: IdentityDb = this.db): Promise<void> {
    await db
      .updateTable('identity.users')
      .set({
        failures_counted_from: sql<Date>`now()`,
        locked_until: null,
        ...(opts.loggedIn ? { last_login_at: sql<Date>`now()` } : {}),
      })
      .where('id', '=', userId)
      .execute();
  }
}
