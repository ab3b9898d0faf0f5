import { Controller, Get } from '@nestjs/common';
import { CurrentPrincipal } from '../../../platform/auth/current-principal.js';
import { RequirePermission } from '../../../platform/auth/decorators.js';
import type { Principal } from '../../../platform/auth/principal.js';
import { Doc } from '../../../platform/http/route-catalog.js';
import { DirectoryRepository } from '../repositories/directory.repository.js';
import { RoleListResponse, TeamListResponse } from './users.dto.js';

/** The role catalog and the agency's teams, for administration screens. */
@Controller('api/v1/identity')
export class DirectoryController {
  constructor(private readonly directory: DirectoryRepository) {}

  @Get('roles')
  @RequirePermission('identity.roles.read')
  @Doc({ summary: 'Roles and what each grants', response: RoleListResponse })
  async roles() {
    return { items: await this.directory.listRoles() };
  }

  @Get('teams')
  @RequirePermission('identity.users.read', { resource: 'identity.teams' })
  @Doc({ summary: 'Teams of my agency', response: TeamListResponse })
  async teams(@CurrentPrincipal() me: Principal) {
    const teams = await this.directory.listTeams(
      me.grants['identity.users.read'] === 'all' ? null : me.agencyId,
    );
    return {
      items: teams.map((t) => ({
        id: t.id,
        name: t.name,
        programId: t.programId,
        programName: t.programName,
      })),
    };
  }
}
