import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Principal } from '../../platform/auth/principal.js';
import { ProblemError, Problems, type FieldError } from '../../platform/errors/problem.js';
import { publishEvent } from '../../platform/events/events.js';
import {
  bodyLineField,
  contractTermErrors,
  describeSpan,
  lineSpan,
  spansOverlap,
  type ContractTerms,
  type LineField,
} from './contract-terms.js';
import type {
  ContractLineBody,
  ContractView,
  CreateContractBody,
  PatchContractBody,
} from './contracts.dto.js';
import {
  ContractsRepository,
  type ContractChanges,
  type ContractLineRow,
  type NewContractLine,
} from './contracts.repository.js';
import { ProviderAccess, READ, WRITE } from './provider-access.js';
import { ProvidersDatabase, type ProvidersDb } from './providers.database.js';
import { ProvidersTopics, type ContractCreatedEvent, type ContractUpdatedEvent } from './providers.events.js';
import type { ContractStatus } from './providers.schema.js';
import { toContractView } from './views.js';

/** draft → active → terminated; a terminated contract is final. */
const NEXT_STATUSES: Record<ContractStatus, readonly ContractStatus[]> = {
  draft: ['draft', 'active'],
  active: ['active', 'terminated'],
  terminated: [],
};

/**
 * A provider's contracts with the agency: dates, status and rate lines. Rules: a contract ends
 * on or after it starts; every line lies within the contract's dates; one service code is rated
 * once on any day, within a contract and across the provider's contracts in effect (active, or
 * terminated up to their end date), so `ContractRates.rateFor` has one answer.
 */
@Injectable()
export class ContractsService {
  constructor(
    private readonly database: ProvidersDatabase,
    private readonly access: ProviderAccess,
    private readonly contracts: ContractsRepository,
  ) {}

  async list(principal: Principal, providerId: string): Promise<ContractView[]> {
    await this.access.require(principal, providerId, READ);
    const rows = await this.contracts.contractsOf(providerId);
    const lines = await this.contracts.linesOf(rows.map((r) => r.id));
    return rows.map((row) =>
      toContractView(
        row,
        lines.filter((l) => l.contract_id === row.id),
      ),
    );
  }

  async get(principal: Principal, providerId: string, contractId: string): Promise<ContractView> {
    await this.access.require(principal, providerId, READ);
    const row = await this.contracts.find(contractId);
    if (row?.provider_id !== providerId) throw Problems.notFound('contract');
    return this.view(contractId);
  }

  async create(principal: Principal, providerId: string, body: CreateContractBody): Promise<ContractView> {
    const provider = await this.access.require(principal, providerId, WRITE);
    const terms: ContractTerms = { startsOn: body.startsOn, endsOn: body.endsOn, lines: body.lines };
    const errors = contractTermErrors(terms);
    if (errors.length > 0) throw Problems.validation(errors);
    const id = randomUUID();
    await this.database
      .transaction(async (trx) => {
        await this.contracts.lockProvider(providerId, trx);
        if (body.status !== 'draft') await this.refuseRateOverlap(trx, providerId, id, terms, bodyLineField);
        await this.contracts.insert(
          {
            id,
            provider_id: providerId,
            agency_id: provider.agency_id,
            number: body.number,
            starts_on: body.startsOn,
            ends_on: body.endsOn,
            status: body.status,
          },
          trx,
        );
        await this.contracts.replaceLines(id, newLines(id, body.lines), trx);
        await publishEvent(trx, ProvidersTopics.contractCreated, {
          contractId: id,
          providerId,
          agencyId: provider.agency_id,
        } satisfies ContractCreatedEvent);
      })
      .catch(rethrowNumberTaken);
    return this.view(id);
  }

  /** Changes status, end date and/or lines (`lines` replaces them all) of a contract at `version`. */
  async patch(
    principal: Principal,
    providerId: string,
    contractId: string,
    version: number,
    body: PatchContractBody,
  ): Promise<ContractView> {
    const provider = await this.access.require(principal, providerId, WRITE);
    const row = await this.contracts.find(contractId);
    if (row?.provider_id !== providerId) throw Problems.notFound('contract');
    if (row.version !== version) throw Problems.preconditionFailed();
    if (row.status === 'terminated') {
      throw Problems.conflict('A terminated contract cannot be changed.', 'contract-terminated');
    }
    const status = body.status ?? row.status;
    if (!NEXT_STATUSES[row.status].includes(status)) {
      throw new ProblemError({
        status: 409,
        type: 'contract-status',
        title: 'Conflict',
        detail: `A ${row.status} contract cannot become ${status}: contracts go from draft to active to terminated.`,
        errors: [{ field: 'body.status', message: `A ${row.status} contract cannot become ${status}.` }],
      });
    }
    const endsOn = body.endsOn !== undefined ? body.endsOn : row.ends_on;
    if (status === 'terminated' && endsOn === null) {
      throw Problems.validation([
        { field: 'body.endsOn', message: 'Give the date the contract ends when terminating it.' },
      ]);
    }
    const lines = body.lines ?? toLineTerms(await this.contracts.linesOf([contractId]));
    const terms: ContractTerms = { startsOn: row.starts_on, endsOn, lines };
    // Without new lines, only a new end date (or status) can put the existing lines at odds.
    const lineField: LineField =
      body.lines !== undefined
        ? bodyLineField
        : () => (body.endsOn !== undefined ? 'body.endsOn' : 'body.status');
    const errors = contractTermErrors(terms, lineField);
    if (errors.length > 0) throw Problems.validation(errors);

    const changes: ContractChanges = {};
    const changed: string[] = [];
    if (status !== row.status) {
      changes.status = status;
      changed.push('status');
    }
    if (endsOn !== row.ends_on) {
      changes.ends_on = endsOn;
      changed.push('endsOn');
    }
    if (body.lines !== undefined) changed.push('lines');
    await this.database.transaction(async (trx) => {
      await this.contracts.lockProvider(providerId, trx);
      if (status !== 'draft') await this.refuseRateOverlap(trx, providerId, contractId, terms, lineField);
      if (!(await this.contracts.update(contractId, changes, version, trx)))
        throw Problems.preconditionFailed();
      if (body.lines !== undefined) {
        await this.contracts.replaceLines(contractId, newLines(contractId, body.lines), trx);
      }
      await publishEvent(trx, ProvidersTopics.contractUpdated, {
        contractId,
        providerId,
        agencyId: provider.agency_id,
        changed,
      } satisfies ContractUpdatedEvent);
    });
    return this.view(contractId);
  }

  /**
   * 409 when a line would rate a service on a day another contract in effect of the provider
   * already rates it. Runs under the provider's row lock.
   */
  private async refuseRateOverlap(
    trx: ProvidersDb,
    providerId: string,
    contractId: string,
    terms: ContractTerms,
    lineField: LineField,
  ): Promise<void> {
    const codes = [...new Set(terms.lines.map((l) => l.serviceCode))];
    const others = await this.contracts.ratesInEffect(providerId, codes, contractId, trx);
    const errors: FieldError[] = [];
    terms.lines.forEach((line, i) => {
      const span = lineSpan(terms, line);
      const clash = others.find(
        (o) =>
          o.service_code === line.serviceCode && spansOverlap(span, { from: o.starts_on, to: o.ends_on }),
      );
      if (clash) {
        errors.push({
          field: lineField(i, 'serviceCode'),
          message: `Contract ${clash.contract_number} already rates ${line.serviceCode} ${describeSpan({
            from: clash.starts_on,
            to: clash.ends_on,
          })}.`,
        });
      }
    });
    if (errors.length > 0) {
      throw new ProblemError({
        status: 409,
        type: 'contract-rate-overlap',
        title: 'Conflict',
        detail:
          'A provider has one contracted rate for a service on any day; another contract in effect already rates these services on these dates.',
        errors,
      });
    }
  }

  private async view(id: string): Promise<ContractView> {
    const row = await this.contracts.find(id);
    if (!row) throw Problems.notFound('contract');
    return toContractView(row, await this.contracts.linesOf([id]));
  }
}

function newLines(contractId: string, lines: readonly ContractLineBody[]): NewContractLine[] {
  return lines.map((line) => ({
    id: randomUUID(),
    contract_id: contractId,
    service_code: line.serviceCode,
    rate_cents: line.rateCents,
    unit_type: line.unitType,
    cap_units: line.capUnits,
    cap_amount_cents: line.capAmountCents,
    starts_on: line.startsOn,
    ends_on: line.endsOn,
  }));
}

function toLineTerms(rows: readonly ContractLineRow[]): ContractTerms['lines'] {
  return rows.map((r) => ({ serviceCode: r.service_code, startsOn: r.starts_on, endsOn: r.ends_on }));
}

function rethrowNumberTaken(err: unknown): never {
  if (typeof err === 'object' && err !== null && 'code' in err && err.code === '23505') {
    throw new ProblemError({
      status: 409,
      type: 'contract-number-taken',
      title: 'Conflict',
      detail: 'The agency already has a contract with this number.',
      errors: [{ field: 'body.number', message: 'The agency already has a contract with this number.' }],
    });
  }
  throw err;
}
