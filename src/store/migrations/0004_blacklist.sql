CREATE TABLE "blacklist" (
	"id" text PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"match" text DEFAULT 'exact' NOT NULL,
	"action" text DEFAULT 'reject' NOT NULL,
	"reason" text NOT NULL,
	"expires_at" timestamp with time zone,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"blocked_calls" integer DEFAULT 0 NOT NULL,
	"last_blocked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "blacklist_number_idx" ON "blacklist" USING btree ("number","match");