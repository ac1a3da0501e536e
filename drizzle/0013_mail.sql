CREATE TABLE `member_contact_prefs` (
	`member_id` integer PRIMARY KEY NOT NULL,
	`email` integer NOT NULL,
	`sms` integer NOT NULL,
	`opted_out` integer NOT NULL,
	`updated_at` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE TABLE `notice_templates` (
	`kind` text PRIMARY KEY NOT NULL,
	`email` integer NOT NULL,
	`sms` integer NOT NULL,
	`subject` text NOT NULL,
	`body` text NOT NULL,
	`sms_body` text NOT NULL,
	`days_before` integer,
	`updated_at` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `outbox_attachments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`message_id` integer NOT NULL,
	`filename` text NOT NULL,
	`content_type` text NOT NULL,
	`source` text NOT NULL,
	`content` blob,
	`sha256` text,
	`size` integer,
	FOREIGN KEY (`message_id`) REFERENCES `outbox_messages`(`id`) ON UPDATE no action ON DELETE restrict,
	CONSTRAINT "outbox_attachments_frozen" CHECK(("outbox_attachments"."content" IS NULL) = ("outbox_attachments"."sha256" IS NULL))
);
--> statement-breakpoint
CREATE INDEX `outbox_attachments_message_idx` ON `outbox_attachments` (`message_id`);--> statement-breakpoint
CREATE TABLE `outbox_attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`message_id` integer NOT NULL,
	`at` text NOT NULL,
	`outcome` text,
	`reply` text,
	`duration_ms` integer,
	FOREIGN KEY (`message_id`) REFERENCES `outbox_messages`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE INDEX `outbox_attempts_message_idx` ON `outbox_attempts` (`message_id`);--> statement-breakpoint
CREATE TABLE `outbox_messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`channel` text NOT NULL,
	`event_key` text,
	`to_address` text NOT NULL,
	`to_name` text,
	`member_id` integer,
	`staff_id` integer,
	`subject` text,
	`body` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` text,
	`last_attempt_at` text,
	`last_error` text,
	`message_id` text,
	`notification_id` integer,
	`resend_of` integer,
	`created_at` text NOT NULL,
	`sent_at` text,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE restrict,
	CONSTRAINT "outbox_messages_sent" CHECK("outbox_messages"."status" <> 'sent' OR "outbox_messages"."sent_at" IS NOT NULL)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_messages_event_once` ON `outbox_messages` (`event_key`,`channel`) WHERE "outbox_messages"."event_key" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `outbox_messages_due_idx` ON `outbox_messages` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `outbox_messages_member_idx` ON `outbox_messages` (`member_id`);--> statement-breakpoint
ALTER TABLE `notification_deliveries` ADD `outbox_message_id` integer;--> statement-breakpoint
ALTER TABLE `payroll_staff` ADD `email` text;--> statement-breakpoint
ALTER TABLE `payroll_staff` ADD `phone` text;