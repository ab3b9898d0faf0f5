import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Principal } from '../../platform/auth/principal.js';
import { Problems } from '../../platform/errors/problem.js';
import { decodeNameCursor, encodeNameCursor } from '../../platform/http/page-cursor.js';
import { actorId, CASE_READ, CASE_WRITE, CaseAccess } from './case-access.js';
import { toQueuedTaskView, toTaskView } from './casework.views.js';
import type {
  CaseTasksQuery,
  CreateTaskBody,
  PatchTaskBody,
  QueuedTaskView,
  TaskQueueQuery,
  TaskView,
} from './tasks.dto.js';
import { CaseTasksRepository, type TaskChanges, type TaskQueue, type TaskRow } from './tasks.repository.js';
import { isUuid } from '../../platform/database/ids.js';
import { AgencyClock } from '../../platform/time/agency-clock.js';

const NIL_UUID = '00000000-0000-0000-0000-000000000000';
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Case tasks and worklists. Each open case carries one contact task kept by the contact policy
 * (ContactSchedule); workers add their own (reviews, documents…). Queues show open tasks within
 * the caller's case scope, earliest due first: mine, my teams', and everything overdue — so an
 * overdue task shows in its worker's queue and in the program supervisor's.
 */
@Injectable()
export class CaseTasksService {
  constructor(
    private readonly tasks: CaseTasksRepository,
    private readonly access: CaseAccess,
    private readonly clock: AgencyClock,
  ) {}

  async queue(
    principal: Principal,
    query: TaskQueueQuery,
  ): Promise<{ items: QueuedTaskView[]; nextCursor: string | null }> {
    const filter = this.access.filter(principal, CASE_READ);
    if (!filter) return { items: [], nextCursor: null };
    const day = this.clock.today();
    const rows = await this.tasks.queue({
      filter,
      queue: queueOf(principal, query.queue),
      today: day,
      after: query.cursor ? decodeTaskCursor(query.cursor) : undefined,
      limit: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((row) => toQueuedTaskView(row, day)),
      nextCursor:
        rows.length > query.limit && last ? encodeNameCursor({ name: last.due_on, id: last.id }) : null,
    };
  }

  async listOfCase(principal: Principal, caseId: string, query: CaseTasksQuery): Promise<TaskView[]> {
    const { case: row } = await this.access.require(principal, caseId, CASE_READ);
    const day = this.clock.today();
    return (await this.tasks.listOfCase(row.id, query.status)).map((task) => toTaskView(task, day));
  }

  async create(principal: Principal, caseId: string, body: CreateTaskBody): Promise<TaskView> {
    const { case: row } = await this.access.require(principal, caseId, CASE_WRITE);
    if (row.status === 'closed') throw Problems.conflict('The case is closed: it takes no new tasks.');
    const actor = actorId(principal);
    const id = randomUUID();
    await this.tasks.insert({
      id,
      case_id: row.id,
      title: body.title,
      type: body.type,
      source: 'manual',
      due_on: body.dueOn,
      assigned_to: body.assignedTo !== undefined ? body.assignedTo : (row.assigned_worker_id ?? actor),
      created_by: actor,
    });
    return toTaskView(await this.row(id), this.clock.today());
  }

  /**
   * Changes an open task (If-Match), or closes it as done or cancelled. The contact task's
   * title and due date are the policy's: only its assignee and status change by hand.
   */
  async patch(
    principal: Principal,
    caseId: string,
    taskId: string,
    version: number,
    body: PatchTaskBody,
  ): Promise<TaskView> {
    const { case: row } = await this.access.require(principal, caseId, CASE_WRITE);
    const task = await this.taskOf(row.id, taskId);
    if (task.status !== 'open') throw Problems.conflict(`This task is ${task.status}.`, 'task-closed');
    if (task.source === 'policy' && (body.title !== undefined || body.dueOn !== undefined)) {
      throw Problems.conflict(
        'The contact task is dated by the contact policy from the last contact; document the contact instead.',
        'policy-task',
      );
    }
    if (task.version !== version) throw Problems.preconditionFailed();
    const changes: TaskChanges = {};
    if (body.title !== undefined) changes.title = body.title;
    if (body.dueOn !== undefined) changes.due_on = body.dueOn;
    if (body.assignedTo !== undefined) changes.assigned_to = body.assignedTo;
    if (body.status !== undefined) changes.status = body.status;
    if (body.status === 'done') {
      changes.completed_at = new Date();
      changes.completed_by = actorId(principal);
    }
    if (!(await this.tasks.update(task.id, changes, version))) throw Problems.preconditionFailed();
    return toTaskView(await this.row(task.id), this.clock.today());
  }

  private async taskOf(caseId: string, taskId: string): Promise<TaskRow> {
    const task = await this.tasks.findById(taskId);
    if (task?.case_id !== caseId) throw Problems.notFound('task');
    return task;
  }

  private async row(id: string): Promise<TaskRow> {
    const task = await this.tasks.findById(id);
    if (!task) throw Problems.notFound('task');
    return task;
  }
}

function queueOf(principal: Principal, queue: TaskQueueQuery['queue']): TaskQueue {
  switch (queue) {
    case 'mine':
      return { kind: 'mine', userId: isUuid(principal.id) ? principal.id : NIL_UUID };
    case 'team':
      return { kind: 'team', teamIds: principal.teamIds.filter(isUuid) };
    case 'overdue':
      return { kind: 'overdue' };
  }
}

/** The page cursor of a worklist: the last task's due date and id. */
function decodeTaskCursor(text: string): { dueOn: string; id: string } {
  const cursor = decodeNameCursor(text);
  if (!DATE.test(cursor.name)) {
    throw Problems.validation([
      { field: 'query.cursor', message: 'The cursor is not valid; start from the first page.' },
    ]);
  }
  return { dueOn: cursor.name, id: cursor.id };
}
