CREATE TABLE "contact_records" (
	"id" text PRIMARY KEY NOT NULL,
	"customer_id" text NOT NULL,
	"contact_id" text,
	"kind" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"result" text NOT NULL,
	"summary" text NOT NULL,
	"next_step" text,
	"next_step_date" text,
	"author_user_id" text NOT NULL,
	"cdr_id" text,
	"outing_id" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"reviewer_user_id" text,
	"review_comment" text,
	"reviewed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "credit_requests" (
	"id" text PRIMARY KEY NOT NULL,
	"customer_id" text NOT NULL,
	"rating" text NOT NULL,
	"limit_amount" integer NOT NULL,
	"previous_rating" text,
	"previous_limit" integer,
	"reason" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"requested_by" text NOT NULL,
	"decided_by" text,
	"decision_comment" text,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customer_credit" (
	"customer_id" text PRIMARY KEY NOT NULL,
	"rating" text NOT NULL,
	"limit_amount" integer NOT NULL,
	"approved_request_id" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"body" text DEFAULT '' NOT NULL,
	"ref_type" text,
	"ref_id" text,
	"read_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outings" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"planned_date" text NOT NULL,
	"purpose" text NOT NULL,
	"status" text DEFAULT 'planned' NOT NULL,
	"departed_at" timestamp with time zone,
	"depart_location" text,
	"returned_at" timestamp with time zone,
	"return_location" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "contact_records" ADD CONSTRAINT "contact_records_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_requests" ADD CONSTRAINT "credit_requests_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_credit" ADD CONSTRAINT "customer_credit_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outings" ADD CONSTRAINT "outings_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contact_records_customer_idx" ON "contact_records" USING btree ("customer_id","occurred_at");--> statement-breakpoint
CREATE INDEX "contact_records_author_idx" ON "contact_records" USING btree ("author_user_id","status");--> statement-breakpoint
CREATE INDEX "contact_records_outing_idx" ON "contact_records" USING btree ("outing_id");--> statement-breakpoint
CREATE INDEX "credit_requests_customer_idx" ON "credit_requests" USING btree ("customer_id","created_at");--> statement-breakpoint
CREATE INDEX "credit_requests_status_idx" ON "credit_requests" USING btree ("status");--> statement-breakpoint
CREATE INDEX "notifications_user_idx" ON "notifications" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "outings_user_date_idx" ON "outings" USING btree ("user_id","planned_date");--> statement-breakpoint
CREATE INDEX "outings_customer_idx" ON "outings" USING btree ("customer_id");