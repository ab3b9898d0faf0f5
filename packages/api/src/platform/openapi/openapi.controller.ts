import { Controller, Get, Header } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { z } from 'zod';
import { Public } from '../auth/decorators.js';
import { Doc, routeCatalog } from '../http/route-catalog.js';
import { DOCS_PAGE_CSP, renderDocsPage } from './docs-page.js';
import { buildOpenApiDocument, type OpenApiDocument } from './openapi-document.js';

const JSON_URL = '/api/docs/openapi.json';

const OpenApiDocumentShape = z.looseObject({
  openapi: z.string(),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.unknown()),
});

/** `/api/docs`: the OpenAPI 3.1 document of this process's routes, and a page to browse it. */
@Controller('api/docs')
export class OpenApiController {
  // Routes do not change after start-up; build once, on first request.
  private document: OpenApiDocument | null = null;
  private page: string | null = null;

  constructor(private readonly moduleRef: ModuleRef) {}

  @Get('openapi.json')
  @Public({ reason: 'the API description' })
  @Doc({ summary: 'The OpenAPI 3.1 document of this API', response: OpenApiDocumentShape })
  openApi(): OpenApiDocument {
    return this.built();
  }

  @Get()
  @Public({ reason: 'the API description, as a page' })
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('content-security-policy', DOCS_PAGE_CSP)
  @Doc({ summary: 'Browse the API operations (HTML)' })
  docsPage(): string {
    this.page ??= renderDocsPage(this.built(), JSON_URL);
    return this.page;
  }

  private built(): OpenApiDocument {
    this.document ??= buildOpenApiDocument(
      routeCatalog({ get: (type) => this.moduleRef.get(type, { strict: false }) }),
    );
    return this.document;
  }
}
