import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Principal } from '../../platform/auth/principal.js';
import { FieldCipher } from '../../platform/crypto/field-cipher.js';
import { Problems } from '../../platform/errors/problem.js';
import { AgencyClock } from '../../platform/time/agency-clock.js';
import { ClientAccess } from './client-access.js';
import type { ClientsDb } from './clients.database.js';
import { MedicaidId } from './clients.dto.js';
import { READ, REVEAL } from './clients.service.js';
import type { CoverageView, CreateCoverageBody, PatchCoverageBody } from './coverages.dto.js';
import {
  CoveragesRepository,
  type CoverageChanges,
  type CoverageRow,
  type CoverageSpan,
} from './coverages.repository.js';
import { DetailsService } from './details.service.js';
import { toCoverageView } from './details.views.js';
import { identifierIndex } from './identifiers.js';

/**
 * Insurance coverages: payer, member id (encrypted, blind-indexed; a Medicaid member id with the
 * same index as the client's Medicaid id, so identifier search finds either), group, plan,
 * dates and priority. Two coverages of one priority may not overlap in time.
 */
@Injectable()
export class CoveragesService {
  constructor(
    private readonly coverages: CoveragesRepository,
    private readonly details: DetailsService,
    private readonly access: ClientAccess,
    private readonly cipher: FieldCipher,
    private readonly clock: AgencyClock,
  ) {}

  async list(principal: Principal, clientId: string): Promise<CoverageView[]> {
    const { client } = await this.access.require(principal, clientId, READ);
    const day = this.clock.today();
    return (await this.coverages.coveragesOf(client.id)).map((r) => toCoverageView(r, day));
  }

  async add(principal: Principal, clientId: string, body: CreateCoverageBody): Promise<CoverageView> {
    const id = randomUUID();
    await this.details.write(principal, clientId, 'coverages', async (client, trx) => {
      await this.refuseOverlap(
        client.id,
        { priority: body.priority, start: body.startDate, end: body.endDate },
        null,
        trx,
      );
      await this.coverages.insertCoverage(
        {
          id,
          client_id: client.id,
          payer: body.payer,
          payer_name: body.payerName,
          ...this.sealMemberId(body.payer, body.memberId),
          group_number: body.groupNumber,
          plan_name: body.planName,
          priority: body.priority,
          start_date: body.startDate,
          end_date: body.endDate,
          created_by: principal.id,
        },
        trx,
      );
    });
    return this.view(id);
  }

  async patch(
    principal: Principal,
    clientId: string,
    coverageId: string,
    version: number,
    body: PatchCoverageBody,
  ): Promise<CoverageView> {
    await this.details.write(principal, clientId, 'coverages', async (client, trx) => {
      const row = await this.owned(client.id, coverageId, trx);
      if (row.version !== version) throw Problems.preconditionFailed();
      const changes: CoverageChanges = {};
      if (body.payerName !== undefined) changes.payer_name = body.payerName;
      if (body.groupNumber !== undefined) changes.group_number = body.groupNumber;
      if (body.planName !== undefined) changes.plan_name = body.planName;
      if (body.priority !== undefined) changes.priority = body.priority;
      if (body.startDate !== undefined) changes.start_date = body.startDate;
      if (body.endDate !== undefined) changes.end_date = body.endDate;
      if (body.memberId !== undefined) {
        if (row.payer === 'medicaid' && !MedicaidId.safeParse(body.memberId).success) {
          throw Problems.validation([
            { field: 'body.memberId', message: 'A Wisconsin Medicaid member id is 10 digits.' },
          ]);
        }
        Object.assign(changes, this.sealMemberId(row.payer, body.memberId));
      }
      const span = {
        priority: changes.priority ?? row.priority,
        start: changes.start_date ?? row.start_date,
        end: changes.end_date !== undefined ? changes.end_date : row.end_date,
      };
      if (span.end !== null && span.end < span.start) {
        throw Problems.validation([
          { field: 'body.endDate', message: 'Coverage cannot end before it starts.' },
        ]);
      }
      await this.refuseOverlap(client.id, span, row.id, trx);
      if (!(await this.coverages.updateCoverage(coverageId, changes, version, trx))) {
        throw Problems.preconditionFailed();
      }
    });
    return this.view(coverageId);
  }

  async end(
    principal: Principal,
    clientId: string,
    coverageId: string,
    version: number,
    endDate: string,
  ): Promise<CoverageView> {
    await this.details.write(principal, clientId, 'coverages', async (client, trx) => {
      const row = await this.owned(client.id, coverageId, trx);
      if (row.version !== version) throw Problems.preconditionFailed();
      if (row.end_date !== null && row.end_date < this.clock.today())
        throw Problems.conflict('This coverage has already ended.');
      if (endDate < row.start_date) {
        throw Problems.validation([
          { field: 'body.endDate', message: 'Coverage cannot end before it starts.' },
        ]);
      }
      if (!(await this.coverages.updateCoverage(coverageId, { end_date: endDate }, version, trx))) {
        throw Problems.preconditionFailed();
      }
    });
    return this.view(coverageId);
  }

  /** The full member id, for those allowed to reveal identifiers (audited by the route). */
  async memberId(principal: Principal, clientId: string, coverageId: string) {
    const { client } = await this.access.require(principal, clientId, REVEAL);
    const row = await this.owned(client.id, coverageId);
    return { coverageId: row.id, payer: row.payer, memberId: this.cipher.decrypt(row.member_id_ciphertext) };
  }

  private async refuseOverlap(
    clientId: string,
    span: CoverageSpan,
    exceptId: string | null,
    trx: ClientsDb,
  ): Promise<void> {
    const overlapping = await this.coverages.overlapping(clientId, span, exceptId, trx);
    if (overlapping.length > 0) {
      throw Problems.conflict(
        `The client already has ${span.priority} coverage for some of those days; end it first or make this one ${
          span.priority === 'primary' ? 'secondary' : 'primary'
        }.`,
        'coverage-overlap',
      );
    }
  }

  private sealMemberId(payer: CoverageRow['payer'], memberId: string) {
    return {
      member_id_ciphertext: this.cipher.encrypt(memberId),
      member_id_index: memberIdIndex(this.cipher, payer, memberId),
      member_id_last4: memberId.slice(-4),
    };
  }

  private async owned(clientId: string, coverageId: string, db?: ClientsDb): Promise<CoverageRow> {
    const row = await this.coverages.findCoverage(coverageId, db);
    if (row?.client_id !== clientId) throw Problems.notFound('coverage');
    return row;
  }

  private async view(id: string): Promise<CoverageView> {
    const row = await this.coverages.findCoverage(id);
    if (!row) throw Problems.notFound('coverage');
    return toCoverageView(row, this.clock.today());
  }
}

/**
 * Blind index of a member id. A Medicaid member id is indexed exactly as a client's Medicaid id
 * is, so one identifier lookup finds it on either; other payers' ids are indexed per payer.
 */
export function memberIdIndex(cipher: FieldCipher, payer: CoverageRow['payer'], memberId: string): string {
  return payer === 'medicaid'
    ? identifierIndex(cipher, 'medicaid', memberId)
    : cipher.blindIndex(`member:${payer}:${memberId.toUpperCase().replace(/[^A-Z0-9]/g, '')}`, (v) => v);
}
