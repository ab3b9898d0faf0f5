import type { UserAccess, UserProfileRow } from '../repositories/users.repository.js';

/** A user as the API shows it. */
export interface UserView {
  id: string;
  email: string;
  displayName: string;
  agencyId: string;
  roles: string[];
  teamIds: string[];
  programIds: string[];
  mfaEnabled: boolean;
  status: 'active' | 'deactivated';
  version: number;
  createdAt: string;
  updatedAt: string;
}

export function toUserView(row: UserProfileRow, access: UserAccess): UserView {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    agencyId: row.agency_id,
    roles: access.roles,
    teamIds: access.teamIds,
    programIds: access.programIds,
    mfaEnabled: row.mfa_enabled_at !== null,
    status: row.status,
    version: row.version,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}
