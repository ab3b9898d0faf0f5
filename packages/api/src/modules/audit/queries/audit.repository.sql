-- AuditLogRepository.page (no filter, first page)
select * from "audit"."audit_logs" order by "seq" desc limit $1;

-- AuditLogRepository.page (every filter, after a cursor)
select * from "audit"."audit_logs" where "actor_id" = $1 and "resource_type" = $2 and "resource_id" = $3 and "action" = $4 and "outcome" = $5 and "occurred_at" >= $6 and "occurred_at" < $7 and "seq" < $8 order by "seq" desc limit $9;

-- AuditLogRepository.chainSlice
select * from "audit"."audit_logs" where "seq" > $1 and "seq" <= $2 order by "seq" asc limit $3;

-- AuditLogRepository.lastSeq
select "seq" from "audit"."audit_logs" order by "seq" desc limit $1;
