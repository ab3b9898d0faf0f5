import { Injectable } from '@nestjs/common';
import { sql, type Selectable } from 'kysely';
import { GenerateSql } from '../../../platform/database/generate-sql.js';
import { IdentityDatabase, type IdentityDb } from '../identity.database.js';
import type { RefreshTokenTable, SessionTable } from '../identity.schema.js';
import { isUuid, onlyUuids } from '../../../platform/database/ids.js';

export type SessionRow = Selectable<SessionTable>;
export type RefreshTokenRow = Selectable<RefreshTokenTable>;

/** Sign-in sessions (refresh-token families) and their refresh tokens, stored hashed. */
@Injectable()
export class SessionsRepository {
  constructor(private readonly database: IdentityDatabase) {}

  private get db(): IdentityDb {
    return this.database.db;
  }

  @GenerateSql({
    params: [
      {
        id: '0de70000-0000-4000-8000-00000000e0a1',
        user_id: '0de70000-0000-4000-8000-00000000c004',
        ip: '203.0.113.7',
        user_agent: 'Mozilla/5.0',
        amr: ['pwd', 'otp'],
      },
    ],
  })
  async create(
    session: { id: string; user_id: string; ip: string | null; user_agent: string | null; amr: string[] },
    db: IdentityDb = this.db,
  ): Promise<void> {
    await db.insertInto('identity.sessions').values(session).execute();
  }

  @GenerateSql({ params: ['0de70000-0000-4000-8000-00000000e0a1'] })
  async find(id: string, db: IdentityDb = this.db): Promise<SessionRow | undefined> {
    if (!isUuid(id)) return undefined;
    return db.selectFrom('identity.sessions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Sessions not revoked whose refresh token is still usable, newest first. */
  @GenerateSql({ params: ['0de70000-0000-4000-8000-00000000c004'] })
  async listLive(userId: string): Promise<SessionRow[]> {
    if (!isUuid(userId)) return [];
    return this.db
      .selectFrom('identity.sessions as s')
      .selectAll('s')
      .where('s.user_id', '=', userId)
      .where('s.revoked_at', 'is', null)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('identity.refresh_tokens as r')
            .select(sql.lit(1).as('one'))
            .whereRef('r.session_id', '=', 's.id')
            .where('r.used_at', 'is', null)
            .where('r.expires_at', '>', sql<Date>`now()`),
        ),
      )
      .orderBy('s.last_used_at', 'desc')
      .execute();
  }

  @GenerateSql({ params: ['0de70000-0000-4000-8000-00000000e0a1'] })
  async touch(id: string, db: IdentityDb = this.db): Promise<void> {
    await db
      .updateTable('identity.sessions')
      .set({ last_used_at: sql<Date>`now()` })
      .where('id', '=', id)
      .execute();
  }

  /** Revokes the given sessions of a user (all when `ids` is omitted) and returns the ids it revoked. */
  @GenerateSql({
    name: 'every session',
    params: ['0de70000-0000-4000-8000-00000000c004', 'password_changed'],
  })
  @GenerateSql({
    name: 'some sessions, except the current one',
    params: [
      '0de70000-0000-4000-8000-00000000c004',
      'logout',
      {
        ids: ['0de70000-0000-4000-8000-00000000e0a1', '0de70000-0000-4000-8000-00000000e0a2'],
        except: '0de70000-0000-4000-8000-00000000e0a2',
      },
    ],
  })
  async revoke(
    userId: string,
    reason: string,
    opts: { ids?: readonly string[]; except?: string | null } = {},
    db: IdentityDb = this.db,
  ): Promise<string[]> {
    const ids = opts.ids ? onlyUuids(opts.ids) : undefined;
    if (!isUuid(userId) || (ids && ids.length === 0)) return [];
    let query = db
      .updateTable('identity.sessions')
      .set({ revoked_at: sql<Date>`now()`, revoked_reason: reason })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null);
    if (ids) query = query.where('id', 'in', ids);
    if (opts.except && isUuid(opts.except)) query = query.where('id', '!=', opts.except);
    const rows = await query.returning('id').execute();
    return rows.map((r) => r.id);
  }

  /** Sessions revoked recently enough that access tokens issued to them may still be alive. */
  @GenerateSql({ params: [900] })
  async revokedSince(seconds: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('identity.sessions')
      .select('id')
      .where('revoked_at', '>', sql<Date>`now() - make_interval(secs => ${seconds})`)
      .execute();
    return rows.map((r) => r.id);
  }

  @GenerateSql({
    params: [
      {
        token_hash: 'refresh-hash',
        session_id: '0de70000-0000-4000-8000-00000000e0a1',
        expires_at: new Date('2030-01-01T00:00:00Z'),
      },
    ],
  })
  async insertRefreshToken(
    token: { token_hash: string; session_id: string; expires_at: Date },
    db: IdentityDb = this.db,
  ): Promise<void> {
    await db.insertInto('identity.refresh_tokens').values(token).execute();
  }

  /** Marks an unused, unexpired refresh token used — atomically, so it can be spent once. */
  @GenerateSql({ params: ['refresh-hash'] })
  useRefreshToken(tokenHash: string, db: IdentityDb = this.db): Promise<{ session_id: string } | undefined> {
    return db
      .updateTable('identity.refresh_tokens')
      .set({ used_at: sql<Date>`now()` })
      .where('token_hash', '=', tokenHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', sql<Date>`now()`)
      .returning('session_id')
      .executeTakeFirst();
  }

  @GenerateSql({ params: ['refresh-hash'] })
  findRefreshToken(tokenHash: string, db: IdentityDb = this.db): Promise<RefreshTokenRow | undefined> {
    return db
      .selectFrom('identity.refresh_tokens')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
  }
}
