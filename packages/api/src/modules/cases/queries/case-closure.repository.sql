-- CaseClosureRepository.decide
update "cases"."closure_requests" set "status" = $1, "decided_by" = $2, "decision_note" = $3, "decided_at" = now(), "version" = version + 1 where "id" = $4 and "status" = $5 and "version" = $6;

-- CaseClosureRepository.findRequest
select "id", "case_id", "reason", closed_on::text as "closed_on", "status", "requested_by", "requested_at", "decided_by", "decided_at", "decision_note", "version" from "cases"."closure_requests" where "id" = $1;

-- CaseClosureRepository.insertRequest
insert into "cases"."closure_requests" ("id", "case_id", "reason", "closed_on", "requested_by") values ($1, $2, $3, $4, $5);

-- CaseClosureRepository.insertStatusChange
insert into "cases"."case_status_changes" ("id", "case_id", "kind", "from_status", "to_status", "reason", "closure_request_id", "changed_by") values ($1, $2, $3, $4, $5, $6, $7, $8);

-- CaseClosureRepository.requestsOf
select "id", "case_id", "reason", closed_on::text as "closed_on", "status", "requested_by", "requested_at", "decided_by", "decided_at", "decision_note", "version" from "cases"."closure_requests" where "case_id" = $1 order by "requested_at" desc, "id" desc;

-- CaseClosureRepository.statusChangesOf
select * from "cases"."case_status_changes" where "case_id" = $1 order by "changed_at", "id";
