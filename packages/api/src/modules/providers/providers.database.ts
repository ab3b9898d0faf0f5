import { Inject, Injectable } from '@nestjs/common';
import type { Kysely } from 'kysely';
import { DATABASE, type DatabaseHandle } from '../../platform/database/database.js';
import type { PlatformTables } from '../../platform/database/platform.schema.js';
import type { ProvidersTables } from './providers.schema.js';

/** The providers schema plus the platform outbox (events commit with the change). */
export type ProvidersDb = Kysely<PlatformTables & ProvidersTables>;

@Injectable()
export class ProvidersDatabase {
  readonly db: ProvidersDb;

  constructor(@Inject(DATABASE) database: DatabaseHandle) {
    this.db = database.db.withTables<ProvidersTables>();
  }

  transaction<T>(work: (trx: ProvidersDb) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }
}
