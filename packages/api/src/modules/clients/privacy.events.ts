/** Consent and break-the-glass events the clients module publishes. Payloads carry ids and codes, never reasons or PHI. */
export const PrivacyTopics = {
  consentGranted: 'clients.consent.granted',
  consentRevoked: 'clients.consent.revoked',
  /** A user broke the glass on a client: notifications can alert the privacy officer at once. */
  breakGlassGranted: 'clients.break_glass.granted',
  breakGlassReviewed: 'clients.break_glass.reviewed',
} as const;

export interface ConsentEvent {
  consentId: string;
  clientId: string;
  kind: 'general' | 'part2';
}

export interface BreakGlassGrantedEvent {
  breakGlassId: string;
  reviewId: string;
  clientId: string;
  agencyId: string;
  userId: string;
  purposeOfUse: string;
  expiresAt: string;
}

export interface BreakGlassReviewedEvent {
  reviewId: string;
  breakGlassId: string;
  agencyId: string;
  userId: string;
  outcome: 'appropriate' | 'inappropriate';
}
