CREATE TABLE "ivr_flow_versions" (
	"flow_id" text NOT NULL,
	"version" integer NOT NULL,
	"document" jsonb NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "ivr_flows" ALTER COLUMN "document" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "ivr_flows" ADD COLUMN "published_version" integer;--> statement-breakpoint
ALTER TABLE "ivr_flows" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "ivr_flow_versions" ADD CONSTRAINT "ivr_flow_versions_flow_id_ivr_flows_id_fk" FOREIGN KEY ("flow_id") REFERENCES "public"."ivr_flows"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ivr_flow_versions_pk" ON "ivr_flow_versions" USING btree ("flow_id","version");--> statement-breakpoint
-- Flows written before versioning become their current version, published (issue #5).
INSERT INTO "ivr_flow_versions" ("flow_id", "version", "document", "created_at", "published_at")
SELECT "id", "version", "document", "created_at", "created_at" FROM "ivr_flows" WHERE "document" IS NOT NULL;--> statement-breakpoint
UPDATE "ivr_flows" SET "published_version" = "version", "updated_at" = "created_at" WHERE "document" IS NOT NULL;
