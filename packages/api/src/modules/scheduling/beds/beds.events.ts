import type { BedAction, BedState } from './beds.schema.js';

/** Events the bed board publishes through the outbox. Payloads carry ids and states, never PHI. */
export const BedsTopics = {
  bedChanged: 'scheduling.bed.changed',
} as const;

/** One bed's state changed (a transfer publishes one for each of its two beds). */
export interface BedChangedEvent {
  bedId: string;
  facilityId: string;
  agencyId: string;
  action: BedAction;
  state: BedState;
  version: number;
}

export function readBedChanged(payload: unknown): BedChangedEvent | null {
  if (!payload || typeof payload !== 'object') return null;
  const p = payload as Partial<BedChangedEvent>;
  if (typeof p.bedId !== 'string' || typeof p.facilityId !== 'string' || typeof p.agencyId !== 'string') {
    return null;
  }
  return p as BedChangedEvent;
}
