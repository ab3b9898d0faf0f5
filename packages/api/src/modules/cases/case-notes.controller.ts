import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { CurrentPrincipal } from '../../platform/auth/current-principal.js';
import { RequirePermission } from '../../platform/auth/decorators.js';
import type { Principal } from '../../platform/auth/principal.js';
import { versionFromIfMatch, withEtag } from '../../platform/http/optimistic-concurrency.js';
import { Doc } from '../../platform/http/route-catalog.js';
import { withRedisclosureNotice } from '../clients/part2.js';
import {
  CaseNotesParams,
  CreateAddendumBody,
  CreateNoteBody,
  NoteDetailResponse,
  NoteIdParams,
  NoteListQuery,
  NoteListResponse,
  NoteResponse,
  PatchNoteBody,
} from './case-notes.dto.js';
import { CaseNotesService } from './case-notes.service.js';

type CaseParams = z.output<typeof CaseNotesParams>;
type NoteParams = z.output<typeof NoteIdParams>;
/** A note's audit row names the note (a new one's id once created); the list's names the case. */
const NOTE = { resource: 'cases.case_notes', idParam: 'noteId', phi: true } as const;
const NOTES = { resource: 'cases.case_notes', idParam: 'id', phi: true } as const;

/** Case notes: drafted, signed (then locked), corrected by addenda, co-signed by a supervisor. */
@Controller('api/v1/cases/:id/notes')
export class CaseNotesController {
  constructor(private readonly notes: CaseNotesService) {}

  @Get()
  @RequirePermission('cases.cases.read', NOTES)
  @Doc({
    summary: 'Notes of a case, latest contact first (Part 2 notes I may not see are counted as withheld)',
    response: NoteListResponse,
  })
  async list(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: CaseNotesParams }) params: CaseParams,
    @Query({ schema: NoteListQuery }) query: NoteListQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withRedisclosureNotice(reply, await this.notes.list(me, params.id, query));
  }

  @Post()
  @RequirePermission('cases.notes.write', NOTE)
  @Doc({ summary: 'Draft a note', response: NoteResponse, status: 201 })
  async create(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: CaseNotesParams }) params: CaseParams,
    @Body({ schema: CreateNoteBody }) body: CreateNoteBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.notes.create(me, params.id, body));
  }

  @Get(':noteId')
  @RequirePermission('cases.cases.read', NOTE)
  @Doc({
    summary: 'One note, with its addenda (403 for a Part 2 note I may not see)',
    response: NoteDetailResponse,
  })
  async get(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: NoteIdParams }) params: NoteParams,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withRedisclosureNotice(reply, withEtag(reply, await this.notes.get(me, params.id, params.noteId)));
  }

  @Patch(':noteId')
  @RequirePermission('cases.notes.write', NOTE)
  @Doc({ summary: 'Edit my draft (If-Match required; a signed note answers 409)', response: NoteResponse })
  async patch(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: NoteIdParams }) params: NoteParams,
    @Headers('if-match') ifMatch: string | undefined,
    @Body({ schema: PatchNoteBody }) body: PatchNoteBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const version = versionFromIfMatch(ifMatch);
    return withEtag(reply, await this.notes.patch(me, params.id, params.noteId, version, body));
  }

  @Delete(':noteId')
  @HttpCode(204)
  @RequirePermission('cases.notes.write', NOTE)
  @Doc({ summary: 'Discard my draft (If-Match required; signed notes are never deleted)' })
  async discard(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: NoteIdParams }) params: NoteParams,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<void> {
    await this.notes.discard(me, params.id, params.noteId, versionFromIfMatch(ifMatch));
  }

  @Post(':noteId/sign')
  @HttpCode(200)
  @RequirePermission('cases.notes.write', NOTE)
  @Doc({ summary: 'Sign my draft (If-Match required); it is locked from then on', response: NoteResponse })
  async sign(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: NoteIdParams }) params: NoteParams,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const version = versionFromIfMatch(ifMatch);
    return withEtag(reply, await this.notes.sign(me, params.id, params.noteId, version));
  }

  @Post(':noteId/addenda')
  @RequirePermission('cases.notes.write', NOTE)
  @Doc({ summary: 'Draft an addendum to a signed note', response: NoteResponse, status: 201 })
  async addAddendum(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: NoteIdParams }) params: NoteParams,
    @Body({ schema: CreateAddendumBody }) body: CreateAddendumBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.notes.addAddendum(me, params.id, params.noteId, body));
  }

  @Post(':noteId/cosign')
  @HttpCode(200)
  @RequirePermission('cases.notes.cosign', NOTE)
  @Doc({ summary: "Co-sign another worker's signed note (If-Match required)", response: NoteResponse })
  async cosign(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: NoteIdParams }) params: NoteParams,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const version = versionFromIfMatch(ifMatch);
    return withEtag(reply, await this.notes.cosign(me, params.id, params.noteId, version));
  }
}
