import { Injectable } from '@nestjs/common';
import type { Principal } from '../../../platform/auth/principal.js';
import { ClientAccess } from '../../clients/client-access.js';

const CLIENT_READ = 'clients.clients.read';

/** Who a board (or a bed's history) may name, decided for all its clients at once. */
export interface BoardNames {
  /** Client id (as the bed records it) → display name; null or absent: withheld from this caller. */
  names: ReadonlyMap<string, string | null>;
  /** Clients named whose stay at this facility is 42 CFR Part 2 information (shown with the notice). */
  part2: ReadonlySet<string>;
}

/**
 * The names the bed board may show a caller. The board is open to everyone with a bed grant for
 * the facility, but a client's name only to those whose client grant reaches that client (the
 * same decision ClientAccess makes, without break-the-glass: glancing at a board is no emergency),
 * and — when the client has a 42 CFR Part 2 enrolment in the facility's program, so that their
 * stay there is Part 2 information — only to those who may see it (ClientAccess.canSeePart2's
 * rule: staff of that program, a Part 2 consent naming them, break-the-glass). Everyone else sees
 * the bed occupied or held, with the name withheld. Ids recorded before a merge name the survivor.
 * A whole board costs a few queries, not a few per client.
 */
@Injectable()
export class ClientNames {
  constructor(private readonly access: ClientAccess) {}

  async visibleTo(
    principal: Principal,
    clientIds: readonly string[],
    programId: string,
  ): Promise<BoardNames> {
    const names = new Map<string, string | null>();
    const part2 = new Set<string>();
    const ids = [...new Set(clientIds)];
    if (!principal.grants[CLIENT_READ] || ids.length === 0) return { names, part2 };
    const survivors = await this.access.resolveAmong(ids);
    const reachable = await this.access.reachableAmong(
      principal,
      CLIENT_READ,
      [...survivors.values()].map((c) => c.id),
    );
    const sight = await this.access.part2Among(
      principal,
      [...reachable.keys()].map((clientId) => ({ clientId, programId })),
    );
    for (const id of ids) {
      const client = reachable.get(survivors.get(id)?.id ?? '');
      const standing = client ? sight.of(client.id, programId) : null;
      if (!client || standing === 'withheld') {
        names.set(id, null);
        continue;
      }
      names.set(id, `${client.preferred_name ?? client.given_name} ${client.family_name}`);
      if (standing === 'disclosed') part2.add(id);
    }
    return { names, part2 };
  }
}
