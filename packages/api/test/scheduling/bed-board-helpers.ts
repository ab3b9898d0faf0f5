import { expect } from 'vitest';
import { DEMO_AGENCY, DEMO_PROGRAM_IDS } from '../../src/modules/identity/demo.js';
import type { SchedulingTables } from '../../src/modules/scheduling/scheduling.schema.js';
import type { PlatformTables } from '../../src/platform/database/platform.schema.js';
import type { TestApp } from '../support/test-app.js';

export const FACILITIES = '/api/v1/scheduling/facilities';
export const BEDS = '/api/v1/scheduling/beds';

export interface Bed {
  id: string;
  label: string;
  roomName: string;
  unitName: string;
  state: string;
  stateReason: string | null;
  version: number;
  occupant: {
    admissionId: string;
    clientId: string | null;
    name: string | null;
    nameWithheld: boolean;
  } | null;
  hold: { id: string; clientId: string | null; name: string | null; expiresAt: string } | null;
}

export interface Layout {
  facilityId: string;
  /** Bed ids by `<room>-<label>`, e.g. `F1-A` (room F1 is female-only, in the crisis unit). */
  beds: Record<string, string>;
  unitIds: { crisis: string; detox: string };
}

export function schedulingDb(t: TestApp) {
  return t.database.db.withTables<SchedulingTables & PlatformTables>();
}

/**
 * A facility of its own per test file, built through the API by an agency admin: a crisis unit
 * with a female-only room F1 (beds A, B) and room C1 (A, B), and a detox unit with room D1 (A, B).
 */
export async function buildFacility(
  t: TestApp,
  name: string,
  programId: string = DEMO_PROGRAM_IDS.bh,
  agencyId: string = DEMO_AGENCY.id,
): Promise<Layout> {
  const admin = await t.token({
    sub: 'facility-admin',
    agency: agencyId,
    grants: { 'scheduling.facilities.manage': 'agency', 'scheduling.beds.read': 'agency' },
  });
  const post = async <T>(url: string, body: unknown): Promise<T> => {
    const res = await t.http.request({ method: 'POST', url, token: admin, body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<T>();
  };
  const facility = await post<{ id: string }>(FACILITIES, { programId, name });
  const base = `${FACILITIES}/${facility.id}`;
  const crisis = await post<{ id: string }>(`${base}/units`, {
    name: 'Crisis',
    levelOfCare: 'crisis_stabilization',
  });
  const detox = await post<{ id: string }>(`${base}/units`, { name: 'Detox', levelOfCare: 'detox' });
  const rooms = {
    F1: await post<{ id: string }>(`${base}/rooms`, {
      unitId: crisis.id,
      name: 'F1',
      genderRestriction: 'female',
    }),
    C1: await post<{ id: string }>(`${base}/rooms`, { unitId: crisis.id, name: 'C1', accessible: true }),
    D1: await post<{ id: string }>(`${base}/rooms`, { unitId: detox.id, name: 'D1' }),
  };
  const beds: Record<string, string> = {};
  for (const [room, { id }] of Object.entries(rooms)) {
    for (const label of ['A', 'B']) {
      beds[`${room}-${label}`] = (await post<{ id: string }>(`${base}/beds`, { roomId: id, label })).id;
    }
  }
  return { facilityId: facility.id, beds, unitIds: { crisis: crisis.id, detox: detox.id } };
}

export async function board(t: TestApp, token: string, facilityId: string): Promise<Map<string, Bed>> {
  const res = await t.http.request({ method: 'GET', url: `${FACILITIES}/${facilityId}/board`, token });
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json<{ units: { beds: Bed[] }[] }>();
  return new Map(body.units.flatMap((u) => u.beds).map((b) => [b.id, b]));
}

export async function bedOf(t: TestApp, token: string, facilityId: string, bedId: string): Promise<Bed> {
  const bed = (await board(t, token, facilityId)).get(bedId);
  if (!bed) throw new Error(`bed ${bedId} is not on the board`);
  return bed;
}

export function act(t: TestApp, token: string, bedId: string, action: string, body: unknown = {}) {
  return t.http.request({ method: 'POST', url: `${BEDS}/${bedId}/${action}`, token, body });
}
