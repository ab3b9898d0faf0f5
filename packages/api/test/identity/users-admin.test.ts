import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TEAM_IDS, DEMO_USERS } from '../../src/modules/identity/demo.js';
import type { PlatformTables } from '../../src/platform/database/platform.schema.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import {
  IDENTITY,
  demoUser,
  login,
  me,
  problemType,
  refresh,
  signIn,
  signInWithTotp,
  type Authenticated,
} from './identity-helpers.js';

interface User {
  id: string;
  email: string;
  displayName: string;
  roles: string[];
  teamIds: string[];
  programIds: string[];
  status: string;
  version: number;
}

describe('user administration', () => {
  let t: TestApp;
  let admin: Authenticated;
  const users = `${IDENTITY}/users`;

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE: '1000' });
    admin = await signInWithTotp(t, 'agency_admin');
  });
  afterAll(async () => {
    await t.close();
  });

  const outboxTopics = async () =>
    (
      await t.database.db.withTables<PlatformTables>().selectFrom('platform.outbox').select('topic').execute()
    ).map((r) => r.topic);

  it('creates a user on a team, who can then sign in; the creation is published', async () => {
    const res = await t.http.request({
      method: 'POST',
      url: users,
      token: admin.accessToken,
      body: {
        email: 'Pat.Newhire@demo.ehrms.local',
        displayName: 'Pat Newhire',
        password: 'welcome to the county 1',
        roles: ['case_manager'],
        teamIds: [DEMO_TEAM_IDS.cfs],
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json<User>();
    expect(created).toMatchObject({
      displayName: 'Pat Newhire',
      roles: ['case_manager'],
      status: 'active',
      version: 1,
    });
    expect(created.programIds).toHaveLength(1);
    expect(res.headers.etag).toBe('"1"');
    expect(JSON.stringify(created)).not.toContain('password');
    // Email is case-insensitive.
    expect((await login(t, 'pat.newhire@demo.ehrms.local', 'welcome to the county 1')).statusCode).toBe(200);
    expect(await outboxTopics()).toContain('identity.user.created');

    const duplicate = await t.http.request({
      method: 'POST',
      url: users,
      token: admin.accessToken,
      body: {
        email: 'PAT.NEWHIRE@demo.ehrms.local',
        displayName: 'Pat Again',
        password: 'welcome to the county 1',
        roles: ['clinician'],
      },
    });
    expect(duplicate.statusCode).toBe(409);
  });

  it('rejects weak passwords, unknown roles and unknown fields with field-level errors', async () => {
    const res = await t.http.request({
      method: 'POST',
      url: users,
      token: admin.accessToken,
      body: {
        email: 'x@demo.ehrms.local',
        displayName: 'X',
        password: 'short',
        roles: ['clinician'],
        extra: 1,
      },
    });
    expect(res.statusCode).toBe(400);
    const fields = res.json<{ errors: { field: string }[] }>().errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['body.password']));
    const unknownRole = await t.http.request({
      method: 'POST',
      url: users,
      token: admin.accessToken,
      body: {
        email: 'y@demo.ehrms.local',
        displayName: 'Y',
        password: 'long enough password',
        roles: ['wizard'],
      },
    });
    expect(unknownRole.statusCode).toBe(400);
  });

  it('an agency admin cannot create or manage a system admin', async () => {
    const create = await t.http.request({
      method: 'POST',
      url: users,
      token: admin.accessToken,
      body: {
        email: 'root@demo.ehrms.local',
        displayName: 'Root',
        password: 'long enough password',
        roles: ['system_admin'],
      },
    });
    expect(create.statusCode).toBe(403);
    expect(problemType(create)).toBe('grant-exceeds-own-scope');

    const sysadmin = demoUser('system_admin');
    const deactivate = await t.http.request({
      method: 'POST',
      url: `${users}/${sysadmin.id}/deactivate`,
      token: admin.accessToken,
    });
    expect(deactivate.statusCode).toBe(403);
  });

  it('edits with optimistic concurrency: If-Match required, a stale version gets 412', async () => {
    const clinician = demoUser('clinician');
    const read = await t.http.request({
      method: 'GET',
      url: `${users}/${clinician.id}`,
      token: admin.accessToken,
    });
    expect(read.statusCode).toBe(200);
    const etag = read.headers.etag;
    expect(etag).toBe(`"${read.json<User>().version}"`);

    const missing = await t.http.request({
      method: 'PATCH',
      url: `${users}/${clinician.id}`,
      token: admin.accessToken,
      body: { displayName: 'Chris Clinician, LCSW' },
    });
    expect(missing.statusCode).toBe(428);

    const ok = await t.http.request({
      method: 'PATCH',
      url: `${users}/${clinician.id}`,
      token: admin.accessToken,
      headers: { 'if-match': String(etag) },
      body: {
        displayName: 'Chris Clinician, LCSW',
        teamIds: [DEMO_TEAM_IDS.bhOutpatient, DEMO_TEAM_IDS.bhCrisis],
      },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<User>()).toMatchObject({ displayName: 'Chris Clinician, LCSW', version: 2 });
    expect(ok.json<User>().teamIds).toHaveLength(2);
    expect(ok.headers.etag).toBe('"2"');

    const stale = await t.http.request({
      method: 'PATCH',
      url: `${users}/${clinician.id}`,
      token: admin.accessToken,
      headers: { 'if-match': String(etag) },
      body: { displayName: 'Someone else' },
    });
    expect(stale.statusCode).toBe(412);
    expect(await outboxTopics()).toContain('identity.user.updated');
  });

  it('a case manager listing users sees only their team; a user outside it is 403', async () => {
    const cm = demoUser('case_manager');
    const session = await signIn(t, cm.email);
    const list = await t.http.request({ method: 'GET', url: users, token: session.accessToken });
    expect(list.statusCode).toBe(200);
    const seen = list.json<{ items: User[] }>().items;
    const teamMates = DEMO_USERS.filter((u) => u.teamIds.some((id) => cm.teamIds.includes(id))).map(
      (u) => u.id,
    );
    expect(seen.map((u) => u.id).sort()).toEqual([...teamMates].sort());
    expect(seen.every((u) => u.teamIds.some((id) => cm.teamIds.includes(id)))).toBe(true);

    const outsider = demoUser('billing_specialist');
    const forbidden = await t.http.request({
      method: 'GET',
      url: `${users}/${outsider.id}`,
      token: session.accessToken,
    });
    expect(forbidden.statusCode).toBe(403);
    const teammate = demoUser('scheduler');
    expect(
      (await t.http.request({ method: 'GET', url: `${users}/${teammate.id}`, token: session.accessToken }))
        .statusCode,
    ).toBe(200);

    // Reading is all a case manager may do.
    const write = await t.http.request({
      method: 'POST',
      url: `${users}/${teammate.id}/deactivate`,
      token: session.accessToken,
    });
    expect(write.statusCode).toBe(403);
  });

  it('a supervisor sees the users of their program, not other programs', async () => {
    const session = await signIn(t, demoUser('supervisor').email);
    const list = await t.http.request({ method: 'GET', url: users, token: session.accessToken });
    const ids = list.json<{ items: User[] }>().items.map((u) => u.id);
    expect(ids).toEqual(expect.arrayContaining([demoUser('case_manager').id, demoUser('clinician').id]));
    expect(ids).not.toContain(demoUser('billing_specialist').id);
    expect(ids).not.toContain(demoUser('agency_admin').id);
  });

  it('pages through the agency with an opaque cursor and filters by role and text', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `${users}?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await t.http.request({ method: 'GET', url, token: admin.accessToken });
      expect(page.statusCode).toBe(200);
      const body = page.json<{ items: User[]; nextCursor: string | null }>();
      expect(body.items.length).toBeLessThanOrEqual(3);
      seen.push(...body.items.map((u) => u.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    for (const u of DEMO_USERS) expect(seen).toContain(u.id);

    const byRole = await t.http.request({
      method: 'GET',
      url: `${users}?role=auditor`,
      token: admin.accessToken,
    });
    expect(byRole.json<{ items: User[] }>().items.map((u) => u.id)).toEqual([demoUser('auditor').id]);
    const byText = await t.http.request({
      method: 'GET',
      url: `${users}?q=skyler`,
      token: admin.accessToken,
    });
    expect(byText.json<{ items: User[] }>().items.map((u) => u.id)).toEqual([demoUser('scheduler').id]);
    const bad = await t.http.request({
      method: 'GET',
      url: `${users}?cursor=garbage`,
      token: admin.accessToken,
    });
    expect(bad.statusCode).toBe(400);
  });

  it('deactivating a user kills their live tokens at once and blocks sign-in until reactivated', async () => {
    const auditor = demoUser('auditor');
    const session = await signIn(t, auditor.email);
    expect((await me(t, session.accessToken)).statusCode).toBe(200);

    const res = await t.http.request({
      method: 'POST',
      url: `${users}/${auditor.id}/deactivate`,
      token: admin.accessToken,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json<User>().status).toBe('deactivated');
    expect(await outboxTopics()).toContain('identity.user.deactivated');

    expect((await me(t, session.accessToken)).statusCode).toBe(401);
    expect((await refresh(t, session.refreshToken)).statusCode).toBe(401);
    expect(problemType(await login(t, auditor.email))).toBe('invalid-credentials');

    const back = await t.http.request({
      method: 'POST',
      url: `${users}/${auditor.id}/reactivate`,
      token: admin.accessToken,
    });
    expect(back.json<User>().status).toBe('active');
    expect((await login(t, auditor.email)).statusCode).toBe(200);
  });

  it('an administrator can see and end a user’s sessions', async () => {
    const scheduler = demoUser('scheduler');
    const session = await signIn(t, scheduler.email);
    const list = await t.http.request({
      method: 'GET',
      url: `${users}/${scheduler.id}/sessions`,
      token: admin.accessToken,
    });
    expect(list.json<{ items: unknown[] }>().items.length).toBeGreaterThan(0);
    const end = await t.http.request({
      method: 'DELETE',
      url: `${users}/${scheduler.id}/sessions`,
      token: admin.accessToken,
    });
    expect(end.statusCode).toBe(204);
    expect((await me(t, session.accessToken)).statusCode).toBe(401);
  });

  it('a token naming ids this service does not know sees nothing instead of failing', async () => {
    const token = await t.token({
      sub: 'svc-elsewhere',
      agency: 'other-agency',
      teams: ['team-1'],
      grants: { 'identity.users.read': 'team', 'identity.self.read': 'own' },
    });
    const list = await t.http.request({ method: 'GET', url: users, token });
    expect(list.statusCode).toBe(200);
    expect(list.json<{ items: unknown[] }>().items).toEqual([]);
    expect((await me(t, token)).statusCode).toBe(404);
  });

  it('lists roles with their grants and the agency’s teams', async () => {
    const roles = await t.http.request({ method: 'GET', url: `${IDENTITY}/roles`, token: admin.accessToken });
    const items = roles.json<{
      items: { name: string; requiresMfa: boolean; grants: Record<string, string> }[];
    }>().items;
    expect(items.find((r) => r.name === 'system_admin')).toMatchObject({ requiresMfa: true });
    expect(items.find((r) => r.name === 'case_manager')?.grants).toMatchObject({
      'identity.users.read': 'team',
    });
    const teams = await t.http.request({ method: 'GET', url: `${IDENTITY}/teams`, token: admin.accessToken });
    expect(teams.json<{ items: { name: string; programName: string }[] }>().items).toContainEqual(
      expect.objectContaining({ name: 'LTC Team', programName: 'Long-Term Care' }),
    );
  });
});
