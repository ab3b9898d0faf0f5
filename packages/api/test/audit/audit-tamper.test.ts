import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChainVerification } from '../../src/modules/audit/audit.dto.js';
import { auditRowHash } from '../../src/platform/audit/audit-chain.js';
import type { AuditTables } from '../../src/platform/audit/audit.schema.js';
import type { PlatformTables } from '../../src/platform/database/platform.schema.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { AUDITOR, auditTable, recordInOrder, rowsWhere, type AuditRow } from './audit-fixtures.js';

/**
 * Someone with the database superuser's powers switches the append-only trigger off, edits the
 * trail, and switches it back on. The chain must give them away, naming the first row touched.
 * Each test puts the trail back as it was, so the next one starts from an intact chain.
 */
describe('verifying the chain exposes tampering', () => {
  let t: TestApp;
  let token: string;
  let victims: AuditRow[];

  const verify = async (): Promise<ChainVerification> => {
    const res = await t.http.request({ method: 'GET', url: '/api/v1/audit/verify', token });
    expect(res.statusCode).toBe(200);
    return res.json<ChainVerification>();
  };

  beforeAll(async () => {
    t = await startTestApp();
    token = await t.token(AUDITOR);
    await recordInOrder(
      t,
      Array.from({ length: 5 }, (_, i) => ({ actorId: 'cm-tampered', resourceId: `client-t${i}` })),
    );
    victims = await rowsWhere(t, 'actor_id', 'cm-tampered');
  });
  beforeEach(async () => {
    expect(await verify()).toMatchObject({ ok: true });
  });
  afterAll(async () => {
    await t.close();
  });

  it('an edited row fails its own hash and is named by sequence and id', async () => {
    const victim = middle(victims);
    await asSuperuser(auditTable(t), (db) =>
      db.updateTable('audit.audit_logs').set({ action: 'nothing.to.see' }).where('seq', '=', victim.seq),
    );

    expect(await verify()).toEqual({
      ok: false,
      rowsChecked: victim.seq,
      firstBrokenSeq: victim.seq,
      firstBrokenId: victim.id,
      reason: 'hash-mismatch',
    });

    await asSuperuser(auditTable(t), (db) =>
      db.updateTable('audit.audit_logs').set({ action: victim.action }).where('seq', '=', victim.seq),
    );
    expect(await verify()).toMatchObject({ ok: true });
  });

  it('an edited row with a recomputed hash breaks the link from the row after it', async () => {
    const victim = middle(victims);
    const next = victims[victims.indexOf(victim) + 1];
    if (!next) throw new Error('fixture needs a row after the victim');
    const forged = { ...victim, resource_id: 'client-someone-else' };
    await asSuperuser(auditTable(t), (db) =>
      db
        .updateTable('audit.audit_logs')
        .set({ resource_id: forged.resource_id, hash: auditRowHash(forged) })
        .where('seq', '=', victim.seq),
    );

    expect(await verify()).toEqual({
      ok: false,
      rowsChecked: next.seq,
      firstBrokenSeq: next.seq,
      firstBrokenId: next.id,
      reason: 'prev-hash-mismatch',
    });

    await asSuperuser(auditTable(t), (db) =>
      db
        .updateTable('audit.audit_logs')
        .set({ resource_id: victim.resource_id, hash: victim.hash })
        .where('seq', '=', victim.seq),
    );
  });

  it('a deleted row leaves a gap, reported with the missing sequence number', async () => {
    const victim = middle(victims);
    const next = victims[victims.indexOf(victim) + 1];
    if (!next) throw new Error('fixture needs a row after the victim');
    await asSuperuser(auditTable(t), (db) => db.deleteFrom('audit.audit_logs').where('seq', '=', victim.seq));

    expect(await verify()).toEqual({
      ok: false,
      rowsChecked: victim.seq,
      firstBrokenSeq: next.seq,
      firstBrokenId: next.id,
      reason: 'sequence-gap',
      missingSeqs: { from: victim.seq, to: victim.seq },
    });

    await auditTable(t).insertInto('audit.audit_logs').values(victim).execute();
    expect(await verify()).toMatchObject({ ok: true });
  });
});

function middle(rows: AuditRow[]): AuditRow {
  const row = rows[Math.floor(rows.length / 2)];
  if (!row) throw new Error('no rows to tamper with');
  return row;
}

type Db = Kysely<PlatformTables & AuditTables>;

/** Runs one statement with the append-only trigger switched off, as only a superuser could. */
async function asSuperuser(db: Db, statement: (trx: Db) => { execute(): Promise<unknown> }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`ALTER TABLE audit.audit_logs DISABLE TRIGGER audit_logs_append_only`.execute(trx);
    await statement(trx).execute();
    await sql`ALTER TABLE audit.audit_logs ENABLE TRIGGER audit_logs_append_only`.execute(trx);
  });
}
