-- CoveragesRepository.coveragesOf (all)
select "v"."id", "v"."client_id", "v"."payer", "v"."payer_name", "v"."member_id_ciphertext", "v"."member_id_index", "v"."member_id_last4", "v"."group_number", "v"."plan_name", "v"."priority", v.start_date::text as "start_date", v.end_date::text as "end_date", "v"."created_by", "v"."version", "v"."created_at", "v"."updated_at" from "clients"."coverages" as "v" where "v"."client_id" = $1 order by "v"."priority", "v"."start_date" desc, "v"."id";

-- CoveragesRepository.coveragesOf (in force from a day)
select "v"."id", "v"."client_id", "v"."payer", "v"."payer_name", "v"."member_id_ciphertext", "v"."member_id_index", "v"."member_id_last4", "v"."group_number", "v"."plan_name", "v"."priority", v.start_date::text as "start_date", v.end_date::text as "end_date", "v"."created_by", "v"."version", "v"."created_at", "v"."updated_at" from "clients"."coverages" as "v" where "v"."client_id" = $1 and ("v"."end_date" is null or "v"."end_date" >= $2::date) order by "v"."priority", "v"."start_date" desc, "v"."id";

-- CoveragesRepository.findCoverage
select "v"."id", "v"."client_id", "v"."payer", "v"."payer_name", "v"."member_id_ciphertext", "v"."member_id_index", "v"."member_id_last4", "v"."group_number", "v"."plan_name", "v"."priority", v.start_date::text as "start_date", v.end_date::text as "end_date", "v"."created_by", "v"."version", "v"."created_at", "v"."updated_at" from "clients"."coverages" as "v" where "v"."id" = $1;

-- CoveragesRepository.insertCoverage
insert into "clients"."coverages" ("id", "client_id", "payer", "payer_name", "member_id_ciphertext", "member_id_index", "member_id_last4", "priority", "start_date", "created_by") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10);

-- CoveragesRepository.overlapping
select "id" from "clients"."coverages" where "client_id" = $1 and "priority" = $2 and ("end_date" is null or "end_date" >= $3::date) and "id" <> $4;

-- CoveragesRepository.updateCoverage
update "clients"."coverages" set "end_date" = $1, "version" = version + 1, "updated_at" = now() where "id" = $2 and "version" = $3;
