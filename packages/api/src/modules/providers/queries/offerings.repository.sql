-- OfferingsRepository.find
select * from "providers"."service_offerings" where "id" = $1;

-- OfferingsRepository.insert
insert into "providers"."service_offerings" ("id", "provider_id", "service_code", "modifiers", "description", "program_id", "unit_type", "active") values ($1, $2, $3, $4, $5, $6, $7, $8);

-- OfferingsRepository.offeringsOf
select * from "providers"."service_offerings" where "provider_id" = $1 order by "service_code", "modifiers", "id";

-- OfferingsRepository.update
update "providers"."service_offerings" set "active" = $1, "version" = version + 1, "updated_at" = now() where "id" = $2 and "version" = $3;
