import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the AuthGuard once the access token is verified. */
    principal?: Principal;
    /** The permission the matched route declares; set by the AuthGuard, read by audit on denial. */
    routePermission?: string;
    /** Set when the audit row for this request has been written, so it is not written twice. */
    audited?: boolean;
    /** What the handling code added to this request's audit row (see annotateAudit). */
    auditNote?: { reason?: string; purposeOfUse?: PurposeOfUse };
  }
}

export const PURPOSES_OF_USE = [
  'TREAT',
  'PAYMENT',
  'OPERATIONS',
  'ETREAT',
  'PUBHLTH',
  'HRESCH',
  'COVERAGE',
  'SYSADMIN',
  'AUDIT',
] as const;
export type PurposeOfUse = (typeof PURPOSES_OF_USE)[number];

/** HL7 PurposeOfUse the caller states in `X-Purpose-Of-Use`; treatment when unstated. */
export function purposeOfUse(req: FastifyRequest): PurposeOfUse {
  const raw = req.headers['x-purpose-of-use'];
  const value = (Array.isArray(raw) ? raw[0] : raw)?.toUpperCase();
  return (PURPOSES_OF_USE as readonly string[]).includes(value ?? '') ? (value as PurposeOfUse) : 'TREAT';
}

const servedRequest = new AsyncLocalStorage<FastifyRequest>();

/**
 * Runs a route handler so that what it calls, services included (which receive the Principal,
 * not the request), can reach the request it serves through `currentRequest()`.
 */
export function runInRequest<T>(req: FastifyRequest, handler: () => T): T {
  return servedRequest.run(req, handler);
}

/** The request being served; undefined outside a route handler (jobs, event consumers). */
export function currentRequest(): FastifyRequest | undefined {
  return servedRequest.getStore();
}

export function clientIp(req: FastifyRequest): string {
  return req.ip;
}

export function userAgent(req: FastifyRequest): string | null {
  const ua = req.headers['user-agent'];
  return ua ? ua.slice(0, 512) : null;
}
