-- DetailsRepository.addressesOf (history)
select "a"."id", "a"."client_id", "a"."type", "a"."line1", "a"."line2", "a"."city", "a"."state", "a"."postal_code", "a"."county", a.valid_from::text as "valid_from", a.valid_to::text as "valid_to", "a"."created_by", "a"."version", "a"."created_at", "a"."updated_at" from "clients"."addresses" as "a" where "a"."client_id" = $1 order by "a"."type", "a"."valid_from" desc, "a"."id";

-- DetailsRepository.addressesOf (valid on a day)
select "a"."id", "a"."client_id", "a"."type", "a"."line1", "a"."line2", "a"."city", "a"."state", "a"."postal_code", "a"."county", a.valid_from::text as "valid_from", a.valid_to::text as "valid_to", "a"."created_by", "a"."version", "a"."created_at", "a"."updated_at" from "clients"."addresses" as "a" where "a"."client_id" = $1 and "a"."valid_from" <= $2::date and ("a"."valid_to" is null or "a"."valid_to" >= $3::date) order by "a"."type", "a"."valid_from" desc, "a"."id";

-- DetailsRepository.addressesReaching
select "a"."id", "a"."client_id", "a"."type", "a"."line1", "a"."line2", "a"."city", "a"."state", "a"."postal_code", "a"."county", a.valid_from::text as "valid_from", a.valid_to::text as "valid_to", "a"."created_by", "a"."version", "a"."created_at", "a"."updated_at" from "clients"."addresses" as "a" where "a"."client_id" = $1 and "a"."type" = $2 and ("a"."valid_to" is null or "a"."valid_to" >= $3::date) order by "a"."valid_from";

-- DetailsRepository.aliasesOf
select * from "clients"."aliases" where "client_id" = $1 and "ended_at" is null order by "created_at", "id";

-- DetailsRepository.clearPrimaryEmail
update "clients"."emails" set "is_primary" = $1, "version" = version + 1, "updated_at" = now() where "client_id" = $2 and "is_primary" = $3 and "ended_at" is null;

-- DetailsRepository.clearPrimaryPhone
update "clients"."phones" set "is_primary" = $1, "version" = version + 1, "updated_at" = now() where "client_id" = $2 and "is_primary" = $3 and "ended_at" is null;

-- DetailsRepository.contactsOf (all)
select "k"."id", "k"."client_id", "k"."name", "k"."relationship", "k"."phone", "k"."email", "k"."is_guardian", "k"."legal_authority", "k"."can_receive_info", k.valid_from::text as "valid_from", k.valid_to::text as "valid_to", "k"."created_by", "k"."version", "k"."created_at", "k"."updated_at" from "clients"."contacts" as "k" where "k"."client_id" = $1 order by k.valid_to IS NULL desc, "k"."is_guardian" desc, "k"."valid_from" desc, "k"."id";

-- DetailsRepository.contactsOf (valid on a day)
select "k"."id", "k"."client_id", "k"."name", "k"."relationship", "k"."phone", "k"."email", "k"."is_guardian", "k"."legal_authority", "k"."can_receive_info", k.valid_from::text as "valid_from", k.valid_to::text as "valid_to", "k"."created_by", "k"."version", "k"."created_at", "k"."updated_at" from "clients"."contacts" as "k" where "k"."client_id" = $1 and "k"."valid_from" <= $2::date and ("k"."valid_to" is null or "k"."valid_to" >= $3::date) order by k.valid_to IS NULL desc, "k"."is_guardian" desc, "k"."valid_from" desc, "k"."id";

-- DetailsRepository.emailsOf
select * from "clients"."emails" where "client_id" = $1 and "ended_at" is null order by "is_primary" desc, "created_at", "id";

-- DetailsRepository.findAddress
select "a"."id", "a"."client_id", "a"."type", "a"."line1", "a"."line2", "a"."city", "a"."state", "a"."postal_code", "a"."county", a.valid_from::text as "valid_from", a.valid_to::text as "valid_to", "a"."created_by", "a"."version", "a"."created_at", "a"."updated_at" from "clients"."addresses" as "a" where "a"."id" = $1;

-- DetailsRepository.findAlias
select * from "clients"."aliases" where "id" = $1;

-- DetailsRepository.findContact
select "k"."id", "k"."client_id", "k"."name", "k"."relationship", "k"."phone", "k"."email", "k"."is_guardian", "k"."legal_authority", "k"."can_receive_info", k.valid_from::text as "valid_from", k.valid_to::text as "valid_to", "k"."created_by", "k"."version", "k"."created_at", "k"."updated_at" from "clients"."contacts" as "k" where "k"."id" = $1;

-- DetailsRepository.findEmail
select * from "clients"."emails" where "id" = $1;

-- DetailsRepository.findPhone
select * from "clients"."phones" where "id" = $1;

-- DetailsRepository.insertAddress
insert into "clients"."addresses" ("id", "client_id", "type", "line1", "city", "state", "postal_code", "county", "valid_from", "created_by") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10);

-- DetailsRepository.insertAlias
insert into "clients"."aliases" ("id", "client_id", "name", "type", "created_by") values ($1, $2, $3, $4, $5);

-- DetailsRepository.insertContact
insert into "clients"."contacts" ("id", "client_id", "name", "relationship", "phone", "is_guardian", "legal_authority", "can_receive_info", "valid_from", "created_by") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10);

-- DetailsRepository.insertEmail
insert into "clients"."emails" ("id", "client_id", "type", "address", "is_primary", "created_by") values ($1, $2, $3, $4, $5, $6);

-- DetailsRepository.insertPhone
insert into "clients"."phones" ("id", "client_id", "type", "number", "sms_ok", "is_primary", "created_by") values ($1, $2, $3, $4, $5, $6, $7);

-- DetailsRepository.lockClient
select "status" from "clients"."clients" where "id" = $1 for update;

-- DetailsRepository.phonesOf
select * from "clients"."phones" where "client_id" = $1 and "ended_at" is null order by "is_primary" desc, "created_at", "id";

-- DetailsRepository.updateAddress
update "clients"."addresses" set "valid_to" = $1, "version" = version + 1, "updated_at" = now() where "id" = $2 and "version" = $3;

-- DetailsRepository.updateAlias
update "clients"."aliases" set "name" = $1, "version" = version + 1, "updated_at" = now() where "id" = $2 and "version" = $3;

-- DetailsRepository.updateContact
update "clients"."contacts" set "can_receive_info" = $1, "version" = version + 1, "updated_at" = now() where "id" = $2 and "version" = $3;

-- DetailsRepository.updateEmail
update "clients"."emails" set "type" = $1, "version" = version + 1, "updated_at" = now() where "id" = $2 and "version" = $3;

-- DetailsRepository.updatePhone
update "clients"."phones" set "sms_ok" = $1, "version" = version + 1, "updated_at" = now() where "id" = $2 and "version" = $3;
