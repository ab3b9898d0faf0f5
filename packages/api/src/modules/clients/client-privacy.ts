import { Injectable } from '@nestjs/common';
import type { Principal } from '../../platform/auth/principal.js';

/**
 * Consent and break-the-glass lookups ClientAccess relies on.
 * TODO(issue 4, consents slice): backed by clients.consents and clients.break_glass.
 */
@Injectable()
export class ClientPrivacy {
  /** The id of the caller's active break-the-glass grant for the client, or null. */
  activeBreakGlass(_userId: string, _clientId: string): Promise<string | null> {
    return Promise.resolve(null);
  }

  /** Whether an active 42 CFR Part 2 consent of the client names the caller (user, team, program or agency). */
  hasPart2Consent(_principal: Principal, _clientId: string): Promise<boolean> {
    return Promise.resolve(false);
  }
}
