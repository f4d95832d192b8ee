CREATE TABLE "employee_report_comments" (
	"id" text PRIMARY KEY NOT NULL,
	"report_id" text NOT NULL,
	"author_user_id" text NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "employee_reports" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"kind" text NOT NULL,
	"week_start" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "opportunities" (
	"id" text PRIMARY KEY NOT NULL,
	"customer_id" text NOT NULL,
	"title" text NOT NULL,
	"owner_user_id" text NOT NULL,
	"stage_id" text NOT NULL,
	"amount" integer,
	"currency" text DEFAULT 'CNY' NOT NULL,
	"expected_close_date" text,
	"probability" integer DEFAULT 0 NOT NULL,
	"scores" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"source" text,
	"status" text DEFAULT 'open' NOT NULL,
	"reason_id" text,
	"reason_note" text,
	"closed_at" timestamp with time zone,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "opportunity_reasons" (
	"id" text PRIMARY KEY NOT NULL,
	"outcome" text NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"sort" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE "opportunity_stage_history" (
	"id" text PRIMARY KEY NOT NULL,
	"opportunity_id" text NOT NULL,
	"from_stage_id" text,
	"to_stage_id" text NOT NULL,
	"moved_by" text,
	"moved_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "opportunity_stages" (
	"id" text PRIMARY KEY NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"sort" integer DEFAULT 0 NOT NULL,
	"probability" integer DEFAULT 0 NOT NULL,
	"required_fields" text[] DEFAULT '{}'::text[] NOT NULL,
	"outcome" text DEFAULT 'open' NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "employee_report_comments" ADD CONSTRAINT "employee_report_comments_report_id_employee_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."employee_reports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunities" ADD CONSTRAINT "opportunities_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunities" ADD CONSTRAINT "opportunities_stage_id_opportunity_stages_id_fk" FOREIGN KEY ("stage_id") REFERENCES "public"."opportunity_stages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunity_stage_history" ADD CONSTRAINT "opportunity_stage_history_opportunity_id_opportunities_id_fk" FOREIGN KEY ("opportunity_id") REFERENCES "public"."opportunities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "employee_report_comments_report_idx" ON "employee_report_comments" USING btree ("report_id","created_at");--> statement-breakpoint
CREATE INDEX "employee_reports_user_idx" ON "employee_reports" USING btree ("user_id","week_start");--> statement-breakpoint
CREATE INDEX "opportunities_owner_idx" ON "opportunities" USING btree ("owner_user_id","stage_id");--> statement-breakpoint
CREATE INDEX "opportunities_customer_idx" ON "opportunities" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "opportunity_stage_history_opp_idx" ON "opportunity_stage_history" USING btree ("opportunity_id","moved_at");--> statement-breakpoint
CREATE INDEX "opportunity_stage_history_mover_idx" ON "opportunity_stage_history" USING btree ("moved_by","moved_at");--> statement-breakpoint
INSERT INTO "opportunity_stages" ("id", "name_zh", "name_en", "sort", "probability", "required_fields", "outcome") VALUES
('lead', '线索', 'Lead', 10, 10, '{}', 'open'),
('qualify', '需求确认', 'Needs confirmed', 20, 25, '{amount}', 'open'),
('proposal', '方案报价', 'Proposal & quote', 30, 50, '{amount,expectedCloseDate}', 'open'),
('negotiation', '商务谈判', 'Negotiation', 40, 75, '{amount,expectedCloseDate,source}', 'open'),
('won', '赢单', 'Won', 50, 100, '{amount}', 'won'),
('lost', '输单', 'Lost', 60, 0, '{}', 'lost');--> statement-breakpoint
INSERT INTO "opportunity_reasons" ("id", "outcome", "name_zh", "name_en", "sort") VALUES
('won-price', 'won', '价格有优势', 'Competitive price', 10),
('won-service', 'won', '服务质量好', 'Service quality', 20),
('won-coverage', 'won', '线路覆盖全', 'Route coverage', 30),
('lost-price', 'lost', '价格过高', 'Price too high', 10),
('lost-transit', 'lost', '时效不满足', 'Transit time not met', 20),
('lost-competitor', 'lost', '选择了竞争对手', 'Chose a competitor', 30),
('lost-cancelled', 'lost', '需求取消', 'Need cancelled', 40);
