-- CaseTasksRepository.cancelOpenOfCase
update "cases"."tasks" set "status" = $1, "version" = version + 1, "updated_at" = now() where "case_id" = $2 and "status" = $3;

-- CaseTasksRepository.caseForUpdate
select "id", "agency_id", "status", "risk_level", opened_on::text as "opened_on", "assigned_worker_id" from "cases"."cases" where "id" = $1 for update;

-- CaseTasksRepository.completeBySystem
update "cases"."tasks" set "status" = $1, "completed_at" = now(), "version" = version + 1, "updated_at" = now() where "id" = $2 and "status" = $3;

-- CaseTasksRepository.contactFacts
select (select max((n.contact_at AT TIME ZONE $1)::date)::text as "d" from "cases"."case_notes" as "n" where "n"."case_id" = "k"."id" and "n"."note_type" = $2 and "n"."status" = $3 and "n"."parent_note_id" is null) as "last_contact_on", (select max((s.changed_at AT TIME ZONE $4)::date)::text as "d" from "cases"."case_status_changes" as "s" where "s"."case_id" = "k"."id" and "s"."kind" = $5) as "last_reopened_on" from "cases"."cases" as "k" where "k"."id" = $6;

-- CaseTasksRepository.findById
select "t"."id", "t"."case_id", "t"."title", "t"."type", "t"."source", t.due_on::text as "due_on", t.basis_on::text as "basis_on", "t"."assigned_to", "t"."status", "t"."completed_at", "t"."completed_by", "t"."created_by", "t"."version", "t"."created_at", "t"."updated_at" from "cases"."tasks" as "t" where "t"."id" = $1;

-- CaseTasksRepository.insert
insert into "cases"."tasks" ("id", "case_id", "title", "type", "due_on", "assigned_to", "created_by") values ($1, $2, $3, $4, $5, $6, $7);

-- CaseTasksRepository.listOfCase
select "t"."id", "t"."case_id", "t"."title", "t"."type", "t"."source", t.due_on::text as "due_on", t.basis_on::text as "basis_on", "t"."assigned_to", "t"."status", "t"."completed_at", "t"."completed_by", "t"."created_by", "t"."version", "t"."created_at", "t"."updated_at" from "cases"."tasks" as "t" where "t"."case_id" = $1 and "t"."status" = $2 order by t.status = 'open' desc, "t"."due_on", "t"."id" limit $3;

-- CaseTasksRepository.openPolicyTask
select "t"."id", "t"."case_id", "t"."title", "t"."type", "t"."source", t.due_on::text as "due_on", t.basis_on::text as "basis_on", "t"."assigned_to", "t"."status", "t"."completed_at", "t"."completed_by", "t"."created_by", "t"."version", "t"."created_at", "t"."updated_at" from "cases"."tasks" as "t" where "t"."case_id" = $1 and "t"."source" = $2 and "t"."status" = $3;

-- CaseTasksRepository.queue (mine, team scope, next page)
select "t"."id", "t"."case_id", "t"."title", "t"."type", "t"."source", t.due_on::text as "due_on", t.basis_on::text as "basis_on", "t"."assigned_to", "t"."status", "t"."completed_at", "t"."completed_by", "t"."created_by", "t"."version", "t"."created_at", "t"."updated_at", "k"."client_id", "k"."program_id", "k"."team_id", "k"."risk_level" from "cases"."cases" as "k" inner join "cases"."tasks" as "t" on "t"."case_id" = "k"."id" where "t"."status" = $1 and ("k"."agency_id" = $2 and ("k"."team_id" in ($3) or "k"."assigned_worker_id" = $4)) and "t"."assigned_to" = $5 and ("t"."due_on" > $6::date or ("t"."due_on" = $7::date and "t"."id" > $8)) order by "t"."due_on", "t"."id" limit $9;

-- CaseTasksRepository.queue (overdue, program scope)
select "t"."id", "t"."case_id", "t"."title", "t"."type", "t"."source", t.due_on::text as "due_on", t.basis_on::text as "basis_on", "t"."assigned_to", "t"."status", "t"."completed_at", "t"."completed_by", "t"."created_by", "t"."version", "t"."created_at", "t"."updated_at", "k"."client_id", "k"."program_id", "k"."team_id", "k"."risk_level" from "cases"."cases" as "k" inner join "cases"."tasks" as "t" on "t"."case_id" = "k"."id" where "t"."status" = $1 and ("k"."agency_id" = $2 and ("k"."program_id" in ($3) or "k"."team_id" in ($4) or "k"."assigned_worker_id" = $5)) and "t"."due_on" < $6::date order by "t"."due_on", "t"."id" limit $7;

-- CaseTasksRepository.queue (team)
select "t"."id", "t"."case_id", "t"."title", "t"."type", "t"."source", t.due_on::text as "due_on", t.basis_on::text as "basis_on", "t"."assigned_to", "t"."status", "t"."completed_at", "t"."completed_by", "t"."created_by", "t"."version", "t"."created_at", "t"."updated_at", "k"."client_id", "k"."program_id", "k"."team_id", "k"."risk_level" from "cases"."cases" as "k" inner join "cases"."tasks" as "t" on "t"."case_id" = "k"."id" where "t"."status" = $1 and "k"."agency_id" = $2 and "k"."team_id" in ($3) order by "t"."due_on", "t"."id" limit $4;

-- CaseTasksRepository.redateForPolicy
update "cases"."tasks" as "t" set "title" = $1, "due_on" = t.basis_on + $2::integer, "version" = t.version + 1, "updated_at" = now() from "cases"."cases" as "k" where "k"."id" = "t"."case_id" and "k"."agency_id" = $3 and "k"."risk_level" = $4 and "k"."status" in ($5, $6) and "t"."source" = $7 and "t"."status" = $8;

-- CaseTasksRepository.reschedule
update "cases"."tasks" set "title" = $1, "due_on" = $2, "basis_on" = $3, "assigned_to" = $4, "version" = version + 1, "updated_at" = now() where "id" = $5 and "status" = $6;

-- CaseTasksRepository.update
update "cases"."tasks" set "due_on" = $1, "version" = version + 1, "updated_at" = now() where "id" = $2 and "status" = $3 and "version" = $4;
