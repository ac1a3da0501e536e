CREATE TABLE `payroll_calendars` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`frequency` text NOT NULL,
	`first_start` text NOT NULL,
	`pay_day_offset` integer DEFAULT 0 NOT NULL,
	`rule` text NOT NULL,
	`automation` integer DEFAULT true NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payroll_calendars_name_unique` ON `payroll_calendars` ("name" COLLATE NOCASE);--> statement-breakpoint
CREATE TABLE `payroll_component_rates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`component_id` integer NOT NULL,
	`effective_from` text NOT NULL,
	`method` text NOT NULL,
	`amount_minor` integer,
	`rate_percent` text,
	`base` text,
	`cap_minor` integer,
	`floor_minor` integer,
	`bands` text,
	`relief_minor` integer,
	`rounding` text NOT NULL,
	`note` text,
	`created_by` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`component_id`) REFERENCES `payroll_components`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payroll_component_rates_from` ON `payroll_component_rates` (`component_id`,`effective_from`);--> statement-breakpoint
CREATE TABLE `payroll_components` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`taxable` integer DEFAULT false NOT NULL,
	`pre_tax` integer DEFAULT false NOT NULL,
	`prorate` integer DEFAULT false NOT NULL,
	`statutory` integer DEFAULT false NOT NULL,
	`account_id` integer NOT NULL,
	`payable_account_id` integer,
	`sort_order` integer DEFAULT 100 NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `ledger_accounts`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`payable_account_id`) REFERENCES `ledger_accounts`(`id`) ON UPDATE no action ON DELETE restrict,
	CONSTRAINT "payroll_components_payable" CHECK(("payroll_components"."kind" = 'employer') = ("payroll_components"."payable_account_id" IS NOT NULL)),
	CONSTRAINT "payroll_components_flags" CHECK(("payroll_components"."kind" = 'earning' OR ("payroll_components"."taxable" = 0 AND "payroll_components"."prorate" = 0)) AND ("payroll_components"."kind" = 'deduction' OR "payroll_components"."pre_tax" = 0))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payroll_components_code_unique` ON `payroll_components` (`code`);--> statement-breakpoint
CREATE TABLE `payroll_payslip_lines` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`payslip_id` integer NOT NULL,
	`line_no` integer NOT NULL,
	`component_id` integer NOT NULL,
	`rate_id` integer NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`statutory` integer DEFAULT false NOT NULL,
	`base_minor` integer,
	`amount_minor` integer NOT NULL,
	`rounding` text NOT NULL,
	`workings` text NOT NULL,
	FOREIGN KEY (`payslip_id`) REFERENCES `payroll_payslips`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`component_id`) REFERENCES `payroll_components`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`rate_id`) REFERENCES `payroll_component_rates`(`id`) ON UPDATE no action ON DELETE restrict,
	CONSTRAINT "payroll_payslip_lines_amount" CHECK("payroll_payslip_lines"."amount_minor" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payroll_payslip_lines_no` ON `payroll_payslip_lines` (`payslip_id`,`line_no`);--> statement-breakpoint
CREATE TABLE `payroll_payslips` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`period_id` integer NOT NULL,
	`staff_id` integer NOT NULL,
	`status` text NOT NULL,
	`error` text,
	`structure_id` integer,
	`days_worked` integer NOT NULL,
	`days_in_period` integer NOT NULL,
	`gross_minor` integer DEFAULT 0 NOT NULL,
	`taxable_minor` integer DEFAULT 0 NOT NULL,
	`deductions_minor` integer DEFAULT 0 NOT NULL,
	`net_minor` integer DEFAULT 0 NOT NULL,
	`employer_minor` integer DEFAULT 0 NOT NULL,
	`computed_at` text NOT NULL,
	`run_id` integer,
	FOREIGN KEY (`period_id`) REFERENCES `payroll_periods`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`staff_id`) REFERENCES `payroll_staff`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`structure_id`) REFERENCES `payroll_structures`(`id`) ON UPDATE no action ON DELETE restrict,
	CONSTRAINT "payroll_payslips_net" CHECK("payroll_payslips"."net_minor" >= 0 AND "payroll_payslips"."gross_minor" >= 0),
	CONSTRAINT "payroll_payslips_error" CHECK(("payroll_payslips"."status" = 'failed') = ("payroll_payslips"."error" IS NOT NULL))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payroll_payslips_once` ON `payroll_payslips` (`period_id`,`staff_id`);--> statement-breakpoint
CREATE INDEX `payroll_payslips_staff_idx` ON `payroll_payslips` (`staff_id`);--> statement-breakpoint
CREATE TABLE `payroll_period_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`period_id` integer NOT NULL,
	`at` text NOT NULL,
	`action` text NOT NULL,
	`operator_id` integer,
	`by` text NOT NULL,
	`reason` text,
	`entry_id` integer,
	FOREIGN KEY (`period_id`) REFERENCES `payroll_periods`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`operator_id`) REFERENCES `operators`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`entry_id`) REFERENCES `journal_entries`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE INDEX `payroll_period_events_period_idx` ON `payroll_period_events` (`period_id`);--> statement-breakpoint
CREATE TABLE `payroll_periods` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`calendar_id` integer,
	`name` text NOT NULL,
	`frequency` text NOT NULL,
	`start_date` text NOT NULL,
	`end_date` text NOT NULL,
	`pay_date` text NOT NULL,
	`rule` text NOT NULL,
	`automation` integer DEFAULT true NOT NULL,
	`status` text NOT NULL,
	`status_note` text,
	`drafted_by_id` integer,
	`drafted_by` text,
	`drafted_at` text,
	`approved_by_id` integer,
	`approved_by` text,
	`approved_at` text,
	`posted_by_id` integer,
	`posted_by` text,
	`posted_at` text,
	`entry_id` integer,
	`postings` integer DEFAULT 0 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`calendar_id`) REFERENCES `payroll_calendars`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`drafted_by_id`) REFERENCES `operators`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`approved_by_id`) REFERENCES `operators`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`posted_by_id`) REFERENCES `operators`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`entry_id`) REFERENCES `journal_entries`(`id`) ON UPDATE no action ON DELETE restrict,
	CONSTRAINT "payroll_periods_dates" CHECK("payroll_periods"."end_date" >= "payroll_periods"."start_date"),
	CONSTRAINT "payroll_periods_posted" CHECK("payroll_periods"."status" <> 'posted' OR "payroll_periods"."entry_id" IS NOT NULL)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payroll_periods_calendar_start` ON `payroll_periods` (`calendar_id`,`start_date`) WHERE "payroll_periods"."calendar_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `payroll_periods_status_idx` ON `payroll_periods` (`status`,`end_date`);--> statement-breakpoint
CREATE TABLE `payroll_staff` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`staff_no` text NOT NULL,
	`full_name` text NOT NULL,
	`national_id` text,
	`tax_pin` text,
	`bank_name` text,
	`bank_account` text,
	`hire_date` text NOT NULL,
	`leaving_date` text,
	`status` text NOT NULL,
	`member_id` integer,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE restrict,
	CONSTRAINT "payroll_staff_dates" CHECK("payroll_staff"."leaving_date" IS NULL OR "payroll_staff"."leaving_date" >= "payroll_staff"."hire_date")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payroll_staff_no_unique` ON `payroll_staff` ("staff_no" COLLATE NOCASE);--> statement-breakpoint
CREATE TABLE `payroll_structure_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`structure_id` integer NOT NULL,
	`component_id` integer NOT NULL,
	`amount_minor` integer,
	`rate_percent` text,
	FOREIGN KEY (`structure_id`) REFERENCES `payroll_structures`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`component_id`) REFERENCES `payroll_components`(`id`) ON UPDATE no action ON DELETE restrict,
	CONSTRAINT "payroll_structure_items_amount" CHECK("payroll_structure_items"."amount_minor" IS NULL OR "payroll_structure_items"."amount_minor" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payroll_structure_items_once` ON `payroll_structure_items` (`structure_id`,`component_id`);--> statement-breakpoint
CREATE TABLE `payroll_structures` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`staff_id` integer NOT NULL,
	`effective_from` text NOT NULL,
	`note` text,
	`created_by` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`staff_id`) REFERENCES `payroll_staff`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payroll_structures_from` ON `payroll_structures` (`staff_id`,`effective_from`);