import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Problems } from '../errors/problem.js';
import type { Principal } from './principal.js';

/**
 * The verified caller of a protected route: `handler(@CurrentPrincipal() me: Principal)`.
 * Throws 401 if used on a route the AuthGuard did not authenticate.
 */
export const CurrentPrincipal = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal => {
  const req = ctx.switchToHttp().getRequest<FastifyRequest>();
  if (!req.principal) throw Problems.unauthenticated();
  return req.principal;
});
