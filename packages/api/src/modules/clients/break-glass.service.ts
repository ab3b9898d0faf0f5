import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { annotateAudit } from '../../platform/audit/annotate-audit.js';
import { scopeAllows, type Principal } from '../../platform/auth/principal.js';
import { APP_CONFIG, type AppConfig } from '../../platform/config/config.js';
import { Problems } from '../../platform/errors/problem.js';
import { publishEvent } from '../../platform/events/events.js';
import { decodeNameCursor, encodeNameCursor } from '../../platform/http/page-cursor.js';
import type {
  BreakGlassView,
  PrivacyReviewQuery,
  PrivacyReviewView,
  RequestBreakGlassBody,
  ReviewBreakGlassBody,
} from './break-glass.dto.js';
import { BreakGlassRepository } from './break-glass.repository.js';
import { ClientAccess, scopeTarget } from './client-access.js';
import { breakGlassAuditReason } from './client-privacy.js';
import { ClientsDatabase } from './clients.database.js';
import { ClientsRepository } from './clients.repository.js';
import { READ } from './clients.service.js';
import {
  PrivacyTopics,
  type BreakGlassGrantedEvent,
  type BreakGlassReviewedEvent,
} from './privacy.events.js';
import { toBreakGlassView, toPrivacyReviewView } from './privacy-views.js';
import { isUuid } from '../../platform/database/ids.js';

export const BREAK_GLASS_REQUEST = 'clients.break_glass.request';
export const BREAK_GLASS_REVIEW = 'clients.break_glass.review';

/**
 * Emergency access to a client of the caller's agency outside their normal scope. The caller
 * states why; for BREAK_GLASS_MINUTES they may then read the client (ClientAccess.require lets
 * reads through, every one audited with the reason and the purpose, ETREAT by default), and
 * each grant waits in the privacy officer's review queue. No one reviews their own.
 */
@Injectable()
export class BreakGlassService {
  constructor(
    private readonly database: ClientsDatabase,
    private readonly grants: BreakGlassRepository,
    private readonly clients: ClientsRepository,
    private readonly access: ClientAccess,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async request(
    principal: Principal,
    clientId: string,
    body: RequestBreakGlassBody,
  ): Promise<BreakGlassView> {
    const client = await this.access.resolve(clientId);
    // Only a client of the caller's own agency: anyone else's is as if it did not exist.
    if (!client || client.agency_id !== principal.agencyId) throw Problems.notFound('client');
    if (!scopeAllows(principal, BREAK_GLASS_REQUEST, { agencyId: client.agency_id })) {
      throw Problems.forbidden('You may not request emergency access to this client.');
    }
    if (principal.kind !== 'user' || !isUuid(principal.id)) {
      throw Problems.forbidden('Only a signed-in person can request emergency access.');
    }
    if (principal.grants[READ] === undefined) {
      throw Problems.forbidden('Emergency access extends client access you do not have.');
    }
    const facts = await this.clients.scopeFacts(client.id);
    if (scopeAllows(principal, READ, scopeTarget(client, facts))) {
      throw Problems.conflict(
        'This client is within your scope; break-the-glass is not needed.',
        'break-glass-not-needed',
      );
    }
    const id = randomUUID();
    const reviewId = randomUUID();
    const grantedAt = new Date();
    const expiresAt = new Date(grantedAt.getTime() + this.config.BREAK_GLASS_MINUTES * 60_000);
    const grant = {
      id,
      agency_id: client.agency_id,
      client_id: client.id,
      user_id: principal.id,
      reason: body.reason,
      purpose_of_use: body.purposeOfUse,
      granted_at: grantedAt,
      expires_at: expiresAt,
    };
    await this.database.transaction(async (trx) => {
      await this.grants.insertGrant(grant, trx);
      await this.grants.insertReview({ id: reviewId, agency_id: client.agency_id, break_glass_id: id }, trx);
      await publishEvent(trx, PrivacyTopics.breakGlassGranted, {
        breakGlassId: id,
        reviewId,
        clientId: client.id,
        agencyId: client.agency_id,
        userId: principal.id,
        purposeOfUse: body.purposeOfUse,
        expiresAt: expiresAt.toISOString(),
      } satisfies BreakGlassGrantedEvent);
    });
    annotateAudit({ reason: breakGlassAuditReason(body.reason), purposeOfUse: body.purposeOfUse });
    return toBreakGlassView(grant);
  }

  /** The caller's grants still in force. */
  async mine(principal: Principal): Promise<{ items: BreakGlassView[] }> {
    const rows = await this.grants.activeGrantsOf(principal.id);
    return { items: rows.map(toBreakGlassView) };
  }

  /**
   * The review queue of the caller's agency (every agency with `all` scope), oldest first. Reviews
   * belong to an agency, so a grant narrower than `agency` reaches none.
   */
  async reviews(
    principal: Principal,
    query: PrivacyReviewQuery,
  ): Promise<{ items: PrivacyReviewView[]; nextCursor: string | null }> {
    const scope = principal.grants[BREAK_GLASS_REVIEW];
    if (scope !== 'agency' && scope !== 'all') return { items: [], nextCursor: null };
    const after = query.cursor ? decodeNameCursor(query.cursor) : undefined;
    const rows = await this.grants.reviews({
      agencyId: scope === 'all' ? null : principal.agencyId,
      status: query.status,
      after: after ? { createdKey: after.name, id: after.id } : undefined,
      limit: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toPrivacyReviewView),
      // The name cursor carries the exact creation time as text (microseconds kept).
      nextCursor:
        rows.length > query.limit && last ? encodeNameCursor({ name: last.created_key, id: last.id }) : null,
    };
  }

  async review(
    principal: Principal,
    reviewId: string,
    version: number,
    body: ReviewBreakGlassBody,
  ): Promise<PrivacyReviewView> {
    const review = await this.grants.findReview(reviewId);
    if (!review) throw Problems.notFound('privacy review');
    if (!scopeAllows(principal, BREAK_GLASS_REVIEW, { agencyId: review.agency_id })) {
      if (review.agency_id !== principal.agencyId) throw Problems.notFound('privacy review');
      throw Problems.forbidden('Reviewing emergency access needs the permission agency-wide.');
    }
    if (review.user_id === principal.id) {
      throw Problems.forbidden('You cannot review your own emergency access; another privacy officer must.');
    }
    if (review.status === 'reviewed')
      throw Problems.conflict('This emergency access has already been reviewed.');
    if (review.version !== version) throw Problems.preconditionFailed();
    await this.database.transaction(async (trx) => {
      const outcome = { reviewer_id: principal.id, outcome: body.outcome, notes: body.notes };
      if (!(await this.grants.completeReview(reviewId, version, outcome, trx))) {
        throw Problems.preconditionFailed();
      }
      await publishEvent(trx, PrivacyTopics.breakGlassReviewed, {
        reviewId,
        breakGlassId: review.break_glass_id,
        agencyId: review.agency_id,
        userId: review.user_id,
        outcome: body.outcome,
      } satisfies BreakGlassReviewedEvent);
    });
    const reviewed = await this.grants.findReview(reviewId);
    if (!reviewed) throw Problems.notFound('privacy review');
    return toPrivacyReviewView(reviewed);
  }
}
