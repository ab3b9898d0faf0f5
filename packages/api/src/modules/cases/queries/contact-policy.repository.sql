-- ContactPolicyRepository.agencyEntryForUpdate
select * from "cases"."contact_policy" where "agency_id" = $1 and "risk_level" = $2 for update;

-- ContactPolicyRepository.changesOf
select * from "cases"."contact_policy_changes" where "agency_id" = $1 order by "changed_at" desc, "id" desc limit $2;

-- ContactPolicyRepository.effective
select distinct on ("risk_level") * from "cases"."contact_policy" where ("agency_id" = $1 or "agency_id" is null) order by "risk_level", agency_id IS NULL;

-- ContactPolicyRepository.insertAgencyEntry
insert into "cases"."contact_policy" ("agency_id", "risk_level", "interval_days", "updated_by") values ($1, $2, $3, $4) on conflict ("agency_id", "risk_level") where "agency_id" is not null do nothing returning "version";

-- ContactPolicyRepository.insertChange
insert into "cases"."contact_policy_changes" ("id", "agency_id", "risk_level", "from_days", "to_days", "reason", "changed_by") values ($1, $2, $3, $4, $5, $6, $7);

-- ContactPolicyRepository.updateAgencyEntry
update "cases"."contact_policy" set "interval_days" = $1, "updated_by" = $2, "version" = version + 1, "updated_at" = now() where "agency_id" = $3 and "risk_level" = $4 and "version" = $5;
