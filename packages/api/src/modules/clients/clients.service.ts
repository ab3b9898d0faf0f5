import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { scopeAllows, type Principal } from '../../platform/auth/principal.js';
import { FieldCipher } from '../../platform/crypto/field-cipher.js';
import { Problems } from '../../platform/errors/problem.js';
import { publishEvent } from '../../platform/events/events.js';
import { decodeNameCursor, encodeNameCursor } from '../../platform/http/page-cursor.js';
import { ClientAccess } from './client-access.js';
import { ClientsDatabase } from './clients.database.js';
import type {
  ClientListQuery,
  ClientView,
  CreateClientBody,
  CreateEnrollmentBody,
  EndEnrollmentBody,
  EnrollmentListView,
  EnrollmentView,
  PatchClientBody,
} from './clients.dto.js';
import {
  ClientsTopics,
  type ClientCreatedEvent,
  type ClientUpdatedEvent,
  type EnrollmentEvent,
} from './clients.events.js';
import {
  ClientsRepository,
  type ClientChanges,
  type ClientRow,
  type EnrollmentRow,
} from './clients.repository.js';
import { DuplicateFinder } from './duplicate-finder.js';
import { sealMedicaidId, sealSsn } from './identifiers.js';
import { part2Disclosure } from './part2.js';
import { toClientView, toEnrollmentView } from './views.js';

export const READ = 'clients.clients.read';
export const WRITE = 'clients.clients.write';
export const REVEAL = 'clients.identifiers.reveal';

/** Client registration, demographics, identifiers and program enrolments. */
@Injectable()
export class ClientsService {
  constructor(
    private readonly database: ClientsDatabase,
    private readonly clients: ClientsRepository,
    private readonly access: ClientAccess,
    private readonly cipher: FieldCipher,
    private readonly duplicates: DuplicateFinder,
  ) {}

  async list(
    principal: Principal,
    query: ClientListQuery,
  ): Promise<{ items: ClientView[]; nextCursor: string | null }> {
    const filter = this.access.filter(principal, READ);
    if (!filter) return { items: [], nextCursor: null };
    const rows = await this.clients.list({
      filter,
      familyName: query.familyName,
      birthDate: query.birthDate,
      ids: query.ids,
      after: query.cursor ? decodeNameCursor(query.cursor) : undefined,
      limit: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((row) => toClientView(row)),
      nextCursor:
        rows.length > query.limit && last
          ? encodeNameCursor({ name: `${last.family_name} ${last.given_name}`, id: last.id })
          : null,
    };
  }

  async get(principal: Principal, id: string): Promise<ClientView> {
    const grant = await this.access.require(principal, id, READ);
    return toClientView(grant.client, grant.via);
  }

  /**
   * Registers a client with the caller's agency, served by `teamId` (default: the caller's first
   * team; the caller personally when they have none). While the agency has likely duplicates of
   * the person, answers 409 `possible-duplicate` listing them, unless the body acknowledges them.
   */
  async create(principal: Principal, body: CreateClientBody): Promise<ClientView> {
    const teamId = body.teamId ?? principal.teamIds[0] ?? null;
    const target = {
      agencyId: principal.agencyId,
      teamIds: teamId ? [teamId] : [],
      ownerIds: teamId ? [] : [principal.id],
    };
    if (!scopeAllows(principal, WRITE, target)) {
      throw Problems.forbidden(
        teamId && !principal.teamIds.includes(teamId)
          ? 'You can register clients only for your own teams.'
          : 'You may not register clients.',
      );
    }
    if (!body.acknowledgeDuplicates) {
      const candidates = await this.duplicates.forNewClient(principal, body);
      if (candidates.length > 0) throw DuplicateFinder.problem(candidates);
    }
    const id = randomUUID();
    await this.database.transaction(async (trx) => {
      await this.clients.insert(
        {
          id,
          agency_id: principal.agencyId,
          given_name: body.givenName,
          middle_name: body.middleName,
          family_name: body.familyName,
          preferred_name: body.preferredName,
          birth_date: body.birthDate,
          sex_at_birth: body.sexAtBirth,
          gender_identity: body.genderIdentity,
          pronouns: body.pronouns,
          race: body.race,
          ethnicity: body.ethnicity,
          primary_language: body.primaryLanguage,
          interpreter_needed: body.interpreterNeeded,
          ...sealSsn(this.cipher, body.ssn),
          ...sealMedicaidId(this.cipher, body.medicaidId),
          created_by: principal.id,
        },
        trx,
      );
      await this.clients.addCareTeamMember(
        {
          id: randomUUID(),
          client_id: id,
          team_id: teamId,
          user_id: teamId ? null : principal.id,
          source: 'registration',
          source_id: null,
        },
        trx,
      );
      await publishEvent(trx, ClientsTopics.clientCreated, {
        clientId: id,
        agencyId: principal.agencyId,
      } satisfies ClientCreatedEvent);
    });
    return toClientView(await this.row(id));
  }

  async patch(principal: Principal, id: string, version: number, body: PatchClientBody): Promise<ClientView> {
    const { client } = await this.access.require(principal, id, WRITE);
    if (client.status === 'merged')
      throw Problems.conflict('This record was merged; change the surviving record.');
    if (client.version !== version) throw Problems.preconditionFailed();
    const changes: ClientChanges = {};
    const set = <K extends keyof ClientChanges>(key: K, value: ClientChanges[K] | undefined) => {
      if (value !== undefined) changes[key] = value;
    };
    set('given_name', body.givenName);
    set('middle_name', body.middleName);
    set('family_name', body.familyName);
    set('preferred_name', body.preferredName);
    set('birth_date', body.birthDate);
    set('sex_at_birth', body.sexAtBirth);
    set('gender_identity', body.genderIdentity);
    set('pronouns', body.pronouns);
    set('race', body.race);
    set('ethnicity', body.ethnicity);
    set('primary_language', body.primaryLanguage);
    set('interpreter_needed', body.interpreterNeeded);
    set('status', body.status);
    set('deceased_on', body.deceasedOn);
    if (body.ssn !== undefined) Object.assign(changes, sealSsn(this.cipher, body.ssn));
    if (body.medicaidId !== undefined) Object.assign(changes, sealMedicaidId(this.cipher, body.medicaidId));
    const status = changes.status ?? client.status;
    const deceasedOn = changes.deceased_on !== undefined ? changes.deceased_on : client.deceased_on;
    if ((status === 'deceased') !== (deceasedOn !== null)) {
      throw Problems.validation([
        {
          field: 'body.deceasedOn',
          message: 'A date of death goes with the status deceased, and only with it.',
        },
      ]);
    }
    // A record corrected into someone the agency already has is the same risk as registering them.
    const identity = {
      givenName: body.givenName,
      familyName: body.familyName,
      birthDate: body.birthDate,
      sexAtBirth: body.sexAtBirth,
      ssn: body.ssn,
      medicaidId: body.medicaidId,
    };
    const changesIdentity = Object.values(identity).some((v) => v !== undefined);
    if (changesIdentity && !body.acknowledgeDuplicates) {
      const candidates = await this.duplicates.forChangedClient(
        principal,
        client,
        Object.fromEntries(Object.entries(identity).filter(([, v]) => v !== undefined)),
      );
      if (candidates.length > 0) throw DuplicateFinder.problem(candidates, 'save the change anyway');
    }
    await this.database.transaction(async (trx) => {
      if (!(await this.clients.update(client.id, changes, version, trx))) throw Problems.preconditionFailed();
      await publishEvent(trx, ClientsTopics.clientUpdated, {
        clientId: client.id,
        agencyId: client.agency_id,
        changed: Object.keys(body).filter((k) => k !== 'acknowledgeDuplicates'),
      } satisfies ClientUpdatedEvent);
    });
    return toClientView(await this.row(client.id));
  }

  /** The full SSN and Medicaid id, for those allowed to see them (every reveal is audited). */
  async identifiers(
    principal: Principal,
    id: string,
  ): Promise<{ clientId: string; ssn: string | null; medicaidId: string | null }> {
    const { client } = await this.access.require(principal, id, REVEAL);
    return {
      clientId: client.id,
      ssn: client.ssn_ciphertext ? this.cipher.decrypt(client.ssn_ciphertext) : null,
      medicaidId: client.medicaid_id_ciphertext ? this.cipher.decrypt(client.medicaid_id_ciphertext) : null,
    };
  }

  async careTeam(principal: Principal, id: string) {
    const { client } = await this.access.require(principal, id, READ);
    const rows = await this.clients.careTeamOf(client.id);
    return {
      items: rows.map((r) => ({
        teamId: r.team_id,
        userId: r.user_id,
        source: r.source,
        sourceId: r.source_id,
        startedAt: r.started_at.toISOString(),
      })),
    };
  }

  /**
   * The client's enrolments. Enrolments in a Part 2 (substance use disorder) program are left out
   * for callers who may not see Part 2 information, and only counted (`withheld`); a list that
   * shows one carries the 42 CFR 2.32 redisclosure notice.
   */
  async enrollments(principal: Principal, clientId: string): Promise<EnrollmentListView> {
    const { client } = await this.access.require(principal, clientId, READ);
    const rows = await this.clients.enrollmentsOf(client.id);
    const part2Programs = new Map<string, boolean>();
    const shown: EnrollmentRow[] = [];
    for (const row of rows) {
      if (row.part2 && !part2Programs.has(row.program_id)) {
        part2Programs.set(
          row.program_id,
          await this.access.canSeePart2(principal, client.id, row.program_id),
        );
      }
      if (!row.part2 || part2Programs.get(row.program_id)) shown.push(row);
    }
    return {
      items: shown.map(toEnrollmentView),
      ...part2Disclosure(
        shown.some((row) => row.part2),
        rows.length - shown.length,
      ),
    };
  }

  async enroll(principal: Principal, clientId: string, body: CreateEnrollmentBody): Promise<EnrollmentView> {
    const { client } = await this.access.require(principal, clientId, WRITE);
    if (client.status === 'merged')
      throw Problems.conflict('This record was merged; enrol the surviving record.');
    const open = (await this.clients.enrollmentsOf(client.id)).find(
      (e) => e.program_id === body.programId && (e.end_date === null || e.end_date >= body.startDate),
    );
    if (open) {
      throw Problems.conflict(
        'The client is already enrolled in this program for that date; end that enrolment first.',
      );
    }
    const id = randomUUID();
    await this.database.transaction(async (trx) => {
      await this.clients.insertEnrollment(
        {
          id,
          client_id: client.id,
          program_id: body.programId,
          start_date: body.startDate,
          reason: body.reason,
          part2: body.part2,
          created_by: principal.id,
        },
        trx,
      );
      await publishEvent(trx, ClientsTopics.enrollmentStarted, {
        enrollmentId: id,
        clientId: client.id,
        programId: body.programId,
      } satisfies EnrollmentEvent);
    });
    return this.enrollmentView(id);
  }

  async endEnrollment(
    principal: Principal,
    clientId: string,
    enrollmentId: string,
    version: number,
    body: EndEnrollmentBody,
  ): Promise<EnrollmentView> {
    const { client } = await this.access.require(principal, clientId, WRITE);
    const enrollment = await this.clients.findEnrollment(enrollmentId);
    if (enrollment?.client_id !== client.id) throw Problems.notFound('enrollment');
    if (enrollment.version !== version) throw Problems.preconditionFailed();
    if (enrollment.end_date !== null) throw Problems.conflict('This enrolment has already ended.');
    if (body.endDate < enrollment.start_date) {
      throw Problems.validation([
        { field: 'body.endDate', message: 'An enrolment cannot end before it starts.' },
      ]);
    }
    await this.database.transaction(async (trx) => {
      const changes = { end_date: body.endDate, end_reason: body.endReason };
      if (!(await this.clients.updateEnrollment(enrollmentId, changes, version, trx))) {
        throw Problems.preconditionFailed();
      }
      await publishEvent(trx, ClientsTopics.enrollmentEnded, {
        enrollmentId,
        clientId: client.id,
        programId: enrollment.program_id,
      } satisfies EnrollmentEvent);
    });
    return this.enrollmentView(enrollmentId);
  }

  private async row(id: string): Promise<ClientRow> {
    const row = await this.clients.findById(id);
    if (!row) throw Problems.notFound('client');
    return row;
  }

  private async enrollmentView(id: string): Promise<EnrollmentView> {
    const row = await this.clients.findEnrollment(id);
    if (!row) throw Problems.notFound('enrollment');
    return toEnrollmentView(row);
  }
}
