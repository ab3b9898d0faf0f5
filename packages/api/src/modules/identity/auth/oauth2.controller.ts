import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { encodeGrants } from '../../../platform/auth/principal.js';
import { ProblemError } from '../../../platform/errors/problem.js';
import { Public } from '../../../platform/auth/decorators.js';
import { Doc } from '../../../platform/http/route-catalog.js';
import { IdentityProblems } from '../identity.problems.js';
import { ServiceAccountsService } from '../service-accounts/service-accounts.service.js';
import { OAuthTokenBody, OAuthTokenResponse } from './auth.dto.js';
import { SessionsService } from './sessions.service.js';
import { TokensService } from './tokens.service.js';

/**
 * The OAuth 2.1 token endpoint (RFC 6749 §3.2), form or JSON: client credentials for service
 * accounts, refresh-token rotation for users. Errors are problem+json carrying the OAuth
 * `error` code, so OAuth client libraries still understand them.
 */
@Controller('api/v1/identity/oauth2')
export class OAuth2Controller {
  constructor(
    private readonly serviceAccounts: ServiceAccountsService,
    private readonly sessions: SessionsService,
    private readonly tokens: TokensService,
  ) {}

  @Post('token')
  @HttpCode(200)
  @Public({ reason: 'OAuth token endpoint; the client secret or refresh token is the credential; audited' })
  @Doc({ summary: 'OAuth 2.1 token endpoint', response: OAuthTokenResponse })
  async token(@Body({ schema: OAuthTokenBody }) body: OAuthTokenBody, @Req() req: FastifyRequest) {
    if (body.grant_type === 'client_credentials') {
      const basic = basicCredentials(req.headers.authorization);
      const clientId = basic?.id ?? body.client_id;
      const clientSecret = basic?.secret ?? body.client_secret;
      if (!clientId || !clientSecret) throw IdentityProblems.invalidClient();
      return this.serviceAccounts.issueToken(clientId, clientSecret, req);
    }
    try {
      const result = await this.sessions.refresh(body.refresh_token, req);
      return {
        access_token: result.accessToken,
        token_type: 'Bearer' as const,
        expires_in: result.expiresIn,
        scope: encodeGrants(await this.tokens.grantsOf(result.user.roles)),
        refresh_token: result.refreshToken,
      };
    } catch (err) {
      if (err instanceof ProblemError && err.status === 401) throw IdentityProblems.invalidGrant();
      throw err;
    }
  }
}

/** RFC 6749 §2.3.1 HTTP Basic client authentication (form-urlencoded id and secret). */
function basicCredentials(header: string | undefined): { id: string; secret: string } | null {
  const match = header ? /^Basic ([A-Za-z0-9+/=]+)$/.exec(header) : null;
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const at = decoded.indexOf(':');
  if (at <= 0) return null;
  try {
    return {
      id: decodeURIComponent(decoded.slice(0, at).replace(/\+/g, ' ')),
      secret: decodeURIComponent(decoded.slice(at + 1).replace(/\+/g, ' ')),
    };
  } catch {
    return null;
  }
}
