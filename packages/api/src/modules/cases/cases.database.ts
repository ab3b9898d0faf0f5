import { Inject, Injectable } from '@nestjs/common';
import type { Kysely } from 'kysely';
import { DATABASE, type DatabaseHandle } from '../../platform/database/database.js';
import type { PlatformTables } from '../../platform/database/platform.schema.js';
import type { CasesTables } from './cases.schema.js';

/** The cases schema plus the platform outbox (events commit with the change). */
export type CasesDb = Kysely<PlatformTables & CasesTables>;

@Injectable()
export class CasesDatabase {
  readonly db: CasesDb;

  constructor(@Inject(DATABASE) database: DatabaseHandle) {
    this.db = database.db.withTables<CasesTables>();
  }

  transaction<T>(work: (trx: CasesDb) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }
}
