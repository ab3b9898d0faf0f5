import { Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { CaseAccessModule } from '../cases/case-access.module.js';
import { ClientAccessModule } from '../clients/client-access.module.js';
import { ProviderAccessModule } from '../providers/provider-access.module.js';
import { DocumentMergeSync } from './client-merge-sync.js';
import { DocumentAccess } from './document-access.js';
import { DocumentFiles } from './document-files.js';
import { DocumentsController } from './documents.controller.js';
import { DocumentsDatabase } from './documents.database.js';
import { DocumentsRepository } from './documents.repository.js';
import { DocumentsService } from './documents.service.js';
import { acceptMultipartUploads } from './multipart-upload.js';

/**
 * Document Management (seed service port 3007): document metadata and versions in the
 * `documents` schema, bytes in the blob store. Reaches clients, cases and providers only
 * through their access modules (no routes of theirs come with them), so it runs on its own.
 */
@Module({
  imports: [ClientAccessModule, CaseAccessModule, ProviderAccessModule],
  controllers: [DocumentsController],
  providers: [
    DocumentsDatabase,
    DocumentsRepository,
    DocumentAccess,
    DocumentFiles,
    DocumentsService,
    DocumentMergeSync,
  ],
})
export class DocumentsModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    acceptMultipartUploads(this.adapterHost.httpAdapter.getInstance<FastifyInstance>());
  }
}
