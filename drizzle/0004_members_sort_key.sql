DROP INDEX `members_full_name_idx`;--> statement-breakpoint
DROP INDEX `members_active_full_name_idx`;--> statement-breakpoint
ALTER TABLE `members` ADD `sort_name` text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX `members_sort_name_idx` ON `members` (`sort_name`,`id`);--> statement-breakpoint
CREATE INDEX `members_active_sort_name_idx` ON `members` (`active`,`sort_name`,`id`);