import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { CurrentPrincipal } from '../../platform/auth/current-principal.js';
import { RequirePermission } from '../../platform/auth/decorators.js';
import type { Principal } from '../../platform/auth/principal.js';
import { Doc } from '../../platform/http/route-catalog.js';
import {
  AuditLogFilterQuery,
  AuditLogItem,
  AuditLogListQuery,
  AuditLogPage,
  ChainVerification,
  MAX_PAGE_SIZE,
} from './audit.dto.js';
import { AuditTrail } from './audit.service.js';

/** The audit trail for auditors. These reads are themselves audited, like any protected route. */
@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly trail: AuditTrail) {}

  @Get('logs')
  @RequirePermission('audit.logs.read', { resource: 'audit.logs' })
  @Doc({
    summary: 'Search the audit trail',
    description: `Newest first; filter by actor, resource, action, outcome and time; up to ${MAX_PAGE_SIZE} rows a page.`,
    response: AuditLogPage,
  })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query({ schema: AuditLogListQuery }) query: AuditLogListQuery,
  ): Promise<AuditLogPage> {
    return this.trail.list(principal, query);
  }

  @Get('logs/export')
  @RequirePermission('audit.logs.export', { resource: 'audit.logs' })
  @Doc({
    summary: 'Export the audit trail as NDJSON',
    description:
      'Same filters as the search; every matching row, newest first, one JSON object per line in the shape shown.',
    response: AuditLogItem,
    contentType: 'application/x-ndjson',
  })
  async export(
    @CurrentPrincipal() principal: Principal,
    @Query({ schema: AuditLogFilterQuery }) query: AuditLogFilterQuery,
  ): Promise<StreamableFile> {
    const stream = await this.trail.export(principal, query);
    return new StreamableFile(stream, {
      type: 'application/x-ndjson; charset=utf-8',
      disposition: 'attachment; filename="audit-logs.ndjson"',
    });
  }

  @Get('verify')
  @RequirePermission('audit.logs.verify', { resource: 'audit.logs' })
  @Doc({
    summary: 'Verify the hash chain of the audit trail',
    description: 'Recomputes every row hash and checks sequence and links; names the first broken row.',
    response: ChainVerification,
  })
  verify(@CurrentPrincipal() principal: Principal): Promise<ChainVerification> {
    return this.trail.verify(principal);
  }
}
