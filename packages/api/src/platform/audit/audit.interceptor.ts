import {
  Inject,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { from, mergeMap, type Observable } from 'rxjs';
import { AUDIT_KEY, PERMISSION_KEY, type AuditOptions } from '../auth/decorators.js';
import { runInRequest } from '../http/request-context.js';
import { AUDIT_SINK, auditEntryFor, type AuditSink } from './audit-sink.js';

/**
 * Audits every successful call to a permission-protected route, and holds the response until
 * the row is durable. Failed and denied calls are audited by the ProblemFilter. Controllers
 * never write audit rows by hand.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    @Inject(AUDIT_SINK) private readonly sink: AuditSink,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    // The handler runs inside the request's scope, so services can annotate its audit row.
    const handled = runInRequest(req, () => next.handle());
    const permission = this.reflector.get<string | undefined>(PERMISSION_KEY, context.getHandler());
    if (!permission) return handled;
    const options = this.reflector.get<AuditOptions | undefined>(AUDIT_KEY, context.getHandler()) ?? {};
    return handled.pipe(
      mergeMap((result: unknown) =>
        from(
          this.sink
            .record(
              auditEntryFor(req, {
                action: permission,
                resourceType: options.resource ?? resourceOf(permission),
                resourceId: resourceIdOf(req, options, result),
                fields: fieldsOf(req, result),
                outcome: 'allowed',
              }),
            )
            .then(() => {
              req.audited = true;
              return result;
            }),
        ),
      ),
    );
  }
}

/** `identity.users.read` → `identity.users`. */
export function resourceOf(permission: string): string {
  const parts = permission.split('.');
  return parts.length > 1 ? parts.slice(0, -1).join('.') : permission;
}

export function resourceIdOf(req: FastifyRequest, options: AuditOptions, result?: unknown): string | null {
  const params = (req.params ?? {}) as Record<string, unknown>;
  const fromParams = params[options.idParam ?? 'id'];
  if (typeof fromParams === 'string') return fromParams.slice(0, 200);
  if (result && typeof result === 'object' && 'id' in result && typeof result.id === 'string')
    return result.id;
  return null;
}

/** Which fields were read or written: body keys for writes, top-level keys of what was returned for reads. */
export function fieldsOf(req: FastifyRequest, result?: unknown): string[] {
  const source = req.method === 'GET' || req.method === 'HEAD' ? firstRecord(result) : req.body;
  // Only plain records name fields; a stream or file answer would otherwise record its internals.
  if (!isPlainRecord(source)) return [];
  return Object.keys(source).slice(0, 100);
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function firstRecord(result: unknown): unknown {
  if (result && typeof result === 'object' && 'items' in result && Array.isArray(result.items))
    return result.items[0];
  return result;
}
