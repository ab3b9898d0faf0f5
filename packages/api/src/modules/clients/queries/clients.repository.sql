-- ClientsRepository.addCareTeamMember
insert into "clients"."care_team" ("id", "client_id", "team_id", "user_id", "source", "source_id") values ($1, $2, $3, $4, $5, $6);

-- ClientsRepository.careTeamOf
select * from "clients"."care_team" where "client_id" = $1 and "ended_at" is null order by "started_at", "id";

-- ClientsRepository.endCareTeamOf
update "clients"."care_team" set "ended_at" = now() where "source_id" = $1 and "ended_at" is null;

-- ClientsRepository.enrollmentsOf
select "e"."id", "e"."client_id", "e"."program_id", e.start_date::text as "start_date", e.end_date::text as "end_date", "e"."reason", "e"."end_reason", "e"."part2", "e"."created_by", "e"."version", "e"."created_at", "e"."updated_at" from "clients"."enrollments" as "e" where "e"."client_id" = $1 order by "e"."start_date" desc, "e"."id";

-- ClientsRepository.findById
select "c"."id", "c"."agency_id", "c"."given_name", "c"."middle_name", "c"."family_name", "c"."preferred_name", c.birth_date::text as "birth_date", "c"."sex_at_birth", "c"."gender_identity", "c"."pronouns", "c"."race", "c"."ethnicity", "c"."primary_language", "c"."interpreter_needed", "c"."ssn_ciphertext", "c"."ssn_index", "c"."ssn_last4", "c"."medicaid_id_ciphertext", "c"."medicaid_id_index", "c"."status", "c"."merged_into_id", c.deceased_on::text as "deceased_on", "c"."created_by", "c"."version", "c"."created_at", "c"."updated_at" from "clients"."clients" as "c" where "c"."id" = $1;

-- ClientsRepository.findByIds
select "c"."id", "c"."agency_id", "c"."given_name", "c"."middle_name", "c"."family_name", "c"."preferred_name", c.birth_date::text as "birth_date", "c"."sex_at_birth", "c"."gender_identity", "c"."pronouns", "c"."race", "c"."ethnicity", "c"."primary_language", "c"."interpreter_needed", "c"."ssn_ciphertext", "c"."ssn_index", "c"."ssn_last4", "c"."medicaid_id_ciphertext", "c"."medicaid_id_index", "c"."status", "c"."merged_into_id", c.deceased_on::text as "deceased_on", "c"."created_by", "c"."version", "c"."created_at", "c"."updated_at" from "clients"."clients" as "c" where "c"."id" in ($1, $2);

-- ClientsRepository.findEnrollment
select "e"."id", "e"."client_id", "e"."program_id", e.start_date::text as "start_date", e.end_date::text as "end_date", "e"."reason", "e"."end_reason", "e"."part2", "e"."created_by", "e"."version", "e"."created_at", "e"."updated_at" from "clients"."enrollments" as "e" where "e"."id" = $1;

-- ClientsRepository.insert
insert into "clients"."clients" ("id", "agency_id", "given_name", "family_name", "birth_date", "sex_at_birth", "created_by") values ($1, $2, $3, $4, $5, $6, $7);

-- ClientsRepository.insertEnrollment
insert into "clients"."enrollments" ("id", "client_id", "program_id", "start_date", "reason", "created_by") values ($1, $2, $3, $4, $5, $6);

-- ClientsRepository.list (agency scope)
select "c"."id", "c"."agency_id", "c"."given_name", "c"."middle_name", "c"."family_name", "c"."preferred_name", c.birth_date::text as "birth_date", "c"."sex_at_birth", "c"."gender_identity", "c"."pronouns", "c"."race", "c"."ethnicity", "c"."primary_language", "c"."interpreter_needed", "c"."ssn_ciphertext", "c"."ssn_index", "c"."ssn_last4", "c"."medicaid_id_ciphertext", "c"."medicaid_id_index", "c"."status", "c"."merged_into_id", c.deceased_on::text as "deceased_on", "c"."created_by", "c"."version", "c"."created_at", "c"."updated_at" from "clients"."clients" as "c" where "c"."status" <> $1 and "c"."agency_id" = $2 order by c.family_name || ' ' || c.given_name, "c"."id" limit $3;

-- ClientsRepository.list (by ids)
select "c"."id", "c"."agency_id", "c"."given_name", "c"."middle_name", "c"."family_name", "c"."preferred_name", c.birth_date::text as "birth_date", "c"."sex_at_birth", "c"."gender_identity", "c"."pronouns", "c"."race", "c"."ethnicity", "c"."primary_language", "c"."interpreter_needed", "c"."ssn_ciphertext", "c"."ssn_index", "c"."ssn_last4", "c"."medicaid_id_ciphertext", "c"."medicaid_id_index", "c"."status", "c"."merged_into_id", c.deceased_on::text as "deceased_on", "c"."created_by", "c"."version", "c"."created_at", "c"."updated_at" from "clients"."clients" as "c" where "c"."status" <> $1 and ("c"."agency_id" = $2 and exists (select "ct"."id" from "clients"."care_team" as "ct" where "ct"."client_id" = "c"."id" and "ct"."ended_at" is null and ("ct"."team_id" in ($3) or "ct"."user_id" = $4))) and "c"."id" in ($5, $6) order by c.family_name || ' ' || c.given_name, "c"."id" limit $7;

-- ClientsRepository.list (program scope)
select "c"."id", "c"."agency_id", "c"."given_name", "c"."middle_name", "c"."family_name", "c"."preferred_name", c.birth_date::text as "birth_date", "c"."sex_at_birth", "c"."gender_identity", "c"."pronouns", "c"."race", "c"."ethnicity", "c"."primary_language", "c"."interpreter_needed", "c"."ssn_ciphertext", "c"."ssn_index", "c"."ssn_last4", "c"."medicaid_id_ciphertext", "c"."medicaid_id_index", "c"."status", "c"."merged_into_id", c.deceased_on::text as "deceased_on", "c"."created_by", "c"."version", "c"."created_at", "c"."updated_at" from "clients"."clients" as "c" where "c"."status" <> $1 and ("c"."agency_id" = $2 and (exists (select "en"."id" from "clients"."enrollments" as "en" where "en"."client_id" = "c"."id" and "en"."program_id" in ($3) and ("en"."end_date" is null or "en"."end_date" >= $4::date)) or exists (select "ct"."id" from "clients"."care_team" as "ct" where "ct"."client_id" = "c"."id" and "ct"."ended_at" is null and ("ct"."team_id" in ($5) or "ct"."user_id" = $6)))) order by c.family_name || ' ' || c.given_name, "c"."id" limit $7;

-- ClientsRepository.list (team scope, every filter)
select "c"."id", "c"."agency_id", "c"."given_name", "c"."middle_name", "c"."family_name", "c"."preferred_name", c.birth_date::text as "birth_date", "c"."sex_at_birth", "c"."gender_identity", "c"."pronouns", "c"."race", "c"."ethnicity", "c"."primary_language", "c"."interpreter_needed", "c"."ssn_ciphertext", "c"."ssn_index", "c"."ssn_last4", "c"."medicaid_id_ciphertext", "c"."medicaid_id_index", "c"."status", "c"."merged_into_id", c.deceased_on::text as "deceased_on", "c"."created_by", "c"."version", "c"."created_at", "c"."updated_at" from "clients"."clients" as "c" where "c"."status" <> $1 and ("c"."agency_id" = $2 and exists (select "ct"."id" from "clients"."care_team" as "ct" where "ct"."client_id" = "c"."id" and "ct"."ended_at" is null and ("ct"."team_id" in ($3) or "ct"."user_id" = $4))) and "c"."family_name" ilike $5 and "c"."birth_date" = $6::date and (c.family_name || ' ' || c.given_name > $7 or (c.family_name || ' ' || c.given_name = $8 and "c"."id" > $9)) order by c.family_name || ' ' || c.given_name, "c"."id" limit $10;

-- ClientsRepository.part2EnrollmentsAmong
select distinct "e"."client_id", "e"."program_id" from "clients"."enrollments" as "e" where "e"."part2" = $1 and "e"."client_id" in ($2) and "e"."program_id" in ($3);

-- ClientsRepository.scopeFacts
select "team_id", "user_id" from "clients"."care_team" where "client_id" = $1 and "ended_at" is null;
select "program_id" from "clients"."enrollments" where "client_id" = $1 and ("end_date" is null or "end_date" >= $2::date);

-- ClientsRepository.update
update "clients"."clients" set "preferred_name" = $1, "version" = version + 1, "updated_at" = now() where "id" = $2 and "version" = $3;

-- ClientsRepository.updateEnrollment
update "clients"."enrollments" set "end_date" = $1, "end_reason" = $2, "version" = version + 1, "updated_at" = now() where "id" = $3 and "version" = $4;
