import { Inject, Injectable } from '@nestjs/common';
import type { Kysely } from 'kysely';
import { DATABASE, type DatabaseHandle } from '../../platform/database/database.js';
import { retryingConflicts } from '../../platform/database/pg-errors.js';
import type { PlatformTables } from '../../platform/database/platform.schema.js';
import type { SchedulingTables } from './scheduling.schema.js';

/** The scheduling schema plus the platform outbox (events commit with the change). */
export type SchedulingDb = Kysely<PlatformTables & SchedulingTables>;

@Injectable()
export class SchedulingDatabase {
  readonly db: SchedulingDb;

  constructor(@Inject(DATABASE) database: DatabaseHandle) {
    this.db = database.db.withTables<SchedulingTables>();
  }

  /**
   * A transaction, run again when PostgreSQL breaks a deadlock by aborting it — concurrent
   * bookings into one exclusion constraint can deadlock; retried, the loser meets the conflict
   * (409) instead of answering 500.
   */
  transaction<T>(work: (trx: SchedulingDb) => Promise<T>): Promise<T> {
    return retryingConflicts(() => this.db.transaction().execute(work));
  }
}
