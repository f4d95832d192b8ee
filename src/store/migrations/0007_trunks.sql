CREATE TABLE "outbound_routes" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"trunk_id" text NOT NULL,
	"priority" integer DEFAULT 0 NOT NULL,
	"caller_id" text,
	"strip_prefix" text,
	"prepend" text,
	"max_channels" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trunks" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"host" text NOT NULL,
	"port" integer DEFAULT 5060 NOT NULL,
	"transport" text DEFAULT 'udp' NOT NULL,
	"register" boolean DEFAULT false NOT NULL,
	"username" text,
	"password" text,
	"domain" text,
	"register_expires" integer DEFAULT 3600 NOT NULL,
	"max_channels" integer,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "outbound_routes" ADD CONSTRAINT "outbound_routes_trunk_id_trunks_id_fk" FOREIGN KEY ("trunk_id") REFERENCES "public"."trunks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "outbound_routes_prefix_idx" ON "outbound_routes" USING btree ("prefix");--> statement-breakpoint
CREATE INDEX "outbound_routes_trunk_idx" ON "outbound_routes" USING btree ("trunk_id");--> statement-breakpoint
CREATE UNIQUE INDEX "trunks_name_idx" ON "trunks" USING btree ("name");