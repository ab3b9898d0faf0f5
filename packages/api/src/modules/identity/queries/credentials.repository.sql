-- CredentialsRepository.consumeChallenge
update "identity"."mfa_challenges" set "consumed_at" = now() where "token_hash" = $1 and "consumed_at" is null returning "token_hash";

-- CredentialsRepository.createChallenge
insert into "identity"."mfa_challenges" ("token_hash", "user_id", "purpose", "expires_at") values ($1, $2, $3, $4);

-- CredentialsRepository.createResetToken
insert into "identity"."password_reset_tokens" ("token_hash", "user_id", "expires_at") values ($1, $2, $3);

-- CredentialsRepository.expireResetTokens
update "identity"."password_reset_tokens" set "used_at" = now() where "user_id" = $1 and "used_at" is null;

-- CredentialsRepository.findOpenChallenge
select * from "identity"."mfa_challenges" where "token_hash" = $1 and "consumed_at" is null and "expires_at" > now();

-- CredentialsRepository.replaceRecoveryCodes
delete from "identity"."recovery_codes" where "user_id" = $1;
insert into "identity"."recovery_codes" ("user_id", "code_hash") values ($1, $2), ($3, $4);

-- CredentialsRepository.setChallengeSecret
update "identity"."mfa_challenges" set "pending_secret" = $1 where "token_hash" = $2;

-- CredentialsRepository.useRecoveryCode
update "identity"."recovery_codes" set "used_at" = now() where "user_id" = $1 and "code_hash" = $2 and "used_at" is null returning "id";

-- CredentialsRepository.useResetToken
update "identity"."password_reset_tokens" set "used_at" = now() where "token_hash" = $1 and "used_at" is null and "expires_at" > now() returning "user_id";
