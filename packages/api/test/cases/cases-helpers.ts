import { expect } from 'vitest';
import type { TestApp } from '../support/test-app.js';

export const CASES = '/api/v1/cases';

export interface CaseView {
  id: string;
  agencyId: string;
  clientId: string;
  programId: string;
  type: string;
  status: string;
  riskLevel: string;
  openedOn: string;
  assignedWorkerId: string | null;
  teamId: string;
  part2: boolean;
  access: string;
  version: number;
}

export interface NoteView {
  id: string;
  caseId: string;
  authorId: string;
  noteType: string;
  contactAt: string;
  body: string;
  part2: boolean;
  status: 'draft' | 'signed';
  signedAt: string | null;
  signedBy: string | null;
  contentHash: string | null;
  requiresCosign: boolean;
  cosignedAt: string | null;
  cosignedBy: string | null;
  lateEntry: boolean;
  parentNoteId: string | null;
  version: number;
}

/** Opens a case through the API and returns it (fails the test on anything but 201). */
export async function openCase(
  t: TestApp,
  token: string,
  body: { clientId: string; programId: string; [key: string]: unknown },
): Promise<CaseView> {
  const res = await t.http.request({
    method: 'POST',
    url: CASES,
    token,
    body: { type: 'ongoing', riskLevel: 'moderate', ...body },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<CaseView>();
}

/** Drafts a note on a case (contact an hour ago unless said) and returns it. */
export async function draftNote(
  t: TestApp,
  token: string,
  caseId: string,
  body: Record<string, unknown> = {},
): Promise<NoteView> {
  const res = await t.http.request({
    method: 'POST',
    url: `${CASES}/${caseId}/notes`,
    token,
    body: {
      noteType: 'contact',
      contactAt: hoursAgo(1),
      durationMinutes: 30,
      body: 'Met with the client at home; discussed housing.',
      ...body,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<NoteView>();
}

/** Signs a note as it stands (If-Match its version) and returns it. */
export async function signNote(t: TestApp, token: string, note: NoteView): Promise<NoteView> {
  const res = await t.http.request({
    method: 'POST',
    url: `${CASES}/${note.caseId}/notes/${note.id}/sign`,
    token,
    headers: { 'if-match': `"${note.version}"` },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<NoteView>();
}

export function hoursAgo(hours: number): string {
  return new Date(Date.now() - hours * 3_600_000).toISOString();
}

export function problemType(res: { json(): unknown }): string {
  return (res.json() as { type: string }).type.replace('https://ehrms.dev/problems/', '');
}
