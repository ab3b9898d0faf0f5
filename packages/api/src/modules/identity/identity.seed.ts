import { Injectable, type INestApplication } from '@nestjs/common';
import type { AppConfig } from '../../platform/config/config.js';
import { FieldCipher } from '../../platform/crypto/field-cipher.js';
import { SessionsService } from './auth/sessions.service.js';
import { PasswordHasher } from './crypto/password-hasher.js';
import { DEMO_AGENCY, DEMO_PASSWORD, DEMO_USERS } from './demo.js';
import { IdentityDatabase } from './identity.database.js';
import { DirectoryRepository } from './repositories/directory.repository.js';
import { UsersRepository } from './repositories/users.repository.js';
import { ROLE_CATALOG } from './roles.catalog.js';

/** Whether the demo agency is loaded, per running app, for the start banner. */
const demoLoaded = new WeakMap<AppConfig, boolean>();

/**
 * Identity's start-up work: write the role catalog (always), re-announce recent session
 * revocations, and on a database without users load the demo agency (SEED_DEMO_DATA).
 */
export async function seedIdentityDemo(app: INestApplication, config: AppConfig): Promise<void> {
  demoLoaded.set(config, await app.get(IdentitySeeder).run(config));
}

/** The demo logins `npm start` prints, when the demo agency exists. */
export function identityBanner(config: AppConfig): string[] {
  if (!demoLoaded.get(config)) return [];
  const width = Math.max(...DEMO_USERS.map((u) => u.email.length));
  return [
    `Demo logins (password ${DEMO_PASSWORD}; demo data only):`,
    ...DEMO_USERS.map((u) =>
      `  ${u.email.padEnd(width)}  ${u.role.padEnd(18)}  ${u.totpSecret ? `MFA TOTP secret ${u.totpSecret}` : ''}`.trimEnd(),
    ),
  ];
}

@Injectable()
export class IdentitySeeder {
  constructor(
    private readonly database: IdentityDatabase,
    private readonly directory: DirectoryRepository,
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly cipher: FieldCipher,
    private readonly sessions: SessionsService,
  ) {}

  /** Returns whether the demo agency exists afterwards. */
  async run(config: AppConfig): Promise<boolean> {
    await this.directory.syncRoleCatalog(ROLE_CATALOG);
    await this.sessions.replayRecentRevocations(config.ACCESS_TOKEN_TTL_SECONDS);
    if (config.SEED_DEMO_DATA && !(await this.users.anyUserExists())) await this.seedDemo();
    return this.directory.agencyExists(DEMO_AGENCY.id);
  }

  private async seedDemo(): Promise<void> {
    // Every demo user has the same password: hash it once.
    const passwordHash = await this.hasher.hash(DEMO_PASSWORD);
    await this.database.transaction(async (trx) => {
      await this.directory.lockForSeeding(trx);
      if (await this.users.findById(DEMO_USERS[0]?.id ?? '', trx)) return;
      await this.directory.insertAgency({ id: DEMO_AGENCY.id, name: DEMO_AGENCY.name }, trx);
      for (const program of DEMO_AGENCY.programs) {
        await this.directory.insertProgram(
          { id: program.id, agency_id: DEMO_AGENCY.id, code: program.code, name: program.name },
          trx,
        );
        for (const team of program.teams) {
          await this.directory.insertTeam(
            { id: team.id, agency_id: DEMO_AGENCY.id, program_id: program.id, name: team.name },
            trx,
          );
        }
      }
      for (const user of DEMO_USERS) {
        await this.users.insert(
          {
            id: user.id,
            agency_id: DEMO_AGENCY.id,
            email: user.email,
            display_name: user.displayName,
            password_hash: passwordHash,
            mfa_secret: user.totpSecret ? this.cipher.encrypt(user.totpSecret) : null,
            mfa_enabled_at: user.totpSecret ? new Date() : null,
          },
          { roles: [user.role], teamIds: user.teamIds },
          trx,
        );
      }
    });
  }
}
