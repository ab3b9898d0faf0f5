import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller.js';
import { AuditLogRepository } from './audit.repository.js';
import { AuditTrail } from './audit.service.js';

/**
 * Reads and verifies the audit trail. Writing it is the platform's job (AuditWriter), since every
 * process writes its own rows; this module exports nothing.
 */
@Module({ controllers: [AuditController], providers: [AuditTrail, AuditLogRepository] })
export class AuditModule {}
