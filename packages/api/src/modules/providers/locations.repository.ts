import { Injectable } from '@nestjs/common';
import { sql, type Insertable, type Selectable } from 'kysely';
import { GenerateSql } from '../../platform/database/generate-sql.js';
import { ProvidersDatabase, type ProvidersDb } from './providers.database.js';
import type { LocationTable } from './providers.schema.js';

export type LocationRow = Selectable<LocationTable>;
export type NewLocation = Insertable<LocationTable>;
export type LocationChanges = Partial<
  Pick<
    LocationRow,
    | 'name'
    | 'address_line1'
    | 'address_line2'
    | 'city'
    | 'state'
    | 'postal_code'
    | 'phone'
    | 'county'
    | 'active'
  >
>;

const EXAMPLE_PROVIDER = '0de70000-0000-4000-8000-0000000f0001';
const EXAMPLE_LOCATION = '0de70000-0000-4000-8000-0000000f0101';

/** A provider's service locations. */
@Injectable()
export class LocationsRepository {
  constructor(private readonly database: ProvidersDatabase) {}

  private get db(): ProvidersDb {
    return this.database.db;
  }

  @GenerateSql({ params: [EXAMPLE_PROVIDER] })
  async locationsOf(providerId: string): Promise<LocationRow[]> {
    return this.db
      .selectFrom('providers.locations')
      .selectAll()
      .where('provider_id', '=', providerId)
      .orderBy('name')
      .orderBy('id')
      .execute();
  }

  @GenerateSql({ params: [EXAMPLE_LOCATION] })
  async find(id: string): Promise<LocationRow | undefined> {
    return this.db.selectFrom('providers.locations').selectAll().where('id', '=', id).executeTakeFirst();
  }

  @GenerateSql({
    params: [
      {
        id: EXAMPLE_LOCATION,
        provider_id: EXAMPLE_PROVIDER,
        name: 'Main office',
        address_line1: '1 Main St',
        address_line2: null,
        city: 'Madison',
        state: 'WI',
        postal_code: '53703',
        phone: '608-555-0100',
        county: 'Dane',
        active: true,
      },
    ],
  })
  async insert(location: NewLocation): Promise<void> {
    await this.db.insertInto('providers.locations').values(location).execute();
  }

  /** Applies the changes when the row is still at `version`; false when it moved on. */
  @GenerateSql({ params: [EXAMPLE_LOCATION, { active: false }, 1] })
  async update(id: string, changes: LocationChanges, version: number): Promise<boolean> {
    const result = await this.db
      .updateTable('providers.locations')
      .set({ ...changes, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }
}
