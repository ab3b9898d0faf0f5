import { Inject, Injectable } from '@nestjs/common';
import type { Kysely } from 'kysely';
import { DATABASE, type DatabaseHandle } from '../../platform/database/database.js';
import type { PlatformTables } from '../../platform/database/platform.schema.js';
import type { IdentityTables } from './identity.schema.js';

/** The identity schema plus the platform outbox (events commit with the change). */
export type IdentityDb = Kysely<PlatformTables & IdentityTables>;

/** Typed access for the identity repositories, and the transactions that span them. */
@Injectable()
export class IdentityDatabase {
  readonly db: IdentityDb;

  constructor(@Inject(DATABASE) database: DatabaseHandle) {
    this.db = database.db.withTables<IdentityTables>();
  }

  transaction<T>(work: (trx: IdentityDb) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }
}
