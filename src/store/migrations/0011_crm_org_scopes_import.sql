CREATE TABLE "contact_emails" (
	"id" text PRIMARY KEY NOT NULL,
	"contact_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"email" text NOT NULL,
	"email_lower" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "departments" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"parent_id" text,
	"manager_user_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "import_batch_items" (
	"batch_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"action" text NOT NULL,
	"line" integer NOT NULL,
	"previous" jsonb
);
--> statement-breakpoint
CREATE TABLE "import_batches" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text,
	"username" text,
	"object" text DEFAULT 'customer' NOT NULL,
	"file_name" text NOT NULL,
	"policy" text NOT NULL,
	"status" text NOT NULL,
	"total_rows" integer DEFAULT 0 NOT NULL,
	"created" integer DEFAULT 0 NOT NULL,
	"updated" integer DEFAULT 0 NOT NULL,
	"skipped" integer DEFAULT 0 NOT NULL,
	"errors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"error_count" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"undone_at" timestamp with time zone,
	"undone_by" text
);
--> statement-breakpoint
CREATE TABLE "role_data_scopes" (
	"role" text NOT NULL,
	"object" text NOT NULL,
	"action" text NOT NULL,
	"scope" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "contact_phones" ADD COLUMN "digits" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "contact_phones" ADD COLUMN "kind" text;--> statement-breakpoint
ALTER TABLE "contact_phones" ADD COLUMN "extension" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "relationship_type" text DEFAULT 'customer' NOT NULL;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "lifecycle_stage" text DEFAULT 'customer' NOT NULL;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "industry" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "region" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "name_key" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "credit_code" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "external_id" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "owner_user_id" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "department_id" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "deleted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "department_id" text;--> statement-breakpoint
ALTER TABLE "contact_emails" ADD CONSTRAINT "contact_emails_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_emails" ADD CONSTRAINT "contact_emails_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "departments" ADD CONSTRAINT "departments_manager_user_id_users_id_fk" FOREIGN KEY ("manager_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_batch_items" ADD CONSTRAINT "import_batch_items_batch_id_import_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."import_batches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contact_emails_lower_idx" ON "contact_emails" USING btree ("email_lower");--> statement-breakpoint
CREATE INDEX "contact_emails_contact_idx" ON "contact_emails" USING btree ("contact_id");--> statement-breakpoint
CREATE INDEX "departments_parent_idx" ON "departments" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "departments_manager_idx" ON "departments" USING btree ("manager_user_id");--> statement-breakpoint
CREATE INDEX "import_batch_items_batch_idx" ON "import_batch_items" USING btree ("batch_id");--> statement-breakpoint
CREATE INDEX "import_batch_items_customer_idx" ON "import_batch_items" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "import_batches_created_idx" ON "import_batches" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "role_data_scopes_pk" ON "role_data_scopes" USING btree ("role","object","action");--> statement-breakpoint
CREATE INDEX "customers_name_key_idx" ON "customers" USING btree ("name_key");--> statement-breakpoint
CREATE INDEX "customers_owner_idx" ON "customers" USING btree ("owner_user_id");--> statement-breakpoint
CREATE INDEX "customers_department_idx" ON "customers" USING btree ("department_id");--> statement-breakpoint
CREATE INDEX "customers_credit_code_idx" ON "customers" USING btree ("credit_code");--> statement-breakpoint
CREATE UNIQUE INDEX "customers_external_id_idx" ON "customers" USING btree ("external_id");--> statement-breakpoint
UPDATE "customers" SET "name_key" = regexp_replace(regexp_replace(lower("name"), '(股份有限公司|有限责任公司|有限公司|集团|公司|co\.|ltd\.?|inc\.?)', '', 'g'), '[[:space:][:punct:]（）【】《》，。、·]', '', 'g');
