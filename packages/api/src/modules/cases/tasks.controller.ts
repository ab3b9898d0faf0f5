import { Body, Controller, Get, Headers, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { CurrentPrincipal } from '../../platform/auth/current-principal.js';
import { RequirePermission } from '../../platform/auth/decorators.js';
import type { Principal } from '../../platform/auth/principal.js';
import { versionFromIfMatch, withEtag } from '../../platform/http/optimistic-concurrency.js';
import { Doc } from '../../platform/http/route-catalog.js';
import { ContactPolicyService } from './contact-policy.service.js';
import {
  CaseTaskParams,
  CaseTasksParams,
  CaseTasksQuery,
  ChangeContactPolicyBody,
  ContactPolicyChangeListResponse,
  ContactPolicyEntryResponse,
  ContactPolicyResponse,
  CreateTaskBody,
  PatchTaskBody,
  PolicyLevelParams,
  TaskListResponse,
  TaskQueueQuery,
  TaskQueueResponse,
  TaskResponse,
} from './tasks.dto.js';
import { CaseTasksService } from './tasks.service.js';

type CaseParams = z.output<typeof CaseTasksParams>;
type OneTask = z.output<typeof CaseTaskParams>;
type PolicyLevel = z.output<typeof PolicyLevelParams>;
const TASK = { resource: 'cases.tasks', idParam: 'taskId', phi: true } as const;
const TASKS = { resource: 'cases.tasks', idParam: 'id', phi: true } as const;
const POLICY = { resource: 'cases.contact_policy', idParam: 'riskLevel' } as const;

/** Case tasks, the worklists, and the contact policy that dates each case's contact task. */
@Controller('api/v1/cases')
export class CaseTasksController {
  constructor(
    private readonly tasks: CaseTasksService,
    private readonly policy: ContactPolicyService,
  ) {}

  @Get('tasks')
  @RequirePermission('cases.cases.read', TASKS)
  @Doc({
    summary: 'Worklist of open tasks, earliest due first: mine, my teams’, or overdue within my scope',
    response: TaskQueueResponse,
  })
  queue(@CurrentPrincipal() me: Principal, @Query({ schema: TaskQueueQuery }) query: TaskQueueQuery) {
    return this.tasks.queue(me, query);
  }

  @Get(':id/tasks')
  @RequirePermission('cases.cases.read', TASKS)
  @Doc({ summary: 'Tasks of a case, open first, by due date', response: TaskListResponse })
  async listOfCase(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: CaseTasksParams }) params: CaseParams,
    @Query({ schema: CaseTasksQuery }) query: CaseTasksQuery,
  ) {
    return { items: await this.tasks.listOfCase(me, params.id, query) };
  }

  @Post(':id/tasks')
  @RequirePermission('cases.cases.write', TASK)
  @Doc({ summary: 'Add a task to a case', response: TaskResponse, status: 201 })
  async create(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: CaseTasksParams }) params: CaseParams,
    @Body({ schema: CreateTaskBody }) body: CreateTaskBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.tasks.create(me, params.id, body));
  }

  @Patch(':id/tasks/:taskId')
  @RequirePermission('cases.cases.write', TASK)
  @Doc({
    summary: 'Change, complete or cancel an open task (If-Match required)',
    response: TaskResponse,
  })
  async patch(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: CaseTaskParams }) params: OneTask,
    @Headers('if-match') ifMatch: string | undefined,
    @Body({ schema: PatchTaskBody }) body: PatchTaskBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const version = versionFromIfMatch(ifMatch);
    return withEtag(reply, await this.tasks.patch(me, params.id, params.taskId, version, body));
  }

  @Get('contact-policy')
  @RequirePermission('cases.cases.read', POLICY)
  @Doc({
    summary: "My agency's contact policy: days between required contacts per risk level",
    response: ContactPolicyResponse,
  })
  async contactPolicy(@CurrentPrincipal() me: Principal) {
    return { items: await this.policy.get(me) };
  }

  @Get('contact-policy/changes')
  @RequirePermission('cases.contact_policy.manage', POLICY)
  @Doc({ summary: 'Changes of the contact policy, newest first', response: ContactPolicyChangeListResponse })
  async contactPolicyChanges(@CurrentPrincipal() me: Principal) {
    return { items: await this.policy.changes(me) };
  }

  @Put('contact-policy/:riskLevel')
  @RequirePermission('cases.contact_policy.manage', POLICY)
  @Doc({
    summary:
      'Set the contact interval for a risk level, with a reason (If-Match: its version, 0 for the default)',
    response: ContactPolicyEntryResponse,
  })
  async changeContactPolicy(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: PolicyLevelParams }) params: PolicyLevel,
    @Headers('if-match') ifMatch: string | undefined,
    @Body({ schema: ChangeContactPolicyBody }) body: ChangeContactPolicyBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const version = versionFromIfMatch(ifMatch);
    return withEtag(reply, await this.policy.change(me, params.riskLevel, version, body));
  }
}
