-- DocumentsRepository.documentsOfClientForUpdate
select "id" from "documents"."documents" where "client_id" = $1 and "agency_id" = $2 order by "id" for update;

-- DocumentsRepository.findById
select "d"."id", "d"."agency_id", "d"."title", "d"."category", "d"."client_id", "d"."case_id", "d"."provider_id", "d"."part2", "d"."owning_program_id", d.document_date::text as "document_date", "d"."retention_class", d.destroy_after::text as "destroy_after", "d"."legal_hold", "d"."legal_hold_reason", "d"."legal_hold_set_by", "d"."legal_hold_set_at", "d"."status", "d"."deleted_at", "d"."deleted_by", "d"."deletion_reason", "d"."current_version", "d"."created_by", "d"."version", "d"."created_at", "d"."updated_at", "v"."blob_key", "v"."size_bytes", "v"."sha256", "v"."content_type", "v"."original_filename", "v"."uploaded_by", "v"."uploaded_at" from "documents"."documents" as "d" inner join "documents"."document_versions" as "v" on "v"."document_id" = "d"."id" and "v"."version_number" = "d"."current_version" where "d"."id" = $1;

-- DocumentsRepository.findVersion
select * from "documents"."document_versions" where "document_id" = $1 and "version_number" = $2;

-- DocumentsRepository.insertDocument
with "document" as (insert into "documents"."documents" ("id", "agency_id", "title", "category", "client_id", "case_id", "provider_id", "part2", "owning_program_id", "document_date", "retention_class", "destroy_after", "current_version", "created_by") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) returning "id") insert into "documents"."document_versions" ("document_id", "version_number", "blob_key", "size_bytes", "sha256", "content_type", "original_filename", "uploaded_by") values ($15, $16, $17, $18, $19, $20, $21, $22);

-- DocumentsRepository.insertVersion
insert into "documents"."document_versions" ("document_id", "version_number", "blob_key", "size_bytes", "sha256", "content_type", "original_filename", "uploaded_by") values ($1, $2, $3, $4, $5, $6, $7, $8);

-- DocumentsRepository.list (a case’s, deleted too)
select "d"."id", "d"."agency_id", "d"."title", "d"."category", "d"."client_id", "d"."case_id", "d"."provider_id", "d"."part2", "d"."owning_program_id", d.document_date::text as "document_date", "d"."retention_class", d.destroy_after::text as "destroy_after", "d"."legal_hold", "d"."legal_hold_reason", "d"."legal_hold_set_by", "d"."legal_hold_set_at", "d"."status", "d"."deleted_at", "d"."deleted_by", "d"."deletion_reason", "d"."current_version", "d"."created_by", "d"."version", "d"."created_at", "d"."updated_at", "v"."blob_key", "v"."size_bytes", "v"."sha256", "v"."content_type", "v"."original_filename", "v"."uploaded_by", "v"."uploaded_at" from "documents"."documents" as "d" inner join "documents"."document_versions" as "v" on "v"."document_id" = "d"."id" and "v"."version_number" = "d"."current_version" where "d"."case_id" = $1 order by "d"."created_at" desc, "d"."id" desc limit $2;

-- DocumentsRepository.list (a client’s, every filter)
select "d"."id", "d"."agency_id", "d"."title", "d"."category", "d"."client_id", "d"."case_id", "d"."provider_id", "d"."part2", "d"."owning_program_id", d.document_date::text as "document_date", "d"."retention_class", d.destroy_after::text as "destroy_after", "d"."legal_hold", "d"."legal_hold_reason", "d"."legal_hold_set_by", "d"."legal_hold_set_at", "d"."status", "d"."deleted_at", "d"."deleted_by", "d"."deletion_reason", "d"."current_version", "d"."created_by", "d"."version", "d"."created_at", "d"."updated_at", "v"."blob_key", "v"."size_bytes", "v"."sha256", "v"."content_type", "v"."original_filename", "v"."uploaded_by", "v"."uploaded_at" from "documents"."documents" as "d" inner join "documents"."document_versions" as "v" on "v"."document_id" = "d"."id" and "v"."version_number" = "d"."current_version" where "d"."client_id" = $1 and "d"."category" = $2 and "d"."status" = $3 and ("d"."created_at" < $4::timestamptz or ("d"."created_at" = $5::timestamptz and "d"."id" < $6)) order by "d"."created_at" desc, "d"."id" desc limit $7;

-- DocumentsRepository.list (a provider’s)
select "d"."id", "d"."agency_id", "d"."title", "d"."category", "d"."client_id", "d"."case_id", "d"."provider_id", "d"."part2", "d"."owning_program_id", d.document_date::text as "document_date", "d"."retention_class", d.destroy_after::text as "destroy_after", "d"."legal_hold", "d"."legal_hold_reason", "d"."legal_hold_set_by", "d"."legal_hold_set_at", "d"."status", "d"."deleted_at", "d"."deleted_by", "d"."deletion_reason", "d"."current_version", "d"."created_by", "d"."version", "d"."created_at", "d"."updated_at", "v"."blob_key", "v"."size_bytes", "v"."sha256", "v"."content_type", "v"."original_filename", "v"."uploaded_by", "v"."uploaded_at" from "documents"."documents" as "d" inner join "documents"."document_versions" as "v" on "v"."document_id" = "d"."id" and "v"."version_number" = "d"."current_version" where "d"."provider_id" = $1 and "d"."status" = $2 order by "d"."created_at" desc, "d"."id" desc limit $3;

-- DocumentsRepository.lockById
select "d"."id", "d"."agency_id", "d"."title", "d"."category", "d"."client_id", "d"."case_id", "d"."provider_id", "d"."part2", "d"."owning_program_id", d.document_date::text as "document_date", "d"."retention_class", d.destroy_after::text as "destroy_after", "d"."legal_hold", "d"."legal_hold_reason", "d"."legal_hold_set_by", "d"."legal_hold_set_at", "d"."status", "d"."deleted_at", "d"."deleted_by", "d"."deletion_reason", "d"."current_version", "d"."created_by", "d"."version", "d"."created_at", "d"."updated_at", "v"."blob_key", "v"."size_bytes", "v"."sha256", "v"."content_type", "v"."original_filename", "v"."uploaded_by", "v"."uploaded_at" from "documents"."documents" as "d" inner join "documents"."document_versions" as "v" on "v"."document_id" = "d"."id" and "v"."version_number" = "d"."current_version" where "d"."id" = $1 for update of "d";

-- DocumentsRepository.markMergeMovesRestored
update "documents"."merge_moves" set "restored_at" = now() where "merge_id" = $1 and "document_id" in ($2);

-- DocumentsRepository.moveToClient
update "documents"."documents" set "client_id" = $1, "version" = version + 1, "updated_at" = now() where "id" in ($2) and "client_id" = $3 returning "id", "agency_id";

-- DocumentsRepository.pendingMergeMoves
select * from "documents"."merge_moves" where "merge_id" = $1 and "restored_at" is null order by "document_id" for update;

-- DocumentsRepository.recordMergeMoves
insert into "documents"."merge_moves" ("merge_id", "document_id", "from_client_id", "to_client_id") values ($1, $2, $3, $4) on conflict ("merge_id", "document_id") do nothing;

-- DocumentsRepository.restore
update "documents"."documents" set "status" = $1, "deleted_at" = $2, "deleted_by" = $3, "deletion_reason" = $4, "version" = version + 1, "updated_at" = now() where "id" = $5 and "version" = $6 and "status" = $7;

-- DocumentsRepository.setCurrentVersion
update "documents"."documents" set "current_version" = $1, "version" = version + 1, "updated_at" = now() where "id" = $2 and "version" = $3;

-- DocumentsRepository.setLegalHold (place)
update "documents"."documents" set "legal_hold" = $1, "legal_hold_reason" = $2, "legal_hold_set_by" = $3, "legal_hold_set_at" = now(), "version" = version + 1, "updated_at" = now() where "id" = $4 and "version" = $5;

-- DocumentsRepository.setLegalHold (release)
update "documents"."documents" set "legal_hold" = $1, "legal_hold_reason" = $2, "legal_hold_set_by" = $3, "legal_hold_set_at" = $4, "version" = version + 1, "updated_at" = now() where "id" = $5 and "version" = $6;

-- DocumentsRepository.softDelete
update "documents"."documents" set "status" = $1, "deleted_at" = now(), "deleted_by" = $2, "deletion_reason" = $3, "version" = version + 1, "updated_at" = now() where "id" = $4 and "version" = $5 and "status" = $6 and "legal_hold" = $7;

-- DocumentsRepository.versionsOf
select * from "documents"."document_versions" where "document_id" = $1 order by "version_number" desc;
