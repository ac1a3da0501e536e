CREATE TABLE `journal_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`value_date` text NOT NULL,
	`description` text NOT NULL,
	`source` text NOT NULL,
	`source_ref` text,
	`reference` text,
	`reverses_id` integer,
	`entered_by_id` integer,
	`entered_by` text NOT NULL,
	`entered_at` text NOT NULL,
	`note` text,
	`status` text DEFAULT 'posted' NOT NULL,
	`pending_lines` text,
	`decided_by_id` integer,
	`decided_by` text,
	`decided_at` text,
	`reject_reason` text,
	FOREIGN KEY (`reverses_id`) REFERENCES `journal_entries`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`entered_by_id`) REFERENCES `operators`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`decided_by_id`) REFERENCES `operators`(`id`) ON UPDATE no action ON DELETE restrict,
	CONSTRAINT "journal_entries_date" CHECK("journal_entries"."value_date" GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')
);
--> statement-breakpoint
CREATE INDEX `journal_entries_date_idx` ON `journal_entries` (`value_date`,`id`);--> statement-breakpoint
CREATE INDEX `journal_entries_source_idx` ON `journal_entries` (`source`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `journal_entries_source_ref_unique` ON `journal_entries` (`source_ref`) WHERE "journal_entries"."source_ref" IS NOT NULL AND "journal_entries"."reverses_id" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `journal_entries_reverses_unique` ON `journal_entries` (`reverses_id`) WHERE "journal_entries"."reverses_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `journal_entries_pending_idx` ON `journal_entries` (`status`) WHERE "journal_entries"."status" = 'pending';--> statement-breakpoint
CREATE TABLE `journal_lines` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`entry_id` integer NOT NULL,
	`account_id` integer NOT NULL,
	`member_account_id` integer,
	`value_date` text NOT NULL,
	`debit_minor` integer DEFAULT 0 NOT NULL,
	`credit_minor` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`entry_id`) REFERENCES `journal_entries`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`account_id`) REFERENCES `ledger_accounts`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`member_account_id`) REFERENCES `member_accounts`(`id`) ON UPDATE no action ON DELETE restrict,
	CONSTRAINT "journal_lines_amounts" CHECK("journal_lines"."debit_minor" >= 0 AND "journal_lines"."credit_minor" >= 0 AND ("journal_lines"."debit_minor" = 0) <> ("journal_lines"."credit_minor" = 0))
);
--> statement-breakpoint
CREATE INDEX `journal_lines_entry_idx` ON `journal_lines` (`entry_id`);--> statement-breakpoint
CREATE INDEX `journal_lines_account_idx` ON `journal_lines` (`account_id`,`value_date`,`id`,`member_account_id`,`debit_minor`,`credit_minor`);--> statement-breakpoint
CREATE INDEX `journal_lines_member_account_idx` ON `journal_lines` (`member_account_id`,`value_date`,`id`,`account_id`,`debit_minor`,`credit_minor`);--> statement-breakpoint
CREATE TABLE `ledger_accounts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`type` text NOT NULL,
	`role` text,
	`control_of` text,
	`active` integer DEFAULT true NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	CONSTRAINT "ledger_accounts_active_bool" CHECK("ledger_accounts"."active" IN (0, 1))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_accounts_code_unique` ON `ledger_accounts` ("code" COLLATE NOCASE);--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_accounts_role_unique` ON `ledger_accounts` (`role`);--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_accounts_control_unique` ON `ledger_accounts` (`control_of`);--> statement-breakpoint
CREATE TABLE `ledger_period_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`month` text NOT NULL,
	`action` text NOT NULL,
	`reason` text,
	`at` text NOT NULL,
	`by_id` integer,
	`by` text NOT NULL,
	FOREIGN KEY (`by_id`) REFERENCES `operators`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE TABLE `ledger_periods` (
	`month` text PRIMARY KEY NOT NULL,
	`closed_at` text NOT NULL,
	`closed_by_id` integer,
	`closed_by` text NOT NULL,
	`reopen_requested_by_id` integer,
	`reopen_requested_by` text,
	`reopen_requested_at` text,
	`reopen_reason` text,
	FOREIGN KEY (`closed_by_id`) REFERENCES `operators`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`reopen_requested_by_id`) REFERENCES `operators`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE TABLE `ledger_summaries` (
	`mode` text NOT NULL,
	`account_id` integer NOT NULL,
	`member_account_id` integer NOT NULL,
	`bucket` text NOT NULL,
	`debit_minor` integer NOT NULL,
	`credit_minor` integer NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`mode`, `account_id`, `member_account_id`, `bucket`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `member_accounts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`member_id` integer NOT NULL,
	`product` text NOT NULL,
	`control_account_id` integer NOT NULL,
	`opened_on` text NOT NULL,
	`opened_at` text NOT NULL,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`control_account_id`) REFERENCES `ledger_accounts`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE UNIQUE INDEX `member_accounts_member_product` ON `member_accounts` (`member_id`,`product`);