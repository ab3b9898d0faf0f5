import {
  Catch,
  HttpException,
  Inject,
  Injectable,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { AUDIT_SINK, auditEntryFor, type AuditSink } from '../audit/audit-sink.js';
import { resourceIdOf, resourceOf } from '../audit/audit.interceptor.js';
import { LOGGER } from '../logging/logger.js';
import { ProblemError, Problems } from './problem.js';

/**
 * Every failure leaves as application/problem+json from here. Denied and failed calls to
 * protected routes are audited before the answer goes out.
 */
@Catch()
@Injectable()
export class ProblemFilter implements ExceptionFilter {
  constructor(
    @Inject(AUDIT_SINK) private readonly sink: AuditSink,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const problem = toProblem(exception, this.logger, req);
    void this.auditFailure(req, problem).then(
      () => sendProblem(reply, req, problem),
      (err: unknown) => {
        // An access we cannot record is an access we must not answer.
        this.logger.error({ err, reqId: req.id }, 'audit write failed');
        sendProblem(reply, req, Problems.unavailable('The audit trail is unavailable; try again shortly.'));
      },
    );
  }

  private async auditFailure(req: FastifyRequest, problem: ProblemError): Promise<void> {
    const permission = req.routePermission;
    if (!permission || req.audited) return;
    req.audited = true;
    const denied = problem.status === 401 || problem.status === 403;
    await this.sink.record(
      auditEntryFor(req, {
        action: permission,
        resourceType: resourceOf(permission),
        resourceId: resourceIdOf(req, {}),
        outcome: denied ? 'denied' : 'error',
        reason: problem.type.slice(problem.type.lastIndexOf('/') + 1),
      }),
    );
  }
}

/** Maps anything thrown to a ProblemError; unknown errors are logged and hidden. */
export function toProblem(exception: unknown, logger: Logger, req?: FastifyRequest): ProblemError {
  if (exception instanceof ProblemError) return exception;
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    // Fastify's own failures (body parsing, size limit, media type) arrive wrapped like this.
    switch (status) {
      case 400:
        return Problems.malformed('The request body could not be parsed.');
      case 404:
        return Problems.notFound('route');
      case 413:
        return new ProblemError({ status: 413, type: 'payload-too-large', title: 'Request body too large' });
      case 415:
        return Problems.unsupportedMediaType();
      default:
        return new ProblemError({ status, type: `http-${status}`, title: exception.message });
    }
  }
  const fastifyErr = exception as { statusCode?: number; code?: string };
  if (
    typeof fastifyErr.statusCode === 'number' &&
    typeof fastifyErr.code === 'string' &&
    fastifyErr.code.startsWith('FST_')
  ) {
    switch (fastifyErr.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return new ProblemError({ status: 413, type: 'payload-too-large', title: 'Request body too large' });
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return Problems.unsupportedMediaType();
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return Problems.malformed('The JSON body is empty.');
      default:
        if (fastifyErr.statusCode >= 400 && fastifyErr.statusCode < 500) {
          return Problems.malformed('The request body could not be parsed.');
        }
    }
  }
  if (exception instanceof SyntaxError) return Problems.malformed('The request body is not valid JSON.');
  logger.error({ err: exception, reqId: req?.id }, 'unhandled error');
  return Problems.internal();
}

export function sendProblem(reply: FastifyReply, req: FastifyRequest, problem: ProblemError): void {
  if (reply.sent) return;
  const body: Record<string, unknown> = {
    type: problem.type,
    title: problem.title,
    status: problem.status,
    ...(problem.detail ? { detail: problem.detail } : {}),
    instance: req.url.split('?')[0],
    requestId: String(req.id),
    ...(problem.errors ? { errors: problem.errors } : {}),
    ...(problem.extensions ?? {}),
  };
  if (problem.headers) void reply.headers(problem.headers);
  void reply.status(problem.status).type('application/problem+json').send(body);
}
