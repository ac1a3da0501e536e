CREATE TABLE `operators` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`username` text NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`password_hash` text NOT NULL,
	`password_changed_at` text NOT NULL,
	`must_change_password` integer DEFAULT false NOT NULL,
	`failed_attempts` integer DEFAULT 0 NOT NULL,
	`locked_until` text,
	`last_signed_in_at` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	CONSTRAINT "operators_failed_attempts" CHECK("operators"."failed_attempts" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `operators_username_unique` ON `operators` ("username" COLLATE NOCASE);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` text NOT NULL,
	`operator_id` integer,
	`actor` text NOT NULL,
	`channel` text NOT NULL,
	`entity` text NOT NULL,
	`entity_id` text NOT NULL,
	`action` text NOT NULL,
	`before` text,
	`after` text,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_log_at_idx` ON `audit_log` (`at`);--> statement-breakpoint
CREATE INDEX `audit_log_entity_idx` ON `audit_log` (`entity`,`entity_id`);--> statement-breakpoint
ALTER TABLE `bond_payments` ADD `prepared_by_id` integer REFERENCES operators(id);--> statement-breakpoint
ALTER TABLE `bond_payments` ADD `prepared_by` text;--> statement-breakpoint
ALTER TABLE `bond_payments` ADD `prepared_at` text;--> statement-breakpoint
ALTER TABLE `bond_payments` ADD `approved_by_id` integer REFERENCES operators(id);