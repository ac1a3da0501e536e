CREATE TABLE `job_leases` (
	`job_id` text PRIMARY KEY NOT NULL,
	`owner` text NOT NULL,
	`run_id` integer,
	`acquired_at` text NOT NULL,
	`expires_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `job_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`job_id` text NOT NULL,
	`trigger` text NOT NULL,
	`scheduled_for` text,
	`started_at` text NOT NULL,
	`ended_at` text,
	`status` text NOT NULL,
	`attempt` integer DEFAULT 1 NOT NULL,
	`force` integer DEFAULT false NOT NULL,
	`progress_done` integer DEFAULT 0 NOT NULL,
	`progress_total` integer,
	`progress_note` text,
	`result` text,
	`error` text,
	`owner` text NOT NULL,
	CONSTRAINT "job_runs_attempt_positive" CHECK("job_runs"."attempt" >= 1)
);
--> statement-breakpoint
CREATE INDEX `job_runs_job_idx` ON `job_runs` (`job_id`,`id`);--> statement-breakpoint
CREATE INDEX `job_runs_status_idx` ON `job_runs` (`status`,`id`);--> statement-breakpoint
CREATE INDEX `job_runs_slot_idx` ON `job_runs` (`job_id`,`scheduled_for`);--> statement-breakpoint
CREATE TABLE `job_schedules` (
	`job_id` text PRIMARY KEY NOT NULL,
	`cron` text NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `notification_deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`notification_id` integer NOT NULL,
	`channel` text NOT NULL,
	`recipient` text,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_attempt_at` text,
	`error` text,
	FOREIGN KEY (`notification_id`) REFERENCES `notifications`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `notification_deliveries_notification_idx` ON `notification_deliveries` (`notification_id`);--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`subject_type` text,
	`subject_id` text,
	`dedupe_key` text,
	`created_at` text NOT NULL,
	`read_at` text
);
--> statement-breakpoint
CREATE INDEX `notifications_unread_idx` ON `notifications` (`read_at`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `notifications_dedupe_unique` ON `notifications` (`dedupe_key`);