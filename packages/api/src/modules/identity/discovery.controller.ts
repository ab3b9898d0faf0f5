import { Controller, Get, Header, Inject, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { TOKEN_ISSUER } from '../../platform/auth/access-tokens.js';
import { Public } from '../../platform/auth/decorators.js';
import { APP_CONFIG, type AppConfig } from '../../platform/config/config.js';
import { Doc } from '../../platform/http/route-catalog.js';
import { DiscoveryResponse } from './auth/auth.dto.js';
import { PERMISSIONS } from './roles.catalog.js';

/**
 * OpenID Connect / OAuth 2.0 authorization server metadata (RFC 8414), so integrations and,
 * later, SMART App Launch clients discover the token endpoint and keys.
 */
@Controller('.well-known')
export class DiscoveryController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get('openid-configuration')
  @Public({ reason: 'authorization server metadata' })
  @Header('cache-control', 'public, max-age=300')
  @Doc({ summary: 'OpenID Connect discovery document', response: DiscoveryResponse })
  configuration(@Req() req: FastifyRequest) {
    const base = (this.config.PUBLIC_URL ?? `${req.protocol}://${req.host}`).replace(/\/+$/, '');
    return {
      issuer: TOKEN_ISSUER,
      token_endpoint: `${base}/api/v1/identity/oauth2/token`,
      jwks_uri: `${base}/.well-known/jwks.json`,
      grant_types_supported: ['client_credentials', 'refresh_token'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      scopes_supported: [...PERMISSIONS],
      code_challenge_methods_supported: ['S256'],
      id_token_signing_alg_values_supported: ['ES256'],
      subject_types_supported: ['public'],
    };
  }
}
