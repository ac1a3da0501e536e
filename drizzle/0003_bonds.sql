CREATE TABLE `bond_holdings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`member_id` integer NOT NULL,
	`series_id` integer NOT NULL,
	`units` integer NOT NULL,
	`purchase_date` text NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`redeemed_on` text,
	`matured_on` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`series_id`) REFERENCES `bond_series`(`id`) ON UPDATE no action ON DELETE restrict,
	CONSTRAINT "bond_holdings_units_positive" CHECK("bond_holdings"."units" > 0)
);
--> statement-breakpoint
CREATE INDEX `bond_holdings_member_idx` ON `bond_holdings` (`member_id`);--> statement-breakpoint
CREATE INDEX `bond_holdings_series_idx` ON `bond_holdings` (`series_id`,`status`);--> statement-breakpoint
CREATE INDEX `bond_holdings_status_idx` ON `bond_holdings` (`status`,`id`);--> statement-breakpoint
CREATE TABLE `bond_payments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`holding_id` integer NOT NULL,
	`kind` text NOT NULL,
	`period_start` text NOT NULL,
	`period_end` text NOT NULL,
	`due_date` text NOT NULL,
	`gross_minor` integer NOT NULL,
	`tax_minor` integer NOT NULL,
	`net_minor` integer NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`approved_by` text,
	`approved_at` text,
	`paid_on` text,
	`method` text,
	`reference` text,
	`paid_at` text,
	`cancelled_at` text,
	`cancel_reason` text,
	`created_at` text NOT NULL,
	`created_by_run` integer,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`holding_id`) REFERENCES `bond_holdings`(`id`) ON UPDATE no action ON DELETE restrict,
	CONSTRAINT "bond_payments_net" CHECK("bond_payments"."net_minor" = "bond_payments"."gross_minor" - "bond_payments"."tax_minor"),
	CONSTRAINT "bond_payments_amounts" CHECK("bond_payments"."gross_minor" >= 0 AND "bond_payments"."tax_minor" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `bond_payments_once` ON `bond_payments` (`holding_id`,`kind`,`period_end`);--> statement-breakpoint
CREATE INDEX `bond_payments_status_idx` ON `bond_payments` (`status`,`due_date`);--> statement-breakpoint
CREATE INDEX `bond_payments_due_idx` ON `bond_payments` (`due_date`);--> statement-breakpoint
CREATE TABLE `bond_series` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`face_value_minor` integer NOT NULL,
	`coupon_rate` text NOT NULL,
	`frequency` text NOT NULL,
	`day_count` text NOT NULL,
	`issue_date` text NOT NULL,
	`maturity_date` text NOT NULL,
	`first_coupon_date` text,
	`end_of_month` integer DEFAULT false NOT NULL,
	`business_day` text DEFAULT 'following' NOT NULL,
	`withholding_tax_rate` text DEFAULT '0' NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	CONSTRAINT "bond_series_face_positive" CHECK("bond_series"."face_value_minor" > 0),
	CONSTRAINT "bond_series_dates" CHECK("bond_series"."maturity_date" > "bond_series"."issue_date")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `bond_series_code_unique` ON `bond_series` ("code" COLLATE NOCASE);--> statement-breakpoint
CREATE TABLE `holidays` (
	`date` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `voucher_sequences` (
	`year` integer PRIMARY KEY NOT NULL,
	`next_seq` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `vouchers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`number` text NOT NULL,
	`year` integer NOT NULL,
	`seq` integer NOT NULL,
	`payment_id` integer NOT NULL,
	`issued_at` text NOT NULL,
	`print_count` integer DEFAULT 0 NOT NULL,
	`last_printed_at` text,
	FOREIGN KEY (`payment_id`) REFERENCES `bond_payments`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE UNIQUE INDEX `vouchers_number_unique` ON `vouchers` (`number`);--> statement-breakpoint
CREATE UNIQUE INDEX `vouchers_year_seq_unique` ON `vouchers` (`year`,`seq`);--> statement-breakpoint
CREATE UNIQUE INDEX `vouchers_payment_unique` ON `vouchers` (`payment_id`);