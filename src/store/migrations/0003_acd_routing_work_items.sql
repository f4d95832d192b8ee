CREATE TABLE "acd_settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "holidays" (
	"date" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "work_items" (
	"id" text PRIMARY KEY NOT NULL,
	"channel" text NOT NULL,
	"queue" text NOT NULL,
	"priority" integer DEFAULT 0 NOT NULL,
	"subject" text NOT NULL,
	"from_address" text,
	"customer_id" text,
	"status" text DEFAULT 'queued' NOT NULL,
	"agent_id" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"offered_at" timestamp with time zone,
	"accepted_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"declines" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "capacity" jsonb;--> statement-breakpoint
ALTER TABLE "cdrs" ADD COLUMN "routing" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
CREATE INDEX "work_items_status_idx" ON "work_items" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "work_items_agent_idx" ON "work_items" USING btree ("agent_id");