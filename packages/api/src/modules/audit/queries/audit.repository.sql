-- AuditLogRepository.chainSlice
select * from "audit"."audit_logs" where "seq" > $1 and "seq" <= $2 order by "seq" asc limit $3;

-- AuditLogRepository.lastSeq
select "seq" from "audit"."audit_logs" order by "seq" desc limit $1;

-- AuditLogRepository.page (every filter, after a cursor)
select * from "audit"."audit_logs" where "actor_agency_id" = $1 and "actor_id" = $2 and "resource_type" = $3 and "resource_id" = $4 and "action" = $5 and "outcome" = $6 and "occurred_at" >= $7 and "occurred_at" < $8 and "seq" < $9 order by "seq" desc limit $10;

-- AuditLogRepository.page (no filter, first page)
select * from "audit"."audit_logs" order by "seq" desc limit $1;
