ALTER TABLE "agent_groups" ADD COLUMN "schedule" jsonb;--> statement-breakpoint
ALTER TABLE "skill_groups" ADD COLUMN "weight" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "skill_groups" ADD COLUMN "sl_seconds" integer DEFAULT 20 NOT NULL;--> statement-breakpoint
ALTER TABLE "skill_groups" ADD COLUMN "short_abandon_seconds" integer DEFAULT 5 NOT NULL;--> statement-breakpoint
ALTER TABLE "skill_groups" ADD COLUMN "max_queue" integer;--> statement-breakpoint
ALTER TABLE "skill_groups" ADD COLUMN "overflow" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "skill_groups" ADD COLUMN "escalation" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "skill_groups" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;