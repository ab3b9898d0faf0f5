import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  Res,
  StreamableFile,
} from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { CurrentPrincipal } from '../../platform/auth/current-principal.js';
import { RequirePermission, type AuditOptions } from '../../platform/auth/decorators.js';
import type { Principal } from '../../platform/auth/principal.js';
import { versionFromIfMatch, withEtag } from '../../platform/http/optimistic-concurrency.js';
import { Doc } from '../../platform/http/route-catalog.js';
import { withRedisclosureNotice } from '../clients/part2.js';
import {
  DOCUMENTS_READ,
  DOCUMENTS_WRITE,
  LEGAL_HOLD_MANAGE,
  PROVIDER_PERMISSION,
} from './document-access.js';
import {
  ContentQuery,
  DeleteDocumentBody,
  DocumentDetailResponse,
  DocumentIdParams,
  DocumentListQuery,
  DocumentListResponse,
  LegalHoldBody,
  LegalHoldResponse,
  UploadForm,
  VersionUploadForm,
} from './documents.dto.js';
import { DocumentsService } from './documents.service.js';
import { MULTIPART_UPLOAD, receiveUpload } from './multipart-upload.js';

type IdParams = z.output<typeof DocumentIdParams>;
const PHI: AuditOptions = { resource: 'documents.documents', phi: true };
/**
 * A provider's own documents (licences, contracts) go with the providers grant, so the agency
 * admin who keeps provider records files them without any grant on clients' documents: these
 * routes also open to that grant, and DocumentAccess decides each document by what it is linked to.
 */
const PROVIDER_DOCUMENTS_READ = { alternatives: [PROVIDER_PERMISSION[DOCUMENTS_READ]] };
const PROVIDER_DOCUMENTS_WRITE = { alternatives: [PROVIDER_PERMISSION[DOCUMENTS_WRITE]] };

/** Documents of clients, cases and providers: metadata, uploads, downloads, deletion and legal holds. */
@Controller('api/v1/documents')
export class DocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  @Post()
  @RouteConfig(MULTIPART_UPLOAD)
  @RequirePermission(DOCUMENTS_WRITE, PHI, PROVIDER_DOCUMENTS_WRITE)
  @Doc({
    summary: 'Upload a document (multipart/form-data: the fields, then the file)',
    description:
      'The file is streamed to storage, never held in memory; its type is judged by its content (415 ' +
      'names what it is when not accepted) and its size by DOCUMENT_MAX_BYTES (413). A failed upload ' +
      'leaves nothing behind.',
    requestBody: { contentType: 'multipart/form-data', schema: UploadForm },
    response: DocumentDetailResponse,
    status: 201,
  })
  async upload(
    @CurrentPrincipal() me: Principal,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const view = await this.documents.upload(me, () => receiveUpload(req, reply, this.documents.maxBytes));
    void reply.header('location', `/api/v1/documents/${view.id}`);
    return withRedisclosureNotice(reply, withEtag(reply, view));
  }

  @Get()
  @RequirePermission(DOCUMENTS_READ, PHI, PROVIDER_DOCUMENTS_READ)
  @Doc({
    summary: 'Documents of a client, a case or a provider, newest first',
    description:
      'Exactly one of clientId, caseId, providerId. Leaves out what the caller may not reach and ' +
      'counts withheld Part 2 documents; a page may be shorter than `limit`.',
    response: DocumentListResponse,
  })
  async list(
    @CurrentPrincipal() me: Principal,
    @Query({ schema: DocumentListQuery }) query: DocumentListQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withRedisclosureNotice(reply, await this.documents.list(me, query));
  }

  @Get(':id')
  @RequirePermission(DOCUMENTS_READ, PHI, PROVIDER_DOCUMENTS_READ)
  @Doc({
    summary: 'One document with its versions (ETag carries the version)',
    response: DocumentDetailResponse,
  })
  async get(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: DocumentIdParams }) params: IdParams,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withRedisclosureNotice(reply, withEtag(reply, await this.documents.get(me, params.id)));
  }

  @Get(':id/content')
  @RequirePermission(DOCUMENTS_READ, PHI, PROVIDER_DOCUMENTS_READ)
  @Doc({
    summary: 'Download a document (the current version, or ?version=n)',
    description:
      'Streams the bytes; honours one `Range` (206, 416 past the end) and `If-Range`. The ETag is the ' +
      'SHA-256 of the bytes (`If-None-Match` answers 304).',
    contentType: 'application/octet-stream',
  })
  async content(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: DocumentIdParams }) params: IdParams,
    @Query({ schema: ContentQuery }) query: ContentQuery,
    @Headers('range') range: string | undefined,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Headers('if-range') ifRange: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile | undefined> {
    const content = await this.documents.content(me, params.id, query, { range, ifNoneMatch, ifRange });
    void reply.status(content.status).headers(content.headers);
    if (!content.body) return undefined;
    const { stream, length } = content.body;
    // Should the answer never be sent (an audit failure), the file or connection is still closed.
    reply.raw.once('close', () => stream.destroy());
    return new StreamableFile(stream, { length });
  }

  @Post(':id/versions')
  @RouteConfig(MULTIPART_UPLOAD)
  @RequirePermission(DOCUMENTS_WRITE, PHI, PROVIDER_DOCUMENTS_WRITE)
  @Doc({
    summary: 'Upload a new version of a document (multipart/form-data, the file only; If-Match required)',
    requestBody: { contentType: 'multipart/form-data', schema: VersionUploadForm },
    response: DocumentDetailResponse,
    status: 201,
  })
  async addVersion(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: DocumentIdParams }) params: IdParams,
    @Headers('if-match') ifMatch: string | undefined,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const view = await this.documents.addVersion(me, params.id, versionFromIfMatch(ifMatch), () =>
      receiveUpload(req, reply, this.documents.maxBytes),
    );
    return withRedisclosureNotice(reply, withEtag(reply, view));
  }

  @Delete(':id')
  @RequirePermission(DOCUMENTS_WRITE, PHI, PROVIDER_DOCUMENTS_WRITE)
  @Doc({
    summary: 'Delete a document (soft: it can be restored; refused under legal hold; If-Match required)',
    response: DocumentDetailResponse,
  })
  async remove(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: DocumentIdParams }) params: IdParams,
    @Headers('if-match') ifMatch: string | undefined,
    @Body({ schema: DeleteDocumentBody }) body: DeleteDocumentBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const view = await this.documents.remove(me, params.id, versionFromIfMatch(ifMatch), body.reason);
    return withRedisclosureNotice(reply, withEtag(reply, view));
  }

  @Post(':id/restore')
  @HttpCode(200)
  @RequirePermission(DOCUMENTS_WRITE, PHI, PROVIDER_DOCUMENTS_WRITE)
  @Doc({ summary: 'Restore a deleted document (If-Match required)', response: DocumentDetailResponse })
  async restore(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: DocumentIdParams }) params: IdParams,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const view = await this.documents.restore(me, params.id, versionFromIfMatch(ifMatch));
    return withRedisclosureNotice(reply, withEtag(reply, view));
  }

  @Post(':id/legal-hold')
  @HttpCode(200)
  @RequirePermission(LEGAL_HOLD_MANAGE, PHI)
  @Doc({
    summary: 'Place or release a legal hold (agency-wide grant; If-Match required)',
    description: 'A held document cannot be deleted. Answers the hold and retention, not the content.',
    response: LegalHoldResponse,
  })
  async legalHold(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: DocumentIdParams }) params: IdParams,
    @Headers('if-match') ifMatch: string | undefined,
    @Body({ schema: LegalHoldBody }) body: LegalHoldBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.documents.legalHold(me, params.id, versionFromIfMatch(ifMatch), body));
  }
}
