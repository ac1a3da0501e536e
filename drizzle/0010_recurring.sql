CREATE TABLE `recurring_occurrences` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`template_id` integer,
	`standing_order_id` integer,
	`n` integer NOT NULL,
	`scheduled_date` text NOT NULL,
	`due_date` text NOT NULL,
	`amount_minor` integer NOT NULL,
	`carried_minor` integer DEFAULT 0 NOT NULL,
	`status` text NOT NULL,
	`review` text,
	`postponed_until` text,
	`entry_id` integer,
	`value_date` text,
	`payment_id` integer,
	`reason` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`retry_until` text,
	`reversal_entry_id` integer,
	`decided_by_id` integer,
	`decided_by` text,
	`decided_at` text,
	`created_at` text NOT NULL,
	`last_run_id` integer,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`template_id`) REFERENCES `recurring_templates`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`standing_order_id`) REFERENCES `standing_orders`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`entry_id`) REFERENCES `journal_entries`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`reversal_entry_id`) REFERENCES `journal_entries`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`decided_by_id`) REFERENCES `operators`(`id`) ON UPDATE no action ON DELETE restrict,
	CONSTRAINT "recurring_occurrences_owner" CHECK(("recurring_occurrences"."template_id" IS NULL) <> ("recurring_occurrences"."standing_order_id" IS NULL)),
	CONSTRAINT "recurring_occurrences_amount" CHECK("recurring_occurrences"."amount_minor" >= 0 AND "recurring_occurrences"."carried_minor" >= 0),
	CONSTRAINT "recurring_occurrences_posted" CHECK("recurring_occurrences"."status" <> 'posted' OR "recurring_occurrences"."entry_id" IS NOT NULL)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `recurring_occurrences_template_once` ON `recurring_occurrences` (`template_id`,`scheduled_date`) WHERE "recurring_occurrences"."template_id" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `recurring_occurrences_order_once` ON `recurring_occurrences` (`standing_order_id`,`scheduled_date`) WHERE "recurring_occurrences"."standing_order_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `recurring_occurrences_status_idx` ON `recurring_occurrences` (`status`,`due_date`);--> statement-breakpoint
CREATE INDEX `recurring_occurrences_run_idx` ON `recurring_occurrences` (`last_run_id`);--> statement-breakpoint
CREATE TABLE `recurring_template_lines` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`template_id` integer NOT NULL,
	`line_no` integer NOT NULL,
	`account_id` integer NOT NULL,
	`member_account_id` integer,
	`debit_minor` integer DEFAULT 0 NOT NULL,
	`credit_minor` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`template_id`) REFERENCES `recurring_templates`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`account_id`) REFERENCES `ledger_accounts`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`member_account_id`) REFERENCES `member_accounts`(`id`) ON UPDATE no action ON DELETE restrict,
	CONSTRAINT "recurring_template_lines_side" CHECK(("recurring_template_lines"."debit_minor" > 0 AND "recurring_template_lines"."credit_minor" = 0) OR ("recurring_template_lines"."debit_minor" = 0 AND "recurring_template_lines"."credit_minor" > 0))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `recurring_template_lines_no` ON `recurring_template_lines` (`template_id`,`line_no`);--> statement-breakpoint
CREATE TABLE `recurring_templates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`description` text NOT NULL,
	`amount_kind` text NOT NULL,
	`frequency` text NOT NULL,
	`start_date` text NOT NULL,
	`month_end` integer DEFAULT false NOT NULL,
	`end_date` text,
	`max_occurrences` integer,
	`days_ahead` integer DEFAULT 0 NOT NULL,
	`holiday_rule` text NOT NULL,
	`post_mode` text NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`status_note` text,
	`paused_on` text,
	`next_n` integer DEFAULT 1 NOT NULL,
	`created_by_id` integer,
	`created_by` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`created_by_id`) REFERENCES `operators`(`id`) ON UPDATE no action ON DELETE restrict,
	CONSTRAINT "recurring_templates_month_end_bool" CHECK("recurring_templates"."month_end" IN (0, 1)),
	CONSTRAINT "recurring_templates_days_ahead" CHECK("recurring_templates"."days_ahead" >= 0),
	CONSTRAINT "recurring_templates_next_n" CHECK("recurring_templates"."next_n" >= 1)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `recurring_templates_name_unique` ON `recurring_templates` ("name" COLLATE NOCASE);--> statement-breakpoint
CREATE TABLE `standing_orders` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`member_id` integer NOT NULL,
	`from_member_account_id` integer NOT NULL,
	`target_kind` text NOT NULL,
	`to_member_account_id` integer,
	`to_account_id` integer,
	`payee_name` text,
	`payee_bank` text,
	`payee_account` text,
	`payee_reference` text,
	`amount_minor` integer NOT NULL,
	`carried_minor` integer DEFAULT 0 NOT NULL,
	`description` text,
	`frequency` text NOT NULL,
	`start_date` text NOT NULL,
	`month_end` integer DEFAULT false NOT NULL,
	`end_date` text,
	`holiday_rule` text NOT NULL,
	`priority` integer DEFAULT 50 NOT NULL,
	`insufficient_funds` text NOT NULL,
	`retry_days` integer DEFAULT 3 NOT NULL,
	`status` text NOT NULL,
	`status_note` text,
	`paused_on` text,
	`next_n` integer DEFAULT 1 NOT NULL,
	`last_paid_on` text,
	`failures_in_row` integer DEFAULT 0 NOT NULL,
	`created_by_id` integer,
	`created_by` text NOT NULL,
	`created_at` text NOT NULL,
	`approved_by_id` integer,
	`approved_by` text,
	`approved_at` text,
	`updated_at` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`from_member_account_id`) REFERENCES `member_accounts`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`to_member_account_id`) REFERENCES `member_accounts`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`to_account_id`) REFERENCES `ledger_accounts`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`created_by_id`) REFERENCES `operators`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`approved_by_id`) REFERENCES `operators`(`id`) ON UPDATE no action ON DELETE restrict,
	CONSTRAINT "standing_orders_amount" CHECK("standing_orders"."amount_minor" > 0 AND "standing_orders"."carried_minor" >= 0),
	CONSTRAINT "standing_orders_month_end_bool" CHECK("standing_orders"."month_end" IN (0, 1)),
	CONSTRAINT "standing_orders_target" CHECK(("standing_orders"."target_kind" = 'member-account' AND "standing_orders"."to_member_account_id" IS NOT NULL AND "standing_orders"."to_account_id" IS NULL AND "standing_orders"."payee_name" IS NULL)
        OR ("standing_orders"."target_kind" = 'account' AND "standing_orders"."to_account_id" IS NOT NULL AND "standing_orders"."to_member_account_id" IS NULL AND "standing_orders"."payee_name" IS NULL)
        OR ("standing_orders"."target_kind" = 'bank' AND "standing_orders"."payee_name" IS NOT NULL AND "standing_orders"."payee_bank" IS NOT NULL AND "standing_orders"."payee_account" IS NOT NULL AND "standing_orders"."to_account_id" IS NULL AND "standing_orders"."to_member_account_id" IS NULL)),
	CONSTRAINT "standing_orders_next_n" CHECK("standing_orders"."next_n" >= 1)
);
--> statement-breakpoint
CREATE INDEX `standing_orders_member_idx` ON `standing_orders` (`member_id`);--> statement-breakpoint
CREATE INDEX `standing_orders_status_idx` ON `standing_orders` (`status`);--> statement-breakpoint
-- Members' standing orders paying out to a bank: the member's account is
-- debited on the order's date against this liability, which the payment
-- (approved and paid like any payment, with its voucher) then clears. Added
-- only where no account holds the role or the code yet.
INSERT INTO `ledger_accounts` (`code`, `name`, `type`, `role`, `control_of`, `active`, `created_at`, `updated_at`)
SELECT '2400', 'Standing orders payable', 'liability', 'orders-payable', NULL, 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
WHERE NOT EXISTS (SELECT 1 FROM `ledger_accounts` WHERE `role` = 'orders-payable' OR `code` = '2400' COLLATE NOCASE);
--> statement-breakpoint
-- A chart that already uses code 2400 for something else gets the account under 2400-SO.
INSERT INTO `ledger_accounts` (`code`, `name`, `type`, `role`, `control_of`, `active`, `created_at`, `updated_at`)
SELECT '2400-SO', 'Standing orders payable', 'liability', 'orders-payable', NULL, 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
WHERE NOT EXISTS (SELECT 1 FROM `ledger_accounts` WHERE `role` = 'orders-payable' OR `code` = '2400-SO' COLLATE NOCASE);
