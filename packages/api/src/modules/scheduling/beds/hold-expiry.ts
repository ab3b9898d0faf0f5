import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { APP_CONFIG, type AppConfig } from '../../../platform/config/config.js';
import { LOGGER } from '../../../platform/logging/logger.js';
import { BedBoard } from './bed-board.service.js';

/**
 * Ends bed holds whose time is up every BED_HOLD_EXPIRY_INTERVAL_SECONDS, so the freed beds are
 * announced to open boards. Correctness does not wait for it: every read and move already treats
 * an expired hold as ended. Safe on several replicas at once (each expiry locks its bed and
 * re-checks).
 */
@Injectable()
export class BedHoldExpiry implements OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly board: BedBoard,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.running = this.board.expireDueHolds().catch((err: unknown) => {
        this.logger.error({ err }, 'bed hold expiry failed');
      });
    }, this.config.BED_HOLD_EXPIRY_INTERVAL_SECONDS * 1000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
