import type { INestApplication } from '@nestjs/common';
import type { AppConfig } from '../../platform/config/config.js';

export async function seedIdentityDemo(_app: INestApplication, _config: AppConfig): Promise<void> {}
