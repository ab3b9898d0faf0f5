import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { Problems } from '../../platform/errors/problem.js';
import { publishEvent } from '../../platform/events/events.js';
import { LOGGER } from '../../platform/logging/logger.js';
import { AgencyClock } from '../../platform/time/agency-clock.js';
import { ProvidersDatabase } from './providers.database.js';
import type { CredentialView } from './providers.dto.js';
import { ProvidersTopics, type CredentialExpiringEvent } from './providers.events.js';
import { ProvidersRepository, type CredentialRow, type ProviderRow } from './providers.repository.js';
import { EXPIRY_THRESHOLDS, type CredentialTable, type ExpiryThreshold } from './providers.schema.js';
import { toCredentialView } from './views.js';

/**
 * Credential types a provider must hold in date to be booked: a licence to practise and a DEA
 * registration. An expired one of these (whatever its verification status) makes the provider
 * not bookable; certifications and board certifications only raise warnings.
 */
export const BOOKING_REQUIRED_TYPES: readonly CredentialTable['type'][] = ['license', 'dea'];

export interface Standing {
  /** False when the provider is inactive or a booking-required credential has expired. */
  bookable: boolean;
  /** Why the provider is not bookable; empty when bookable. */
  reasons: StandingReason[];
  /** Credentials whose expiry date is before the date asked about. */
  expired: CredentialView[];
  /** Credentials still valid, by days left: 30 → 0–30 days, 60 → 31–60, 90 → 61–90. */
  expiringWithin: { 90: CredentialView[]; 60: CredentialView[]; 30: CredentialView[] };
}

export interface StandingReason {
  code: 'provider-inactive' | 'credential-expired';
  /** The expired credential, for `credential-expired`. */
  credentialId: string | null;
  detail: string;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** The day asked about: a 'YYYY-MM-DD' string as given, an instant as the agency's day it falls on. */
export function agencyDay(clock: AgencyClock, day: Date | string): string {
  return typeof day === 'string' ? day.slice(0, 10) : clock.dayOf(day);
}

function daysUntil(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** The last threshold a credential expiring on `expiresOn` has crossed by `today`, if any. */
export function thresholdOn(today: string, expiresOn: string): ExpiryThreshold | null {
  const days = daysUntil(today, expiresOn);
  if (days < 0) return 'expired';
  if (days <= 30) return '30';
  if (days <= 60) return '60';
  if (days <= 90) return '90';
  return null;
}

const rank = (t: ExpiryThreshold | null) => (t === null ? -1 : EXPIRY_THRESHOLDS.indexOf(t));

/** A provider's standing on `day` from its status and credentials (in expiry order). */
function standingOf(
  provider: Pick<ProviderRow, 'status'>,
  credentials: readonly CredentialRow[],
  day: string,
): Standing {
  const result: Standing = {
    bookable: provider.status === 'active',
    reasons: [],
    expired: [],
    expiringWithin: { 90: [], 60: [], 30: [] },
  };
  if (!result.bookable) {
    result.reasons.push({
      code: 'provider-inactive',
      credentialId: null,
      detail: 'The provider is inactive.',
    });
  }
  for (const row of credentials) {
    const threshold = thresholdOn(day, row.expires_on);
    if (threshold === null) continue;
    const view = toCredentialView(row);
    if (threshold === 'expired') {
      result.expired.push(view);
      if (BOOKING_REQUIRED_TYPES.includes(row.type)) {
        result.bookable = false;
        result.reasons.push({
          code: 'credential-expired',
          credentialId: row.id,
          detail: `The ${row.type === 'dea' ? 'DEA registration' : 'license'} expired on ${row.expires_on}.`,
        });
      }
    } else {
      result.expiringWithin[threshold].push(view);
    }
  }
  return result;
}

/**
 * Whether a provider's credentials allow booking them, and the daily job that warns of
 * credentials about to expire. Scheduling and billing call `standing`.
 */
@Injectable()
export class CredentialStatus implements OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private lastRunDay: string | undefined;

  constructor(
    private readonly database: ProvidersDatabase,
    private readonly providers: ProvidersRepository,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly clock: AgencyClock,
  ) {}

  /**
   * The provider's standing on a day, or on the agency's day of an instant: a credential expiring
   * on 30 November is still in date at 19:00 in Chicago that evening (01:00 UTC on 1 December).
   */
  async standing(providerId: string, onDate: Date | string): Promise<Standing> {
    const provider = await this.providers.findById(providerId);
    if (!provider) throw Problems.notFound('provider');
    return standingOf(
      provider,
      await this.providers.credentialsOf(providerId),
      agencyDay(this.clock, onDate),
    );
  }

  /**
   * `standing` of many providers on one day, read in one query: by provider id, with the same
   * answers `standing` gives each. A provider not on record is absent from the map (where
   * `standing` answers 404).
   */
  async standings(providerIds: readonly string[], onDate: Date | string): Promise<Map<string, Standing>> {
    const day = agencyDay(this.clock, onDate);
    const out = new Map<string, Standing>();
    for (const { provider, credentials } of await this.providers.withCredentials(providerIds)) {
      out.set(provider.id, standingOf(provider, credentials, day));
    }
    return out;
  }

  /**
   * Publishes one `providers.credential.expiring` event for each credential that has crossed a
   * threshold (90, 60, 30 days before expiry, or expired) since it was last flagged, and records
   * the threshold on the row in the same transaction: running it again the same day publishes
   * nothing. A credential first seen late gets only its current threshold. Returns how many
   * events were published.
   */
  async flagExpiringCredentials(today: Date | string): Promise<number> {
    const day = agencyDay(this.clock, today);
    const horizon = new Date(Date.parse(`${day}T00:00:00Z`) + 90 * DAY_MS).toISOString().slice(0, 10);
    return this.database.transaction(async (trx) => {
      let published = 0;
      for (const row of await this.providers.dueForFlagging(horizon, trx)) {
        const threshold = thresholdOn(day, row.expires_on);
        if (threshold === null || rank(threshold) <= rank(row.last_flagged_threshold)) continue;
        await this.providers.markFlagged(row.id, threshold, trx);
        await publishEvent(trx, ProvidersTopics.credentialExpiring, {
          credentialId: row.id,
          providerId: row.provider_id,
          agencyId: row.agency_id,
          threshold,
          expiresOn: row.expires_on,
        } satisfies CredentialExpiringEvent);
        published++;
      }
      return published;
    });
  }

  /** Checks hourly and runs the job once per agency day; the timer never keeps the process alive. */
  startDailyJob(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.runDailyJob().catch((err: unknown) => this.logger.error({ err }, 'credential expiry job failed'));
    }, HOUR_MS);
    this.timer.unref();
  }

  /**
   * `flagExpiringCredentials` for the agency's day at `now`, unless it already ran for that day.
   * Returns the day it ran for, or null when it had.
   */
  async runDailyJob(now: Date = new Date()): Promise<string | null> {
    const day = this.clock.today(now);
    if (day === this.lastRunDay) return null;
    const count = await this.flagExpiringCredentials(day);
    this.lastRunDay = day;
    this.logger.info({ count, day }, 'credential expiry warnings published');
    return day;
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
