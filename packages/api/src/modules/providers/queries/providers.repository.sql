-- ProvidersRepository.credentialsOf
select "c"."id", "c"."provider_id", "c"."type", "c"."number", "c"."issuer", c.issued_on::text as "issued_on", c.expires_on::text as "expires_on", "c"."verification_status", "c"."last_flagged_threshold", "c"."version", "c"."created_at", "c"."updated_at" from "providers"."credentials" as "c" where "c"."provider_id" = $1 order by "c"."expires_on", "c"."id";

-- ProvidersRepository.dueForFlagging
select "c"."id", "c"."provider_id", "c"."type", "c"."number", "c"."issuer", c.issued_on::text as "issued_on", c.expires_on::text as "expires_on", "c"."verification_status", "c"."last_flagged_threshold", "c"."version", "c"."created_at", "c"."updated_at", "p"."agency_id" from "providers"."credentials" as "c" inner join "providers"."providers" as "p" on "p"."id" = "c"."provider_id" where "c"."expires_on" <= $1::date and ("c"."last_flagged_threshold" is null or "c"."last_flagged_threshold" <> $2) order by "c"."expires_on", "c"."id" for update of "c";

-- ProvidersRepository.findById
select * from "providers"."providers" where "id" = $1;

-- ProvidersRepository.findCredential
select "c"."id", "c"."provider_id", "c"."type", "c"."number", "c"."issuer", c.issued_on::text as "issued_on", c.expires_on::text as "expires_on", "c"."verification_status", "c"."last_flagged_threshold", "c"."version", "c"."created_at", "c"."updated_at" from "providers"."credentials" as "c" where "c"."id" = $1;

-- ProvidersRepository.insert
insert into "providers"."providers" ("id", "agency_id", "kind", "name", "npi", "taxonomy_code") values ($1, $2, $3, $4, $5, $6);

-- ProvidersRepository.insertCredential
insert into "providers"."credentials" ("id", "provider_id", "type", "number", "issuer", "issued_on", "expires_on", "verification_status") values ($1, $2, $3, $4, $5, $6, $7, $8);

-- ProvidersRepository.list (every agency)
select * from "providers"."providers" order by "name", "id" limit $1;

-- ProvidersRepository.list (one agency, every filter)
select * from "providers"."providers" where "agency_id" = $1 and "name" ilike $2 and "npi" = $3 and ("name" > $4 or ("name" = $5 and "id" > $6)) order by "name", "id" limit $7;

-- ProvidersRepository.markFlagged
update "providers"."credentials" set "last_flagged_threshold" = $1 where "id" = $2;

-- ProvidersRepository.update
update "providers"."providers" set "name" = $1, "version" = version + 1, "updated_at" = now() where "id" = $2 and "version" = $3;

-- ProvidersRepository.updateCredential
update "providers"."credentials" set "verification_status" = $1, "version" = version + 1, "updated_at" = now() where "id" = $2 and "version" = $3;

-- ProvidersRepository.withCredentials
select "p"."id" as "p_id", "p"."status" as "p_status", "c"."id", "c"."provider_id", "c"."type", "c"."number", "c"."issuer", c.issued_on::text as "issued_on", c.expires_on::text as "expires_on", "c"."verification_status", "c"."last_flagged_threshold", "c"."version", "c"."created_at", "c"."updated_at" from "providers"."providers" as "p" left join "providers"."credentials" as "c" on "c"."provider_id" = "p"."id" where "p"."id" = any($1::uuid[]) order by "p"."id", "c"."expires_on", "c"."id";
