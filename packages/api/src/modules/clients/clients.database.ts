import { Inject, Injectable } from '@nestjs/common';
import type { Kysely } from 'kysely';
import { DATABASE, type DatabaseHandle } from '../../platform/database/database.js';
import type { PlatformTables } from '../../platform/database/platform.schema.js';
import type { ClientsTables } from './clients.schema.js';

/** The clients.schema plus the platform outbox (events commit with the change). */
export type ClientsDb = Kysely<PlatformTables & ClientsTables>;

@Injectable()
export class ClientsDatabase {
  readonly db: ClientsDb;

  constructor(@Inject(DATABASE) database: DatabaseHandle) {
    this.db = database.db.withTables<ClientsTables>();
  }

  transaction<T>(work: (trx: ClientsDb) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }
}
