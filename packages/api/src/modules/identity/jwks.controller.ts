import { Controller, Get, Header } from '@nestjs/common';
import type { JSONWebKeySet } from 'jose';
import { Public } from '../../platform/auth/decorators.js';
import { JwtKeyRing } from '../../platform/auth/key-ring.js';

@Controller('.well-known')
export class JwksController {
  constructor(private readonly keys: JwtKeyRing) {}

  @Get('jwks.json')
  @Public({ reason: 'public keys that verify access tokens' })
  @Header('cache-control', 'public, max-age=300')
  jwks(): JSONWebKeySet {
    return this.keys.publicJwks();
  }
}
