-- Global customer search (CRM-12) matches fragments anywhere in names, phone digits and e-mail
-- addresses (ILIKE '%…%'), which no b-tree can serve: trigram GIN indexes can, for Chinese text
-- as for Latin (pg_trgm works on characters). PGlite loads pg_trgm as an extension (store/db.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "customers_name_trgm_idx" ON "customers" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "contact_phones_digits_trgm_idx" ON "contact_phones" USING gin ("digits" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "contact_phones_e164_trgm_idx" ON "contact_phones" USING gin ("e164" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "contact_emails_email_trgm_idx" ON "contact_emails" USING gin ("email_lower" gin_trgm_ops);
