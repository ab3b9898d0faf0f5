-- UsersRepository.accessOf
select "user_id", "role" from "identity"."user_roles" where "user_id" in ($1) order by "role";
select "ut"."user_id", "t"."id", "t"."program_id" from "identity"."user_teams" as "ut" inner join "identity"."teams" as "t" on "t"."id" = "ut"."team_id" where "ut"."user_id" in ($1) order by "t"."name";

-- UsersRepository.accessOfMany
select "user_id", "role" from "identity"."user_roles" where "user_id" in ($1, $2) order by "role";
select "ut"."user_id", "t"."id", "t"."program_id" from "identity"."user_teams" as "ut" inner join "identity"."teams" as "t" on "t"."id" = "ut"."team_id" where "ut"."user_id" in ($1, $2) order by "t"."name";

-- UsersRepository.anyUserExists
select "id" from "identity"."users" limit $1;

-- UsersRepository.findByEmail
select * from "identity"."users" where "email" = $1;

-- UsersRepository.findById
select * from "identity"."users" where "id" = $1;

-- UsersRepository.findProfile
select "u"."id", "u"."email", "u"."display_name", "u"."agency_id", "u"."mfa_enabled_at", "u"."status", "u"."version", "u"."created_at", "u"."updated_at", array(select r.role from identity.user_roles r where r.user_id = u.id order by r.role) as "roles", array(select t.id::text || ' ' || t.program_id::text from identity.user_teams ut join identity.teams t on t.id = ut.team_id where ut.user_id = u.id order by t.name, t.id) as "teams" from "identity"."users" as "u" where "u"."id" = $1;

-- UsersRepository.insert
insert into "identity"."users" ("id", "agency_id", "email", "display_name", "password_hash") values ($1, $2, $3, $4, $5);
delete from "identity"."user_roles" where "user_id" = $1;
insert into "identity"."user_roles" ("user_id", "role") values ($1, $2);
delete from "identity"."user_teams" where "user_id" = $1;
insert into "identity"."user_teams" ("user_id", "team_id") values ($1, $2);

-- UsersRepository.list (agency scope, first page)
select "u".* from "identity"."users" as "u" where "u"."agency_id" = $1 order by "u"."display_name", "u"."id" limit $2;

-- UsersRepository.list (own scope)
select "u".* from "identity"."users" as "u" where "u"."id" = $1 order by "u"."display_name", "u"."id" limit $2;

-- UsersRepository.list (program scope, every filter, after a cursor)
select "u".* from "identity"."users" as "u" where ("u"."agency_id" = $1 and ("u"."id" = $2 or exists (select 1 as "one" from "identity"."user_teams" as "ut" inner join "identity"."teams" as "t" on "t"."id" = "ut"."team_id" where "ut"."user_id" = "u"."id" and ("t"."id" in ($3) or "t"."program_id" in ($4))))) and "u"."status" = $5 and ("u"."email" ilike $6 or "u"."display_name" ilike $7) and exists (select 1 as "one" from "identity"."user_roles" as "ur" where "ur"."user_id" = "u"."id" and "ur"."role" = $8) and ("u"."display_name", "u"."id") > ($9, $10) order by "u"."display_name", "u"."id" limit $11;

-- UsersRepository.list (team scope)
select "u".* from "identity"."users" as "u" where ("u"."agency_id" = $1 and ("u"."id" = $2 or exists (select 1 as "one" from "identity"."user_teams" as "ut" inner join "identity"."teams" as "t" on "t"."id" = "ut"."team_id" where "ut"."user_id" = "u"."id" and "t"."id" in ($3)))) order by "u"."display_name", "u"."id" limit $4;

-- UsersRepository.rehashPassword
update "identity"."users" set "password_hash" = $1 where "id" = $2;

-- UsersRepository.replaceAccess
delete from "identity"."user_roles" where "user_id" = $1;
insert into "identity"."user_roles" ("user_id", "role") values ($1, $2);
delete from "identity"."user_teams" where "user_id" = $1;
insert into "identity"."user_teams" ("user_id", "team_id") values ($1, $2), ($3, $4);

-- UsersRepository.setLastTimeStep
update "identity"."users" set "mfa_last_time_step" = $1 where "id" = $2;

-- UsersRepository.setMfaPending
update "identity"."users" set "mfa_pending_secret" = $1 where "id" = $2;

-- UsersRepository.setPassword
update "identity"."users" set "password_hash" = $1, "password_changed_at" = now() where "id" = $2;

-- UsersRepository.update (any version)
update "identity"."users" set "status" = $1, "version" = version + 1, "updated_at" = now() where "id" = $2 returning *;

-- UsersRepository.update (at the expected version)
update "identity"."users" set "display_name" = $1, "version" = version + 1, "updated_at" = now() where "id" = $2 and "version" = $3 returning *;
