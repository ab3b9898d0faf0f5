-- ServicePlansRepository.activeOfCaseForUpdate
select "p"."id", "p"."case_id", "p"."plan_number", "p"."status", p.effective_from::text as "effective_from", p.effective_to::text as "effective_to", "p"."supersedes_plan_id", "p"."client_signer_name", p.client_signed_on::text as "client_signed_on", "p"."client_sign_method", "p"."client_witness_name", "p"."client_signature_recorded_by", "p"."worker_signed_by", "p"."worker_signed_at", "p"."activated_at", p.ended_on::text as "ended_on", "p"."created_by", "p"."version", "p"."created_at", "p"."updated_at" from "cases"."service_plans" as "p" where "p"."case_id" = $1 and "p"."status" = $2 for update;

-- ServicePlansRepository.deleteDraft
delete from "cases"."service_plans" where "id" = $1 and "status" = $2 and "client_signed_on" is null and "worker_signed_at" is null and "version" = $3;

-- ServicePlansRepository.end
update "cases"."service_plans" set "status" = $1, "ended_on" = $2, "version" = version + 1, "updated_at" = now() where "id" = $3 and "status" in ($4, $5);

-- ServicePlansRepository.findById
select "p"."id", "p"."case_id", "p"."plan_number", "p"."status", p.effective_from::text as "effective_from", p.effective_to::text as "effective_to", "p"."supersedes_plan_id", "p"."client_signer_name", p.client_signed_on::text as "client_signed_on", "p"."client_sign_method", "p"."client_witness_name", "p"."client_signature_recorded_by", "p"."worker_signed_by", "p"."worker_signed_at", "p"."activated_at", p.ended_on::text as "ended_on", "p"."created_by", "p"."version", "p"."created_at", "p"."updated_at" from "cases"."service_plans" as "p" where "p"."id" = $1;

-- ServicePlansRepository.insert
insert into "cases"."service_plans" ("id", "case_id", "plan_number", "effective_from", "effective_to", "supersedes_plan_id", "created_by") values ($1, $2, $3, $4, $5, $6, $7);

-- ServicePlansRepository.itemsOf
select "id", "plan_id", "position", "description", target_date::text as "target_date", "status", "created_at", "updated_at" from "cases"."plan_goals" where "plan_id" = $1 order by "position";
select "id", "plan_id", "goal_id", "position", "description", target_date::text as "target_date", "status", "created_at", "updated_at" from "cases"."plan_objectives" where "plan_id" = $1 order by "goal_id", "position";
select "id", "plan_id", "objective_id", "position", "description", "responsible_party", "frequency", start_date::text as "start_date", target_date::text as "target_date", "status", "created_at", "updated_at" from "cases"."plan_interventions" where "plan_id" = $1 order by "objective_id", "position";

-- ServicePlansRepository.listOfCase
select "p"."id", "p"."case_id", "p"."plan_number", "p"."status", p.effective_from::text as "effective_from", p.effective_to::text as "effective_to", "p"."supersedes_plan_id", "p"."client_signer_name", p.client_signed_on::text as "client_signed_on", "p"."client_sign_method", "p"."client_witness_name", "p"."client_signature_recorded_by", "p"."worker_signed_by", "p"."worker_signed_at", "p"."activated_at", p.ended_on::text as "ended_on", "p"."created_by", "p"."version", "p"."created_at", "p"."updated_at" from "cases"."service_plans" as "p" where "p"."case_id" = $1 order by "p"."plan_number" desc;

-- ServicePlansRepository.nextPlanNumber
select coalesce(max(plan_number), 0) + 1 as "next" from "cases"."service_plans" where "case_id" = $1;

-- ServicePlansRepository.recordClientSignature
update "cases"."service_plans" set "client_signer_name" = $1, "client_signed_on" = $2, "client_sign_method" = $3, "client_witness_name" = $4, "client_signature_recorded_by" = $5, "status" = CASE WHEN worker_signed_at IS NOT NULL THEN 'active' ELSE status END, "activated_at" = CASE WHEN worker_signed_at IS NOT NULL THEN now() END, "version" = version + 1, "updated_at" = now() where "id" = $6 and "status" = $7 and "client_signed_on" is null and "version" = $8;

-- ServicePlansRepository.recordWorkerSignature
update "cases"."service_plans" set "worker_signed_by" = $1, "worker_signed_at" = $2, "status" = CASE WHEN client_signed_on IS NOT NULL THEN 'active' ELSE status END, "activated_at" = CASE WHEN client_signed_on IS NOT NULL THEN now() END, "version" = version + 1, "updated_at" = now() where "id" = $3 and "status" = $4 and "worker_signed_at" is null and "version" = $5;

-- ServicePlansRepository.replaceItems
delete from "cases"."plan_goals" where "plan_id" = $1;
insert into "cases"."plan_goals" ("id", "plan_id", "position", "description", "target_date", "status") values ($1, $2, $3, $4, $5, $6);
insert into "cases"."plan_objectives" ("id", "plan_id", "goal_id", "position", "description", "target_date", "status") values ($1, $2, $3, $4, $5, $6, $7);
insert into "cases"."plan_interventions" ("id", "plan_id", "objective_id", "position", "description", "responsible_party", "frequency", "start_date", "target_date", "status") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10);

-- ServicePlansRepository.reviewsOf
select "r"."id", "r"."plan_id", r.reviewed_on::text as "reviewed_on", "r"."summary", "r"."reviewer_id", "r"."created_at", "g"."goal_id", "g"."rating", "g"."note" from "cases"."plan_reviews" as "r" left join "cases"."plan_review_goals" as "g" on "g"."review_id" = "r"."id" where "r"."plan_id" = $1 order by "r"."reviewed_on" desc, "r"."created_at" desc, "r"."id";

-- ServicePlansRepository.saveReview
insert into "cases"."plan_reviews" ("id", "plan_id", "reviewed_on", "summary", "reviewer_id") values ($1, $2, $3, $4, $5);
insert into "cases"."plan_review_goals" ("review_id", "goal_id", "rating", "note") values ($1, $2, $3, $4);

-- ServicePlansRepository.setItemStatuses
update "cases"."plan_goals" set "status" = $1, "updated_at" = now() where "id" = $2 and "plan_id" = $3;
update "cases"."plan_objectives" set "status" = $1, "updated_at" = now() where "id" = $2 and "plan_id" = $3;
update "cases"."plan_interventions" set "status" = $1, "updated_at" = now() where "id" = $2 and "plan_id" = $3;

-- ServicePlansRepository.updateDraft
update "cases"."service_plans" set "effective_from" = $1, "effective_to" = $2, "version" = version + 1, "updated_at" = now() where "id" = $3 and "status" = $4 and "client_signed_on" is null and "worker_signed_at" is null and "version" = $5;
