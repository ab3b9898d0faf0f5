import { Injectable } from '@nestjs/common';
import { AgencyClock } from '../../platform/time/agency-clock.js';
import { agencyDay } from './credential-status.js';
import { ContractsRepository } from './contracts.repository.js';
import type { UnitType } from './providers.schema.js';

/** What the agency pays a provider for one unit of a service on a day, and the line's caps. */
export interface ContractRate {
  contractId: string;
  contractNumber: string;
  lineId: string;
  serviceCode: string;
  rateCents: number;
  unitType: UnitType;
  capUnits: number | null;
  capAmountCents: number | null;
  /** The days this rate applies (the line's own dates, else the contract's); `endsOn` null: open. */
  startsOn: string;
  endsOn: string | null;
}

/**
 * The contracted rate for a service (exported for billing and scheduling). Contract changes are
 * refused when two contracts in effect would rate one service on the same day, so the answer is
 * one line or none.
 */
@Injectable()
export class ContractRates {
  constructor(
    private readonly contracts: ContractsRepository,
    private readonly clock: AgencyClock,
  ) {}

  /**
   * The line of the provider's contract in effect on `onDate` that rates `serviceCode`, or null:
   * no contract, a draft, or a date outside the contract's or line's dates. A terminated
   * contract still rates the days up to its end date. An instant counts as the agency's day.
   */
  async rateFor(
    providerId: string,
    serviceCode: string,
    onDate: Date | string,
  ): Promise<ContractRate | null> {
    const day = agencyDay(this.clock, onDate);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day))
      throw new TypeError(`rateFor needs a date such as 2026-01-31, not ${day}`);
    const row = await this.contracts.rateOn(providerId, serviceCode.trim().toUpperCase(), day);
    if (!row) return null;
    return {
      contractId: row.contract_id,
      contractNumber: row.contract_number,
      lineId: row.line_id,
      serviceCode: row.service_code,
      rateCents: row.rate_cents,
      unitType: row.unit_type,
      capUnits: row.cap_units,
      capAmountCents: row.cap_amount_cents,
      startsOn: row.starts_on,
      endsOn: row.ends_on,
    };
  }
}
