import { Injectable } from '@nestjs/common';
import type { Principal } from '../../platform/auth/principal.js';
import { FieldCipher } from '../../platform/crypto/field-cipher.js';
import { ClientAccess } from './client-access.js';
import { READ } from './clients.service.js';
import type { ClientSearchHit, ClientSearchQuery } from './search.dto.js';
import { ClientSearchRepository } from './search.repository.js';
import { identifierIndex } from './identifiers.js';
import { toClientView } from './views.js';

/**
 * Finding a client: a typo-tolerant name (pg_trgm word similarity over names and aliases), a
 * birth date, an SSN or Medicaid id (by blind index, never decrypting), a phone number. Every
 * criterion given must hold; results are ranked by how well the name matched and never leave
 * the caller's scope. Merged records are not returned (their survivor is).
 */
@Injectable()
export class ClientSearch {
  constructor(
    private readonly search: ClientSearchRepository,
    private readonly access: ClientAccess,
    private readonly cipher: FieldCipher,
  ) {}

  async find(principal: Principal, query: ClientSearchQuery): Promise<{ items: ClientSearchHit[] }> {
    const filter = this.access.filter(principal, READ);
    if (!filter) return { items: [] };
    const rows = await this.search.search({
      filter,
      agencyId: filter.kind === 'all' ? null : principal.agencyId,
      name: query.q,
      birthDate: query.birthDate,
      ssnIndex: query.ssn ? identifierIndex(this.cipher, 'ssn', query.ssn) : undefined,
      medicaidIndex: query.medicaidId
        ? identifierIndex(this.cipher, 'medicaid', query.medicaidId)
        : undefined,
      phone: query.phone,
      limit: query.limit,
    });
    return {
      items: rows.map((row) => ({ ...toClientView(row), score: Math.round(row.score * 100) / 100 })),
    };
  }
}
