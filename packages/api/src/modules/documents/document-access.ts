import { Injectable } from '@nestjs/common';
import { scopeAllows, type Principal } from '../../platform/auth/principal.js';
import { ProblemError, Problems } from '../../platform/errors/problem.js';
import { CaseAccess } from '../cases/case-access.js';
import { ClientAccess } from '../clients/client-access.js';
import { ProviderAccess } from '../providers/provider-access.js';
import { DocumentsRepository, type DocumentRow } from './documents.repository.js';

export const DOCUMENTS_READ = 'documents.documents.read';
export const DOCUMENTS_WRITE = 'documents.documents.write';
export const LEGAL_HOLD_MANAGE = 'documents.legal_hold.manage';
export type DocumentPermission = typeof DOCUMENTS_READ | typeof DOCUMENTS_WRITE;

/** A provider's own documents (contracts, licences) go with the caller's grant on providers. */
export const PROVIDER_PERMISSION: Record<DocumentPermission, string> = {
  [DOCUMENTS_READ]: 'providers.providers.read',
  [DOCUMENTS_WRITE]: 'providers.providers.write',
};

/** How a caller reached a document: within their scope, or under a break-the-glass grant. */
export type Reach = 'scope' | 'break_glass';

/** The records a document hangs off. */
export interface DocumentLinks {
  client_id: string | null;
  case_id: string | null;
  provider_id: string | null;
}

/** Where a new document goes, as checked for the uploader. */
export interface UploadTarget {
  agencyId: string;
  clientId: string | null;
  caseId: string | null;
  providerId: string | null;
  /** The client's birth date (a minor's records are kept longer). */
  birthDate: string | null;
  /** The case's program and Part 2 flag, when the document belongs to a case. */
  caseProgramId: string | null;
  casePart2: boolean;
}

/**
 * The one place that decides whether a caller may reach a document. A document has no scope of
 * its own: it is reached through the record it belongs to, with the caller's documents grant —
 * its case if it has one (CaseAccess), else its client (ClientAccess, break-the-glass included
 * for reading), else its provider (ProviderAccess, with the caller's providers grant, which is
 * agency-wide). Another agency's document answers 404, one outside the caller's scope 403.
 * Part 2 documents are further limited by `maySeePart2`.
 */
@Injectable()
export class DocumentAccess {
  constructor(
    private readonly documents: DocumentsRepository,
    private readonly clients: ClientAccess,
    private readonly cases: CaseAccess,
    private readonly providers: ProviderAccess,
  ) {}

  async require(
    principal: Principal,
    documentId: string,
    permission: DocumentPermission,
  ): Promise<{ document: DocumentRow; via: Reach }> {
    const document = await this.documents.findById(documentId);
    if (!document) throw Problems.notFound('document');
    if (document.agency_id !== principal.agencyId && principal.grants[permission] !== 'all') {
      throw Problems.notFound('document');
    }
    return { document, via: await this.reach(principal, document, permission) };
  }

  /**
   * For lists: a function telling whether the caller reaches a document (null when not),
   * deciding each case, client or provider once.
   */
  reachability(
    principal: Principal,
    permission: DocumentPermission,
  ): (links: DocumentLinks) => Promise<Reach | null> {
    const decided = new Map<string, Promise<Reach | null>>();
    return (links) => {
      const key = `${links.case_id ?? ''}|${links.client_id ?? ''}|${links.provider_id ?? ''}`;
      let decision = decided.get(key);
      if (!decision) {
        decision = this.reach(principal, links, permission).catch((err: unknown) => {
          if (err instanceof ProblemError) return null;
          throw err;
        });
        decided.set(key, decision);
      }
      return decision;
    };
  }

  /** A list by case: the case must be within the caller's documents grant. */
  async requireCase(principal: Principal, caseId: string): Promise<void> {
    await this.cases.require(principal, caseId, DOCUMENTS_READ);
  }

  /** A list by client: the client must be within reach; returns its id (the survivor's, after a merge). */
  async requireClient(principal: Principal, clientId: string): Promise<string> {
    return (await this.clients.require(principal, clientId, DOCUMENTS_READ)).client.id;
  }

  /** A list by provider: the provider must be within the caller's providers grant. */
  async requireProvider(principal: Principal, providerId: string): Promise<void> {
    await this.providers.require(principal, providerId, PROVIDER_PERMISSION[DOCUMENTS_READ]);
  }

  /** Whether the caller may see a document's Part 2 information (any document that is not Part 2). */
  async maySeePart2(principal: Principal, document: DocumentRow): Promise<boolean> {
    if (!document.part2) return true;
    // Whoever filed it has seen it.
    if (document.created_by === principal.id) return true;
    if (document.client_id === null) return false;
    return this.clients.canSeePart2(principal, document.client_id, document.owning_program_id);
  }

  /** Legal holds are an agency's records-management decision: a grant for the whole agency. */
  async requireForLegalHold(principal: Principal, documentId: string): Promise<DocumentRow> {
    const document = await this.documents.findById(documentId);
    if (!document) throw Problems.notFound('document');
    if (scopeAllows(principal, LEGAL_HOLD_MANAGE, { agencyId: document.agency_id })) return document;
    if (document.agency_id !== principal.agencyId) throw Problems.notFound('document');
    throw Problems.forbidden(
      'Legal holds are placed and released by those who manage them for the whole agency.',
    );
  }

  /**
   * The records a new document is filed under, checked for the uploader's write grant: the
   * case (and so its client), else the client, else the provider. A provider named beside a
   * client or case must be one the caller can see, of the same agency.
   */
  async uploadTarget(
    principal: Principal,
    links: { clientId?: string | undefined; caseId?: string | undefined; providerId?: string | undefined },
  ): Promise<UploadTarget> {
    let target: UploadTarget | null = null;
    if (links.caseId) {
      const { case: row } = await this.cases.require(principal, links.caseId, DOCUMENTS_WRITE);
      if (links.clientId && (await this.clients.resolve(links.clientId))?.id !== row.client_id) {
        throw Problems.validation([
          { field: 'body.clientId', message: 'This is not the client of the case.' },
        ]);
      }
      const client = await this.clients.resolve(row.client_id);
      target = {
        agencyId: row.agency_id,
        clientId: row.client_id,
        caseId: row.id,
        providerId: null,
        birthDate: client?.birth_date ?? null,
        caseProgramId: row.program_id,
        casePart2: row.part2,
      };
    } else if (links.clientId) {
      const { client } = await this.clients.require(principal, links.clientId, DOCUMENTS_WRITE);
      target = {
        agencyId: client.agency_id,
        clientId: client.id,
        caseId: null,
        providerId: null,
        birthDate: client.birth_date,
        caseProgramId: null,
        casePart2: false,
      };
    }
    if (!links.providerId) {
      if (!target)
        throw Problems.validation([{ field: 'body.clientId', message: 'Link a client, case or provider.' }]);
      return target;
    }
    const provider = await this.providers.require(
      principal,
      links.providerId,
      PROVIDER_PERMISSION[target ? DOCUMENTS_READ : DOCUMENTS_WRITE],
    );
    if (!target) {
      return {
        agencyId: provider.agency_id,
        clientId: null,
        caseId: null,
        providerId: provider.id,
        birthDate: null,
        caseProgramId: null,
        casePart2: false,
      };
    }
    if (provider.agency_id !== target.agencyId) {
      throw Problems.validation([
        { field: 'body.providerId', message: 'The provider is not of the client’s agency.' },
      ]);
    }
    return { ...target, providerId: provider.id };
  }

  /** Reaching the record the document belongs to; throws 403, or 404 as for the document itself. */
  private async reach(
    principal: Principal,
    links: DocumentLinks,
    permission: DocumentPermission,
  ): Promise<Reach> {
    try {
      if (links.case_id) return await this.reachCase(principal, links.case_id, links.client_id, permission);
      if (links.client_id) return (await this.clients.require(principal, links.client_id, permission)).via;
      if (links.provider_id) {
        await this.providers.require(principal, links.provider_id, PROVIDER_PERMISSION[permission]);
        return 'scope';
      }
    } catch (err) {
      if (err instanceof ProblemError && err.status === 404) throw Problems.notFound('document');
      throw err;
    }
    throw Problems.notFound('document');
  }

  private async reachCase(
    principal: Principal,
    caseId: string,
    clientId: string | null,
    permission: DocumentPermission,
  ): Promise<Reach> {
    try {
      await this.cases.require(principal, caseId, permission);
      return 'scope';
    } catch (err) {
      // An emergency (break-the-glass) grant for the client lets its cases' documents be read.
      if (!(err instanceof ProblemError) || err.status !== 403) throw err;
      if (permission !== DOCUMENTS_READ || clientId === null) throw err;
      const grant = await this.clients.require(principal, clientId, permission).catch((e: unknown) => {
        if (e instanceof ProblemError) return null;
        throw e;
      });
      if (grant?.via === 'break_glass') return 'break_glass';
      throw err;
    }
  }
}
