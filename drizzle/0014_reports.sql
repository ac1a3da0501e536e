CREATE TABLE `generated_reports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`title` text NOT NULL,
	`subtitle` text NOT NULL,
	`params` text NOT NULL,
	`format` text NOT NULL,
	`file_name` text NOT NULL,
	`bytes` integer NOT NULL,
	`sha256` text NOT NULL,
	`fingerprint` text NOT NULL,
	`rows` integer NOT NULL,
	`made_at` text NOT NULL,
	`made_by` text NOT NULL,
	`made_by_id` integer,
	`run_id` integer,
	`schedule_key` text
);
--> statement-breakpoint
CREATE INDEX `generated_reports_made_idx` ON `generated_reports` (`made_at`,`id`);--> statement-breakpoint
CREATE INDEX `generated_reports_name_idx` ON `generated_reports` (`name`,`made_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `generated_reports_file_unique` ON `generated_reports` (`file_name`);--> statement-breakpoint
CREATE UNIQUE INDEX `generated_reports_schedule_unique` ON `generated_reports` (`schedule_key`);