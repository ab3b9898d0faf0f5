-- MergesRepository.findMerge
select * from "clients"."merges" where "id" = $1;

-- MergesRepository.insertMerge
insert into "clients"."merges" ("id", "agency_id", "survivor_id", "merged_id", "reason", "merged_prior_status", "merged_by") values ($1, $2, $3, $4, $5, $6, $7);

-- MergesRepository.lockClients
select "id", "agency_id", "status", "merged_into_id", "version" from "clients"."clients" where "id" in ($1, $2) order by "id" for update;

-- MergesRepository.markUnmerged
update "clients"."merges" set "unmerged_at" = now(), "unmerged_by" = $1, "unmerge_reason" = $2 where "id" = $3;

-- MergesRepository.markYielded
update "clients"."merge_moves" set "was_primary" = $1 where "merge_id" = $2 and "table_name" = $3 and "row_id" in ($4);

-- MergesRepository.mergesOf
select * from "clients"."merges" where ("survivor_id" in ($1, $2) or "merged_id" in ($3, $4)) order by "merged_at" desc, "id";

-- MergesRepository.moveBack
UPDATE "clients"."addresses" SET client_id = $1 WHERE client_id = $2 AND id IN (SELECT row_id FROM clients.merge_moves WHERE merge_id = $3 AND table_name = $4) RETURNING id;

-- MergesRepository.moveRows
WITH moved AS ( UPDATE "clients"."addresses" SET client_id = $1 WHERE client_id = $2 RETURNING id) INSERT INTO clients.merge_moves (merge_id, table_name, row_id) SELECT $3::uuid, $4::text, id FROM moved RETURNING row_id;

-- MergesRepository.movedCounts
select "merge_id", "table_name", count(*) as "rows" from "clients"."merge_moves" where "merge_id" in ($1) group by "merge_id", "table_name";

-- MergesRepository.restorePrimary
UPDATE "clients"."phones" SET is_primary = true WHERE client_id = $1 AND ended_at IS NULL AND id = (SELECT row_id FROM clients.merge_moves WHERE merge_id = $2 AND table_name = $3 AND was_primary LIMIT 1) AND NOT EXISTS (SELECT 1 FROM "clients"."phones" p WHERE p.client_id = $4 AND p.is_primary AND p.ended_at IS NULL);

-- MergesRepository.yieldPrimary
UPDATE "clients"."phones" SET is_primary = false WHERE client_id = $1 AND is_primary AND ended_at IS NULL AND EXISTS (SELECT 1 FROM "clients"."phones" s WHERE s.client_id = $2 AND s.is_primary AND s.ended_at IS NULL) RETURNING id;
