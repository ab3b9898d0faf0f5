import type { ColumnType } from 'kysely';

/** Table types for the bed board side of the scheduling schema. */
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Version = ColumnType<number, number | undefined, number>;
type Optional<T> = ColumnType<T | null, T | null | undefined, T | null>;
type OptionalTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export const BED_STATES = ['available', 'held', 'occupied', 'cleaning', 'out_of_service'] as const;
export type BedState = (typeof BED_STATES)[number];
export const LEVELS_OF_CARE = [
  'crisis_stabilization',
  'detox',
  'residential',
  'inpatient',
  'respite',
] as const;
export type LevelOfCare = (typeof LEVELS_OF_CARE)[number];
export const GENDER_RESTRICTIONS = ['none', 'female', 'male'] as const;
export type GenderRestriction = (typeof GENDER_RESTRICTIONS)[number];
export const HOLD_ENDINGS = ['admitted', 'released', 'expired'] as const;
/** What happened to a bed, as recorded in its history. */
export const BED_ACTIONS = [
  'created',
  'admit',
  'transfer_out',
  'transfer_in',
  'discharge',
  'clean',
  'hold',
  'release',
  'expire',
  'out_of_service',
  'in_service',
] as const;
export type BedAction = (typeof BED_ACTIONS)[number];

export type FacilityTable = {
  id: string;
  agency_id: string;
  program_id: string;
  name: string;
  address: Optional<string>;
  version: Version;
  created_at: CreatedAt;
  updated_at: Timestamp;
};

export type UnitTable = {
  id: string;
  facility_id: string;
  name: string;
  level_of_care: LevelOfCare;
  created_at: CreatedAt;
};

export type RoomTable = {
  id: string;
  unit_id: string;
  name: string;
  gender_restriction: ColumnType<GenderRestriction, GenderRestriction | undefined, GenderRestriction>;
  accessible: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: CreatedAt;
};

/** The one place a bed's state is held; every change bumps `version` and adds a bed_events row. */
export type BedTable = {
  id: string;
  room_id: string;
  unit_id: string;
  facility_id: string;
  label: string;
  attributes: ColumnType<string[], string[] | undefined, string[]>;
  state: ColumnType<BedState, BedState | undefined, BedState>;
  state_reason: Optional<string>;
  state_changed_at: Timestamp;
  version: Version;
  created_at: CreatedAt;
};

export type BedHoldTable = {
  id: string;
  bed_id: string;
  client_id: Optional<string>;
  referral_id: Optional<string>;
  note: Optional<string>;
  held_by: string;
  expires_at: ColumnType<Date, Date | string, Date | string>;
  created_at: CreatedAt;
  released_at: OptionalTimestamp;
  release_reason: Optional<(typeof HOLD_ENDINGS)[number]>;
};

export type AdmissionTable = {
  id: string;
  agency_id: string;
  facility_id: string;
  client_id: string;
  admitted_at: Timestamp;
  admitted_by: string;
  reason: Optional<string>;
  discharged_at: OptionalTimestamp;
  discharged_by: Optional<string>;
  disposition: Optional<string>;
};

/**
 * Who was in which bed when: `period` is a `tstzrange`, open-ended while occupied. Exclusion
 * constraints keep one client per bed and one bed per client at any instant. Read its bounds
 * with `lower(period)` / `upper(period)`; written only through SQL range constructors.
 */
export type BedAssignmentTable = {
  id: string;
  bed_id: string;
  client_id: string;
  admission_id: string;
  period: ColumnType<string, never, never>;
  started_by: string;
  ended_by: Optional<string>;
  end_reason: Optional<'transfer' | 'discharge'>;
};

export type BedEventTable = {
  id: string;
  /** Order of events within one transaction (which share `occurred_at`). */
  seq: ColumnType<string, never, never>;
  bed_id: string;
  facility_id: string;
  action: BedAction;
  from_state: Optional<BedState>;
  to_state: BedState;
  client_id: Optional<string>;
  admission_id: Optional<string>;
  actor_id: string;
  reason: Optional<string>;
  occurred_at: Timestamp;
};

export type BedsTables = {
  'scheduling.facilities': FacilityTable;
  'scheduling.units': UnitTable;
  'scheduling.rooms': RoomTable;
  'scheduling.beds': BedTable;
  'scheduling.bed_holds': BedHoldTable;
  'scheduling.admissions': AdmissionTable;
  'scheduling.bed_assignments': BedAssignmentTable;
  'scheduling.bed_events': BedEventTable;
};
