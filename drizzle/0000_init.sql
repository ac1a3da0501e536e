CREATE TABLE `cooperative_profile` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`address` text,
	`phone` text,
	`email` text,
	`registration_no` text,
	`currency` text NOT NULL,
	`time_zone` text NOT NULL,
	`locale` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	CONSTRAINT "cooperative_profile_single_row" CHECK("cooperative_profile"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE `member_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`member_id` integer NOT NULL,
	`at` text NOT NULL,
	`kind` text NOT NULL,
	`changes` text,
	`reason` text,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE INDEX `member_events_member_idx` ON `member_events` (`member_id`,`id`);--> statement-breakpoint
CREATE TABLE `members` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`member_no` text NOT NULL,
	`full_name` text NOT NULL,
	`email` text,
	`phone` text,
	`address` text,
	`national_id` text,
	`joined_on` text NOT NULL,
	`notes` text,
	`active` integer DEFAULT true NOT NULL,
	`deactivated_at` text,
	`deactivation_reason` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	CONSTRAINT "members_active_bool" CHECK("members"."active" IN (0, 1)),
	CONSTRAINT "members_joined_on_date" CHECK("members"."joined_on" GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')
);
--> statement-breakpoint
CREATE UNIQUE INDEX `members_member_no_unique` ON `members` ("member_no" COLLATE NOCASE);--> statement-breakpoint
CREATE INDEX `members_full_name_idx` ON `members` ("full_name" COLLATE NOCASE,`id`);--> statement-breakpoint
CREATE INDEX `members_active_full_name_idx` ON `members` (`active`,"full_name" COLLATE NOCASE,`id`);--> statement-breakpoint
CREATE INDEX `members_email_idx` ON `members` ("email" COLLATE NOCASE);--> statement-breakpoint
CREATE INDEX `members_joined_on_idx` ON `members` (`joined_on`,`id`);