-- ServiceAccountsRepository.create
insert into "identity"."service_accounts" ("id", "agency_id", "name", "client_id", "secret_hash", "created_by") values ($1, $2, $3, $4, $5, $6);
insert into "identity"."service_account_roles" ("service_account_id", "role") values ($1, $2);

-- ServiceAccountsRepository.disable
update "identity"."service_accounts" set "status" = $1, "disabled_at" = now() where "id" = $2 and "status" = $3;

-- ServiceAccountsRepository.findByClientId
select * from "identity"."service_accounts" where "client_id" = $1;
select "service_account_id", "role" from "identity"."service_account_roles" where "service_account_id" in ($1) order by "role";

-- ServiceAccountsRepository.findById
select * from "identity"."service_accounts" where "id" = $1;
select "service_account_id", "role" from "identity"."service_account_roles" where "service_account_id" in ($1) order by "role";

-- ServiceAccountsRepository.list (every agency)
select * from "identity"."service_accounts" order by "name", "id";
select "service_account_id", "role" from "identity"."service_account_roles" where "service_account_id" in ($1) order by "role";

-- ServiceAccountsRepository.list (one agency)
select * from "identity"."service_accounts" where "agency_id" = $1 order by "name", "id";
select "service_account_id", "role" from "identity"."service_account_roles" where "service_account_id" in ($1) order by "role";

-- ServiceAccountsRepository.touch
update "identity"."service_accounts" set "last_used_at" = now() where "id" = $1;
