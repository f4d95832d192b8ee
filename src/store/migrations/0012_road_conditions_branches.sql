CREATE TABLE "branches" (
	"id" text PRIMARY KEY NOT NULL,
	"city" text NOT NULL,
	"name" text NOT NULL,
	"address" text NOT NULL,
	"hours" text NOT NULL,
	"phone" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "road_conditions" (
	"id" text PRIMARY KEY NOT NULL,
	"route" text NOT NULL,
	"origin" text NOT NULL,
	"destination" text NOT NULL,
	"segment" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"status" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text
);
--> statement-breakpoint
ALTER TABLE "cdrs" ADD COLUMN "ivr_flow_id" text;--> statement-breakpoint
ALTER TABLE "cdrs" ADD COLUMN "ivr_flow_version" integer;--> statement-breakpoint
CREATE INDEX "branches_city_idx" ON "branches" USING btree ("city");--> statement-breakpoint
CREATE INDEX "road_conditions_destination_idx" ON "road_conditions" USING btree ("destination","position");--> statement-breakpoint
CREATE UNIQUE INDEX "road_conditions_segment_idx" ON "road_conditions" USING btree ("route","segment");