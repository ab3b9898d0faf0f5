-- ConsentsRepository.consentsOf
select "k"."id", "k"."client_id", "k"."kind", "k"."recipient_type", "k"."recipient_id", "k"."recipient_name", "k"."purposes", "k"."categories", "k"."disclosing_program_id", k.effective_from::text as "effective_from", k.expires_on::text as "expires_on", k.signed_on::text as "signed_on", "k"."signed_by_name", "k"."signed_by_relationship", "k"."document_id", "k"."revoked_at", "k"."revoked_by", "k"."revocation_reason", "k"."created_by", "k"."version", "k"."created_at", "k"."updated_at", CASE WHEN k.revoked_at IS NOT NULL THEN 'revoked' WHEN k.expires_on < $1::date THEN 'expired' WHEN k.effective_from > $2::date THEN 'scheduled' ELSE 'active' END as "status" from "clients"."consents" as "k" where "k"."client_id" = $3 order by "k"."effective_from" desc, "k"."id";

-- ConsentsRepository.findConsent
select "k"."id", "k"."client_id", "k"."kind", "k"."recipient_type", "k"."recipient_id", "k"."recipient_name", "k"."purposes", "k"."categories", "k"."disclosing_program_id", k.effective_from::text as "effective_from", k.expires_on::text as "expires_on", k.signed_on::text as "signed_on", "k"."signed_by_name", "k"."signed_by_relationship", "k"."document_id", "k"."revoked_at", "k"."revoked_by", "k"."revocation_reason", "k"."created_by", "k"."version", "k"."created_at", "k"."updated_at", CASE WHEN k.revoked_at IS NOT NULL THEN 'revoked' WHEN k.expires_on < $1::date THEN 'expired' WHEN k.effective_from > $2::date THEN 'scheduled' ELSE 'active' END as "status" from "clients"."consents" as "k" where "k"."id" = $3;

-- ConsentsRepository.hasPart2Consent
select "k"."id" from "clients"."consents" as "k" where "k"."client_id" = $1 and "k"."kind" = $2 and ("k"."revoked_at" is null and "k"."effective_from" <= $3::date and ("k"."expires_on" is null or "k"."expires_on" >= $4::date)) and k.purposes && $5::text[] and (("k"."recipient_type" = $6 and "k"."recipient_id" in ($7)) or ("k"."recipient_type" = $8 and "k"."recipient_id" in ($9)) or ("k"."recipient_type" = $10 and "k"."recipient_id" in ($11)) or ("k"."recipient_type" = $12 and "k"."recipient_id" in ($13))) limit $14;

-- ConsentsRepository.insertConsent
insert into "clients"."consents" ("id", "client_id", "kind", "recipient_type", "recipient_id", "purposes", "categories", "disclosing_program_id", "effective_from", "expires_on", "signed_on", "signed_by_name", "signed_by_relationship", "created_by") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14);

-- ConsentsRepository.part2ConsentedAmong
select distinct "k"."client_id" from "clients"."consents" as "k" where "k"."client_id" in ($1, $2) and "k"."kind" = $3 and ("k"."revoked_at" is null and "k"."effective_from" <= $4::date and ("k"."expires_on" is null or "k"."expires_on" >= $5::date)) and k.purposes && $6::text[] and (("k"."recipient_type" = $7 and "k"."recipient_id" in ($8)) or ("k"."recipient_type" = $9 and "k"."recipient_id" in ($10)) or ("k"."recipient_type" = $11 and "k"."recipient_id" in ($12)) or ("k"."recipient_type" = $13 and "k"."recipient_id" in ($14)));

-- ConsentsRepository.revokeConsent
update "clients"."consents" set "revoked_at" = now(), "revoked_by" = $1, "revocation_reason" = $2, "version" = version + 1, "updated_at" = now() where "id" = $3 and "version" = $4 and "revoked_at" is null;
