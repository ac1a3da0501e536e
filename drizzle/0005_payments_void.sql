DROP INDEX `bond_payments_once`;--> statement-breakpoint
ALTER TABLE `bond_payments` ADD `voided_at` text;--> statement-breakpoint
ALTER TABLE `bond_payments` ADD `void_reason` text;--> statement-breakpoint
ALTER TABLE `bond_payments` ADD `replaces_payment_id` integer REFERENCES bond_payments(id);--> statement-breakpoint
CREATE UNIQUE INDEX `bond_payments_once` ON `bond_payments` (`holding_id`,`kind`,`period_end`) WHERE status <> 'voided';--> statement-breakpoint
UPDATE `job_schedules` SET `cron` = '0 2 * * *' WHERE `job_id` = 'coupons' AND `cron` = '0 2 1 * *';
