-- CasesRepository.assignmentsOf
select * from "cases"."case_assignments" where "case_id" = $1 order by "assigned_at", "id";

-- CasesRepository.casesOfClientForUpdate
select "k"."id", "k"."agency_id", "k"."client_id", "k"."program_id", "k"."type", "k"."status", "k"."risk_level", k.opened_on::text as "opened_on", k.closed_on::text as "closed_on", "k"."assigned_worker_id", "k"."team_id", "k"."part2", "k"."created_by", "k"."version", "k"."created_at", "k"."updated_at" from "cases"."cases" as "k" where "k"."client_id" = $1 and "k"."agency_id" = $2 order by "k"."id" for update;

-- CasesRepository.findById
select "k"."id", "k"."agency_id", "k"."client_id", "k"."program_id", "k"."type", "k"."status", "k"."risk_level", k.opened_on::text as "opened_on", k.closed_on::text as "closed_on", "k"."assigned_worker_id", "k"."team_id", "k"."part2", "k"."created_by", "k"."version", "k"."created_at", "k"."updated_at" from "cases"."cases" as "k" where "k"."id" = $1;

-- CasesRepository.insert
insert into "cases"."cases" ("id", "agency_id", "client_id", "program_id", "type", "risk_level", "opened_on", "assigned_worker_id", "team_id", "part2", "created_by") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11);

-- CasesRepository.insertAssignment
insert into "cases"."case_assignments" ("id", "case_id", "kind", "from_worker_id", "to_worker_id", "from_team_id", "to_team_id", "from_program_id", "to_program_id", "reason", "assigned_by") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11);

-- CasesRepository.list (my caseload, team scope, every filter)
select "k"."id", "k"."agency_id", "k"."client_id", "k"."program_id", "k"."type", "k"."status", "k"."risk_level", k.opened_on::text as "opened_on", k.closed_on::text as "closed_on", "k"."assigned_worker_id", "k"."team_id", "k"."part2", "k"."created_by", "k"."version", "k"."created_at", "k"."updated_at" from "cases"."cases" as "k" where ("k"."agency_id" = $1 and ("k"."team_id" in ($2) or "k"."assigned_worker_id" = $3)) and "k"."assigned_worker_id" = $4 and "k"."status" = $5 and "k"."client_id" = $6 and "k"."risk_level" = $7 and ("k"."opened_on" < $8::date or ("k"."opened_on" = $9::date and "k"."id" < $10)) order by "k"."opened_on" desc, "k"."id" desc limit $11;

-- CasesRepository.list (program caseload, program scope)
select "k"."id", "k"."agency_id", "k"."client_id", "k"."program_id", "k"."type", "k"."status", "k"."risk_level", k.opened_on::text as "opened_on", k.closed_on::text as "closed_on", "k"."assigned_worker_id", "k"."team_id", "k"."part2", "k"."created_by", "k"."version", "k"."created_at", "k"."updated_at" from "cases"."cases" as "k" where ("k"."agency_id" = $1 and ("k"."program_id" in ($2) or "k"."team_id" in ($3) or "k"."assigned_worker_id" = $4)) and "k"."program_id" in ($5) order by "k"."opened_on" desc, "k"."id" desc limit $6;

-- CasesRepository.list (team caseload, agency scope)
select "k"."id", "k"."agency_id", "k"."client_id", "k"."program_id", "k"."type", "k"."status", "k"."risk_level", k.opened_on::text as "opened_on", k.closed_on::text as "closed_on", "k"."assigned_worker_id", "k"."team_id", "k"."part2", "k"."created_by", "k"."version", "k"."created_at", "k"."updated_at" from "cases"."cases" as "k" where "k"."agency_id" = $1 and "k"."team_id" in ($2) order by "k"."opened_on" desc, "k"."id" desc limit $3;

-- CasesRepository.markMergeMovesRestored
update "cases"."merge_moves" set "restored_at" = now() where "merge_id" = $1 and "case_id" in ($2);

-- CasesRepository.moveToClient
update "cases"."cases" set "client_id" = $1, "version" = version + 1, "updated_at" = now() where "id" in ($2) and "client_id" = $3 returning "id";

-- CasesRepository.pendingMergeMoves
select * from "cases"."merge_moves" where "merge_id" = $1 and "restored_at" is null order by "case_id" for update;

-- CasesRepository.recordMergeMoves
insert into "cases"."merge_moves" ("merge_id", "case_id", "from_client_id", "to_client_id") values ($1, $2, $3, $4) on conflict ("merge_id", "case_id") do nothing;

-- CasesRepository.update
update "cases"."cases" set "risk_level" = $1, "version" = version + 1, "updated_at" = now() where "id" = $2 and "version" = $3;
