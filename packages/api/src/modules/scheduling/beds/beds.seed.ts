import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DEMO_CLIENTS } from '../../clients/demo.js';
import { DEMO_AGENCY, DEMO_PROGRAM_IDS, DEMO_USERS } from '../../identity/demo.js';
import { SchedulingDatabase, type SchedulingDb } from '../scheduling.database.js';
import { BedBoardRepository } from './bed-board.repository.js';
import type { BedAction, BedState, GenderRestriction, LevelOfCare } from './beds.schema.js';
import { FacilitiesRepository } from './facilities.repository.js';

/** The demo facility: fixed ids so tests and the e2e suite can open its board. */
export const DEMO_FACILITY_ID = '0de70000-0000-4000-8000-0000000bf001';
const demoId = (n: number) => `0de70000-0000-4000-8000-0000000bf${String(n).padStart(3, '0')}`;
/** Fixed ids of the demo layout (the SQL review examples use them). */
export const DEMO_BED_IDS = {
  unitNorth: demoId(101),
  roomN101: demoId(201),
  /** N-101 B, available in the demo. */
  n101B: demoId(302),
} as const;

interface DemoBed {
  id: string;
  label: string;
  state: BedState;
  reason?: string;
  occupantId?: string;
}
interface DemoRoom {
  id: string;
  name: string;
  genderRestriction: GenderRestriction;
  accessible: boolean;
  beds: DemoBed[];
}
interface DemoUnit {
  id: string;
  name: string;
  levelOfCare: LevelOfCare;
  rooms: DemoRoom[];
}

const [maria, james] = DEMO_CLIENTS;
const SCHEDULER = DEMO_USERS.find((u) => u.role === 'scheduler')?.id ?? 'system';

const UNITS: DemoUnit[] = [
  {
    id: demoId(101),
    name: 'North Unit',
    levelOfCare: 'crisis_stabilization',
    rooms: [
      {
        id: demoId(201),
        name: 'N-101',
        genderRestriction: 'female',
        accessible: true,
        beds: [
          { id: demoId(301), label: 'A', state: 'occupied', occupantId: maria?.id },
          { id: demoId(302), label: 'B', state: 'available' },
        ],
      },
      {
        id: demoId(202),
        name: 'N-102',
        genderRestriction: 'none',
        accessible: false,
        beds: [
          { id: demoId(303), label: 'A', state: 'cleaning' },
          { id: demoId(304), label: 'B', state: 'available' },
        ],
      },
    ],
  },
  {
    id: demoId(102),
    name: 'South Unit',
    levelOfCare: 'detox',
    rooms: [
      {
        id: demoId(203),
        name: 'S-201',
        genderRestriction: 'male',
        accessible: false,
        beds: [
          { id: demoId(305), label: 'A', state: 'occupied', occupantId: james?.id },
          { id: demoId(306), label: 'B', state: 'available' },
        ],
      },
      {
        id: demoId(204),
        name: 'S-202',
        genderRestriction: 'none',
        accessible: true,
        beds: [
          { id: demoId(307), label: 'A', state: 'out_of_service', reason: 'Bed frame repair' },
          { id: demoId(308), label: 'B', state: 'available' },
        ],
      },
    ],
  },
];

/** Loads the demo facility (Crisis Stabilization Center, BH program) once. */
@Injectable()
export class BedsSeeder {
  constructor(
    private readonly database: SchedulingDatabase,
    private readonly facilities: FacilitiesRepository,
    private readonly beds: BedBoardRepository,
  ) {}

  async run(): Promise<void> {
    if (await this.facilities.findFacility(DEMO_FACILITY_ID)) return;
    await this.database.transaction(async (trx) => {
      await this.facilities.insertFacility(
        {
          id: DEMO_FACILITY_ID,
          agency_id: DEMO_AGENCY.id,
          program_id: DEMO_PROGRAM_IDS.bh,
          name: 'Crisis Stabilization Center',
          address: '1202 Northport Dr, Madison, WI 53704',
        },
        trx,
      );
      for (const unit of UNITS) {
        const unitId = unit.id;
        await this.facilities.insertUnit(
          { id: unitId, facility_id: DEMO_FACILITY_ID, name: unit.name, level_of_care: unit.levelOfCare },
          trx,
        );
        for (const room of unit.rooms) {
          const roomId = room.id;
          await this.facilities.insertRoom(
            {
              id: roomId,
              unit_id: unitId,
              name: room.name,
              gender_restriction: room.genderRestriction,
              accessible: room.accessible,
            },
            trx,
          );
          for (const bed of room.beds) await this.seedBed(trx, unitId, roomId, bed);
        }
      }
    });
  }

  private async seedBed(trx: SchedulingDb, unitId: string, roomId: string, bed: DemoBed): Promise<void> {
    const bedId = bed.id;
    await this.facilities.insertBed(
      {
        id: bedId,
        room_id: roomId,
        unit_id: unitId,
        facility_id: DEMO_FACILITY_ID,
        label: bed.label,
        state: bed.state,
        state_reason: bed.reason ?? null,
      },
      trx,
    );
    const event = (
      action: BedAction,
      to: BedState,
      more: { client_id?: string; admission_id?: string } = {},
    ) =>
      this.beds.insertEvent(
        {
          id: randomUUID(),
          bed_id: bedId,
          facility_id: DEMO_FACILITY_ID,
          action,
          from_state: action === 'created' ? null : 'available',
          to_state: to,
          actor_id: SCHEDULER,
          reason: bed.reason ?? null,
          ...more,
        },
        trx,
      );
    await event('created', 'available');
    if (bed.occupantId) {
      const admissionId = randomUUID();
      await this.beds.insertAdmission(
        {
          id: admissionId,
          agency_id: DEMO_AGENCY.id,
          facility_id: DEMO_FACILITY_ID,
          client_id: bed.occupantId,
          admitted_by: SCHEDULER,
          reason: 'Demo admission',
        },
        trx,
      );
      await this.beds.openAssignment(
        { id: randomUUID(), bedId, clientId: bed.occupantId, admissionId, startedBy: SCHEDULER },
        trx,
      );
      await event('admit', 'occupied', { client_id: bed.occupantId, admission_id: admissionId });
    } else if (bed.state === 'out_of_service') {
      await event('out_of_service', 'out_of_service');
    } else if (bed.state === 'cleaning') {
      await event('discharge', 'cleaning');
    }
  }
}
