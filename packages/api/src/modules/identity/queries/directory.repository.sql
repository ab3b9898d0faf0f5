-- DirectoryRepository.agencyExists
select "id" from "identity"."agencies" where "id" = $1;

-- DirectoryRepository.existingRoles
select "name" from "identity"."roles" where "name" in ($1, $2);

-- DirectoryRepository.grantsOf
select "permission", "scope" from "identity"."role_permissions" where "role" in ($1, $2);

-- DirectoryRepository.insertAgency
insert into "identity"."agencies" ("id", "name") values ($1, $2) on conflict do nothing;

-- DirectoryRepository.insertProgram
insert into "identity"."programs" ("id", "agency_id", "code", "name") values ($1, $2, $3, $4) on conflict do nothing;

-- DirectoryRepository.insertTeam
insert into "identity"."teams" ("id", "agency_id", "program_id", "name") values ($1, $2, $3, $4) on conflict do nothing;

-- DirectoryRepository.listRoles
select * from "identity"."roles" order by "name";
select * from "identity"."role_permissions";

-- DirectoryRepository.listTeams (every agency)
select "t"."id", "t"."name", "t"."agency_id", "t"."program_id", "p"."name" as "program_name" from "identity"."teams" as "t" inner join "identity"."programs" as "p" on "p"."id" = "t"."program_id" order by "p"."name", "t"."name";

-- DirectoryRepository.listTeams (one agency)
select "t"."id", "t"."name", "t"."agency_id", "t"."program_id", "p"."name" as "program_name" from "identity"."teams" as "t" inner join "identity"."programs" as "p" on "p"."id" = "t"."program_id" where "t"."agency_id" = $1 order by "p"."name", "t"."name";

-- DirectoryRepository.lockForSeeding
SELECT pg_advisory_xact_lock($1);

-- DirectoryRepository.rolesRequiringMfa
select "name" from "identity"."roles" where "name" in ($1, $2) and "requires_mfa" = $3;

-- DirectoryRepository.syncRoleCatalog (a role changed)
select * from "identity"."roles" order by "name";
select * from "identity"."role_permissions";
SELECT pg_advisory_xact_lock($1);
insert into "identity"."roles" ("name", "description", "requires_mfa") values ($1, $2, $3) on conflict ("name") do update set "description" = $4, "requires_mfa" = $5;
delete from "identity"."role_permissions" where "role" = $1;
insert into "identity"."role_permissions" ("role", "permission", "scope") values ($1, $2, $3), ($4, $5, $6);

-- DirectoryRepository.teamsByIds
select "t"."id", "t"."name", "t"."agency_id", "t"."program_id", "p"."name" as "program_name" from "identity"."teams" as "t" inner join "identity"."programs" as "p" on "p"."id" = "t"."program_id" where "t"."id" in ($1, $2);
