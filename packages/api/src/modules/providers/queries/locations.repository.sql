-- LocationsRepository.find
select * from "providers"."locations" where "id" = $1;

-- LocationsRepository.insert
insert into "providers"."locations" ("id", "provider_id", "name", "address_line1", "address_line2", "city", "state", "postal_code", "phone", "county", "active") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11);

-- LocationsRepository.locationsOf
select * from "providers"."locations" where "provider_id" = $1 order by "name", "id";

-- LocationsRepository.update
update "providers"."locations" set "active" = $1, "version" = version + 1, "updated_at" = now() where "id" = $2 and "version" = $3;
