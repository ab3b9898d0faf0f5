import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { Problems } from '../errors/problem.js';
import { RateLimits } from '../rate-limit/rate-limits.js';
import { AccessTokenVerifier } from './access-tokens.js';
import { ALTERNATIVE_PERMISSIONS_KEY, PERMISSION_KEY, PUBLIC_KEY } from './decorators.js';

/**
 * The one guard. Public routes pass; every other route must declare a permission, the caller
 * must present a valid bearer token, and the token must grant that permission at some scope.
 * Record-level scope (which records) is the service's and repository's job, using the
 * principal this guard attaches.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: AccessTokenVerifier,
    private readonly rateLimits: RateLimits,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const handler = context.getHandler();
    if (this.reflector.get(PUBLIC_KEY, handler)) return true;
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const permission = this.reflector.get<string | undefined>(PERMISSION_KEY, handler);
    if (!permission) throw Problems.forbidden('This route declares no permission and is closed.');
    req.routePermission = permission;

    const token = bearerToken(req);
    if (!token) throw Problems.unauthenticated();
    const principal = await this.verifier.verify(token);
    req.principal = principal;
    await this.rateLimits.consumeUser(principal.id);
    if (principal.grants[permission]) return true;
    const alternatives =
      this.reflector.get<readonly string[] | undefined>(ALTERNATIVE_PERMISSIONS_KEY, handler) ?? [];
    if (alternatives.some((p) => principal.grants[p])) return true;
    throw Problems.forbidden(
      `This action requires the ${[permission, ...alternatives].join(' or the ')} permission.`,
    );
  }
}

export function bearerToken(req: FastifyRequest): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const match = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/.exec(header);
  return match?.[1] ?? null;
}
