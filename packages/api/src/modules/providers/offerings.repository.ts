import { Injectable } from '@nestjs/common';
import { sql, type Insertable, type Selectable } from 'kysely';
import { GenerateSql } from '../../platform/database/generate-sql.js';
import { ProvidersDatabase, type ProvidersDb } from './providers.database.js';
import type { ServiceOfferingTable } from './providers.schema.js';

export type ServiceOfferingRow = Selectable<ServiceOfferingTable>;
export type NewServiceOffering = Insertable<ServiceOfferingTable>;
export type ServiceOfferingChanges = Partial<
  Pick<
    ServiceOfferingRow,
    'service_code' | 'modifiers' | 'description' | 'program_id' | 'unit_type' | 'active'
  >
>;

const EXAMPLE_PROVIDER = '0de70000-0000-4000-8000-0000000f0001';
const EXAMPLE_OFFERING = '0de70000-0000-4000-8000-0000000f0201';

/** The services a provider offers, by procedure code and modifiers. */
@Injectable()
export class OfferingsRepository {
  constructor(private readonly database: ProvidersDatabase) {}

  private get db(): ProvidersDb {
    return this.database.db;
  }

  @GenerateSql({ params: [EXAMPLE_PROVIDER] })
  async offeringsOf(providerId: string): Promise<ServiceOfferingRow[]> {
    return this.db
      .selectFrom('providers.service_offerings')
      .selectAll()
      .where('provider_id', '=', providerId)
      .orderBy('service_code')
      .orderBy('modifiers')
      .orderBy('id')
      .execute();
  }

  @GenerateSql({ params: [EXAMPLE_OFFERING] })
  async find(id: string): Promise<ServiceOfferingRow | undefined> {
    return this.db
      .selectFrom('providers.service_offerings')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
  }

  @GenerateSql({
    params: [
      {
        id: EXAMPLE_OFFERING,
        provider_id: EXAMPLE_PROVIDER,
        service_code: 'H0004',
        modifiers: ['HO'],
        description: 'Behavioral health counseling, per 15 minutes',
        program_id: null,
        unit_type: '15min',
        active: true,
      },
    ],
  })
  async insert(offering: NewServiceOffering): Promise<void> {
    await this.db.insertInto('providers.service_offerings').values(offering).execute();
  }

  /** Applies the changes when the row is still at `version`; false when it moved on. */
  @GenerateSql({ params: [EXAMPLE_OFFERING, { active: false }, 1] })
  async update(id: string, changes: ServiceOfferingChanges, version: number): Promise<boolean> {
    const result = await this.db
      .updateTable('providers.service_offerings')
      .set({ ...changes, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }
}
