import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DEMO_AGENCY, DEMO_PROGRAM_IDS } from '../../identity/demo.js';
import { DEMO_PROVIDERS } from '../../providers/demo.js';
import { SchedulingDatabase } from '../scheduling.database.js';
import { ResourcesRepository } from './resources.repository.js';

/** Fixed ids, so other demo data and tests can refer to them. */
export const DEMO_ROOMS = [
  {
    id: '0de70000-0000-4000-8000-0000000e0101',
    name: 'Room 101 (counseling)',
    location: 'Main office, 1st floor',
  },
  {
    id: '0de70000-0000-4000-8000-0000000e0102',
    name: 'Room 102 (counseling)',
    location: 'Main office, 1st floor',
  },
  { id: '0de70000-0000-4000-8000-0000000e0201', name: 'Intake room', location: 'Main office, front desk' },
] as const;

export const DEMO_APPOINTMENT_TYPES = [
  {
    id: '0de70000-0000-4000-8000-0000000e3101',
    code: 'intake',
    name: 'Intake',
    duration: 60,
    after: 0,
    telehealth: true,
  },
  {
    id: '0de70000-0000-4000-8000-0000000e3102',
    code: 'individual-therapy',
    name: 'Individual therapy',
    duration: 50,
    after: 10,
    telehealth: true,
  },
  {
    id: '0de70000-0000-4000-8000-0000000e3103',
    code: 'case-management',
    name: 'Case management',
    duration: 30,
    after: 0,
    telehealth: false,
  },
] as const;

/** A bookable resource for each demo provider (providers/demo.ts), on the same hours as the rooms. */
export const DEMO_PROVIDER_RESOURCES = DEMO_PROVIDERS.map((p, i) => ({
  id: `0de70000-0000-4000-8000-0000000e050${i + 1}`,
  providerId: p.id,
  name: p.name,
}));

/**
 * The demo agency's rooms and its clinicians as provider resources (Mon–Fri 08:00–17:00 in the
 * agency's zone), and its appointment types.
 */
@Injectable()
export class AppointmentsSeeder {
  constructor(
    private readonly database: SchedulingDatabase,
    private readonly resources: ResourcesRepository,
  ) {}

  async run(): Promise<void> {
    if (await this.resources.findById(DEMO_ROOMS[0].id)) return;
    const resources = [
      ...DEMO_ROOMS.map((room) => ({
        id: room.id,
        kind: 'room' as const,
        provider_id: null,
        name: room.name,
        location: room.location as string | null,
      })),
      ...DEMO_PROVIDER_RESOURCES.map((p) => ({
        id: p.id,
        kind: 'provider' as const,
        provider_id: p.providerId,
        name: p.name,
        location: null,
      })),
    ];
    await this.database.transaction(async (trx) => {
      for (const room of resources) {
        await this.resources.insert(
          {
            id: room.id,
            agency_id: DEMO_AGENCY.id,
            kind: room.kind,
            provider_id: room.provider_id,
            name: room.name,
            program_id: DEMO_PROGRAM_IDS.bh,
            location: room.location,
          },
          trx,
        );
        await this.resources.replaceHours(
          room.id,
          [1, 2, 3, 4, 5].map((weekday) => ({
            id: randomUUID(),
            resource_id: room.id,
            weekday,
            starts_at: '08:00',
            ends_at: '17:00',
            effective_from: null,
            effective_to: null,
          })),
          trx,
        );
      }
    });
    for (const type of DEMO_APPOINTMENT_TYPES) {
      await this.resources.insertType({
        id: type.id,
        agency_id: DEMO_AGENCY.id,
        code: type.code,
        name: type.name,
        duration_minutes: type.duration,
        buffer_before_minutes: 0,
        buffer_after_minutes: type.after,
        allowed_resource_kinds: ['provider', 'room'],
        telehealth_allowed: type.telehealth,
      });
    }
  }
}
