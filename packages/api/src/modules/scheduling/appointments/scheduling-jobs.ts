import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { APP_CONFIG, type AppConfig } from '../../../platform/config/config.js';
import { LOGGER } from '../../../platform/logging/logger.js';
import { ReminderSchedule } from './reminder-policy.js';
import { Waitlist } from './waitlist.service.js';

/**
 * The appointments' periodic work: publish due reminders (REMINDER_INTERVAL_SECONDS) and end
 * waitlist offers whose time is up (WAITLIST_EXPIRY_INTERVAL_SECONDS). Both are safe on several
 * replicas (rows locked SKIP LOCKED) and neither is needed for correctness of reads or bookings.
 */
@Injectable()
export class AppointmentJobs implements OnApplicationShutdown {
  private timers: NodeJS.Timeout[] = [];
  private running = new Set<Promise<unknown>>();

  constructor(
    private readonly reminders: ReminderSchedule,
    private readonly waitlist: Waitlist,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.timers.length > 0) return;
    this.every(this.config.REMINDER_INTERVAL_SECONDS, 'reminders', () => this.reminders.publishDue());
    this.every(this.config.WAITLIST_EXPIRY_INTERVAL_SECONDS, 'waitlist offer expiry', () =>
      this.waitlist.expireOffers(),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    await Promise.all(this.running);
  }

  private every(seconds: number, name: string, work: () => Promise<unknown>): void {
    let busy = false;
    const timer = setInterval(() => {
      if (busy) return;
      busy = true;
      const run = work()
        .catch((err: unknown) => {
          this.logger.error({ err }, `${name} job failed`);
        })
        .finally(() => {
          busy = false;
          this.running.delete(run);
        });
      this.running.add(run);
    }, seconds * 1000);
    timer.unref();
    this.timers.push(timer);
  }
}
