import { Inject, Injectable } from '@nestjs/common';
import type { Kysely } from 'kysely';
import { DATABASE, type DatabaseHandle } from '../../platform/database/database.js';
import type { PlatformTables } from '../../platform/database/platform.schema.js';
import type { DocumentsTables } from './documents.schema.js';

/** The documents schema plus the platform outbox (events commit with the change). */
export type DocumentsDb = Kysely<PlatformTables & DocumentsTables>;

@Injectable()
export class DocumentsDatabase {
  readonly db: DocumentsDb;

  constructor(@Inject(DATABASE) database: DatabaseHandle) {
    this.db = database.db.withTables<DocumentsTables>();
  }

  transaction<T>(work: (trx: DocumentsDb) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }
}
