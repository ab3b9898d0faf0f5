import { Global, Module, type DynamicModule, type Provider } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { AccessTokenVerifier, JWT_KEY_SOURCE } from './auth/access-tokens.js';
import { JwtKeyRing } from './auth/key-ring.js';
import { SessionRevocations } from './auth/session-revocations.js';
import { AuditWriter } from './audit/audit-writer.js';
import { AUDIT_SINK } from './audit/audit-sink.js';
import { APP_CONFIG, type AppConfig } from './config/config.js';
import { DATABASE, type DatabaseHandle } from './database/database.js';
import { DeadLettersController } from './events/dead-letters.controller.js';
import { DeadLetters } from './events/dead-letters.service.js';
import { EventBroker } from './events/event-broker.js';
import { OutboxDispatcher } from './events/outbox-dispatcher.js';
import { OutboxRepository } from './events/outbox.repository.js';
import { HealthController } from './health/health.controller.js';
import { OpenApiController } from './openapi/openapi.controller.js';
import { LOGGER } from './logging/logger.js';
import { Metrics } from './metrics/metrics.js';
import { RateLimits } from './rate-limit/rate-limits.js';
import { REDIS } from './redis/redis.js';
import { FieldCipher } from './crypto/field-cipher.js';
import { StorageModule } from './storage/storage.module.js';
import { AgencyClock } from './time/agency-clock.js';

export interface PlatformHandles {
  config: AppConfig;
  database: DatabaseHandle;
  redis: Redis | null;
  logger: Logger;
}

/** Cross-cutting services every module may inject. Holds no business rules. */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(handles: PlatformHandles): DynamicModule {
    const providers: Provider[] = [
      { provide: APP_CONFIG, useValue: handles.config },
      { provide: DATABASE, useValue: handles.database },
      { provide: REDIS, useValue: handles.redis },
      { provide: LOGGER, useValue: handles.logger },
      AuditWriter,
      { provide: AUDIT_SINK, useExisting: AuditWriter },
      SessionRevocations,
      AccessTokenVerifier,
      RateLimits,
      EventBroker,
      OutboxRepository,
      OutboxDispatcher,
      DeadLetters,
      Metrics,
      FieldCipher,
      JwtKeyRing,
      { provide: JWT_KEY_SOURCE, useExisting: JwtKeyRing },
      { provide: AgencyClock, useValue: new AgencyClock(handles.config.AGENCY_TIME_ZONE) },
    ];
    return {
      module: PlatformModule,
      imports: [StorageModule],
      controllers: [HealthController, OpenApiController, DeadLettersController],
      providers,
      exports: providers.map((p) =>
        typeof p === 'function' ? p : (p as { provide: unknown }).provide,
      ) as never[],
    };
  }
}
