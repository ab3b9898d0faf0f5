import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { APP_CONFIG, ConfigError, type AppConfig, type ServiceName } from '../config/config.js';
import { LOGGER } from '../logging/logger.js';
import { BLOB_STORE, type BlobStore } from './blob-store.js';
import { LocalDiskBlobStore } from './local-disk-blob-store.js';
import { S3BlobStore } from './s3-blob-store.js';

/**
 * Services that keep blobs: a process running one of them includes the blob store in its
 * readiness, the others do not (an object-store outage must not take identity out of service).
 */
export const BLOB_STORE_SERVICES: readonly ServiceName[] = ['documents'];

/** The BlobStore the configuration asks for (BLOB_STORE, S3_*, DATA_DIR). */
export function openBlobStore(config: AppConfig, logger?: Logger): BlobStore {
  if (config.BLOB_STORE === 'local') return new LocalDiskBlobStore(resolve(config.DATA_DIR, 'blobs'));
  if (!config.S3_BUCKET) throw new ConfigError('S3_BUCKET', 'required when BLOB_STORE=s3');
  return new S3BlobStore({
    bucket: config.S3_BUCKET,
    region: config.S3_REGION,
    ...(config.S3_ENDPOINT ? { endpoint: config.S3_ENDPOINT } : {}),
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
    ...(config.S3_ACCESS_KEY_ID && config.S3_SECRET_ACCESS_KEY
      ? {
          credentials: {
            accessKeyId: config.S3_ACCESS_KEY_ID,
            secretAccessKey: config.S3_SECRET_ACCESS_KEY,
          },
        }
      : {}),
    ...(logger ? { logger } : {}),
  });
}

/** Provides BLOB_STORE to every module (global). Opening a store touches neither disk nor network. */
@Global()
@Module({
  providers: [
    {
      provide: BLOB_STORE,
      useFactory: (config: AppConfig, logger: Logger) => openBlobStore(config, logger),
      inject: [APP_CONFIG, LOGGER],
    },
  ],
  exports: [BLOB_STORE],
})
export class StorageModule implements OnApplicationShutdown {
  constructor(@Inject(BLOB_STORE) private readonly store: BlobStore) {}

  onApplicationShutdown(): void {
    if (this.store instanceof S3BlobStore) this.store.destroy();
  }
}
