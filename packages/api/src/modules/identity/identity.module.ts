import { Module } from '@nestjs/common';
import { AuthController } from './auth/auth.controller.js';
import { LockoutService } from './auth/lockout.service.js';
import { LoginService } from './auth/login.service.js';
import { MfaChallenges } from './auth/mfa-challenges.js';
import { MfaService } from './auth/mfa.service.js';
import { OAuth2Controller } from './auth/oauth2.controller.js';
import { PasswordService } from './auth/password.service.js';
import { SessionsService } from './auth/sessions.service.js';
import { TokensService } from './auth/tokens.service.js';
import { PasswordHasher } from './crypto/password-hasher.js';
import { DiscoveryController } from './discovery.controller.js';
import { IdentityAudit } from './identity-audit.js';
import { IdentityDatabase } from './identity.database.js';
import { IdentitySeeder } from './identity.seed.js';
import { JwksController } from './jwks.controller.js';
import { MeController } from './me/me.controller.js';
import { CredentialsRepository } from './repositories/credentials.repository.js';
import { DirectoryRepository } from './repositories/directory.repository.js';
import { LoginAttemptsRepository } from './repositories/login-attempts.repository.js';
import { ServiceAccountsRepository } from './repositories/service-accounts.repository.js';
import { SessionsRepository } from './repositories/sessions.repository.js';
import { UsersRepository } from './repositories/users.repository.js';
import { ServiceAccountsController } from './service-accounts/service-accounts.controller.js';
import { ServiceAccountsService } from './service-accounts/service-accounts.service.js';
import { DirectoryController } from './users/directory.controller.js';
import { UsersController } from './users/users.controller.js';
import { UsersService } from './users/users.service.js';

/** User Management: accounts, roles, sign-in, MFA, sessions and tokens (seed service port 3001). */
@Module({
  controllers: [
    JwksController,
    DiscoveryController,
    AuthController,
    OAuth2Controller,
    MeController,
    UsersController,
    DirectoryController,
    ServiceAccountsController,
  ],
  providers: [
    IdentityDatabase,
    UsersRepository,
    LoginAttemptsRepository,
    SessionsRepository,
    CredentialsRepository,
    DirectoryRepository,
    ServiceAccountsRepository,
    PasswordHasher,
    IdentityAudit,
    TokensService,
    SessionsService,
    LockoutService,
    MfaChallenges,
    LoginService,
    MfaService,
    PasswordService,
    UsersService,
    ServiceAccountsService,
    IdentitySeeder,
  ],
  exports: [UsersService],
})
export class IdentityModule {}
