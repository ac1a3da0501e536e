-- Payments out of members' standing orders (#12): a payment may have no holding (holding_id nullable),
-- every payment names its member (member_id, filled from the holding for the payments so far), and a
-- standing order's payment keeps the member account it drew on, its payee and its execution (source_ref,
-- one payment per execution but for voided ones). A table rebuild (SQLite cannot drop NOT NULL): foreign
-- keys are off on the connection while it runs (platform/db/open.ts), and foreign_key_check runs before the commit.
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_bond_payments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`holding_id` integer,
	`kind` text NOT NULL,
	`member_id` integer NOT NULL,
	`member_account_id` integer,
	`payee_name` text,
	`payee_bank` text,
	`payee_account` text,
	`payee_reference` text,
	`source_ref` text,
	`period_start` text NOT NULL,
	`period_end` text NOT NULL,
	`due_date` text NOT NULL,
	`gross_minor` integer NOT NULL,
	`tax_minor` integer NOT NULL,
	`net_minor` integer NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`prepared_by_id` integer,
	`prepared_by` text,
	`prepared_at` text,
	`approved_by_id` integer,
	`approved_by` text,
	`approved_at` text,
	`paid_on` text,
	`method` text,
	`reference` text,
	`paid_at` text,
	`cancelled_at` text,
	`cancel_reason` text,
	`voided_at` text,
	`void_reason` text,
	`replaces_payment_id` integer,
	`created_at` text NOT NULL,
	`created_by_run` integer,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`holding_id`) REFERENCES `bond_holdings`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`member_account_id`) REFERENCES `member_accounts`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`prepared_by_id`) REFERENCES `operators`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`approved_by_id`) REFERENCES `operators`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`replaces_payment_id`) REFERENCES `bond_payments`(`id`) ON UPDATE no action ON DELETE restrict,
	CONSTRAINT "bond_payments_net" CHECK("__new_bond_payments"."net_minor" = "__new_bond_payments"."gross_minor" - "__new_bond_payments"."tax_minor"),
	CONSTRAINT "bond_payments_amounts" CHECK("__new_bond_payments"."gross_minor" >= 0 AND "__new_bond_payments"."tax_minor" >= 0),
	CONSTRAINT "bond_payments_payee" CHECK(CASE WHEN "__new_bond_payments"."kind" = 'standing-order'
        THEN "__new_bond_payments"."holding_id" IS NULL AND "__new_bond_payments"."tax_minor" = 0 AND "__new_bond_payments"."member_account_id" IS NOT NULL AND "__new_bond_payments"."source_ref" IS NOT NULL
          AND "__new_bond_payments"."payee_name" IS NOT NULL AND "__new_bond_payments"."payee_bank" IS NOT NULL AND "__new_bond_payments"."payee_account" IS NOT NULL
        ELSE "__new_bond_payments"."holding_id" IS NOT NULL AND "__new_bond_payments"."member_account_id" IS NULL AND "__new_bond_payments"."source_ref" IS NULL
          AND "__new_bond_payments"."payee_name" IS NULL AND "__new_bond_payments"."payee_bank" IS NULL AND "__new_bond_payments"."payee_account" IS NULL AND "__new_bond_payments"."payee_reference" IS NULL
        END)
);
--> statement-breakpoint
-- Every payment so far is a holder's: its member is its holding's. A LEFT JOIN, so that a payment whose holding
-- were missing fails on member_id (NOT NULL) instead of being left out.
INSERT INTO `__new_bond_payments` ("id", "holding_id", "kind", "period_start", "period_end", "due_date", "gross_minor", "tax_minor", "net_minor", "status", "prepared_by_id", "prepared_by", "prepared_at", "approved_by_id", "approved_by", "approved_at", "paid_on", "method", "reference", "paid_at", "cancelled_at", "cancel_reason", "voided_at", "void_reason", "replaces_payment_id", "created_at", "created_by_run", "version", "member_id")
SELECT p."id", p."holding_id", p."kind", p."period_start", p."period_end", p."due_date", p."gross_minor", p."tax_minor", p."net_minor", p."status", p."prepared_by_id", p."prepared_by", p."prepared_at", p."approved_by_id", p."approved_by", p."approved_at", p."paid_on", p."method", p."reference", p."paid_at", p."cancelled_at", p."cancel_reason", p."voided_at", p."void_reason", p."replaces_payment_id", p."created_at", p."created_by_run", p."version", h."member_id"
FROM `bond_payments` p LEFT JOIN `bond_holdings` h ON h."id" = p."holding_id";--> statement-breakpoint
-- AUTOINCREMENT: an id is never used twice (the journal names a payment by its id), so the new table's sequence goes on from the old one's.
DELETE FROM `sqlite_sequence` WHERE `name` = '__new_bond_payments';--> statement-breakpoint
INSERT INTO `sqlite_sequence` (`name`, `seq`) SELECT '__new_bond_payments', `seq` FROM `sqlite_sequence` WHERE `name` = 'bond_payments';--> statement-breakpoint
DROP TABLE `bond_payments`;--> statement-breakpoint
ALTER TABLE `__new_bond_payments` RENAME TO `bond_payments`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `bond_payments_once` ON `bond_payments` (`holding_id`,`kind`,`period_end`) WHERE status <> 'voided';--> statement-breakpoint
CREATE UNIQUE INDEX `bond_payments_source_once` ON `bond_payments` (`source_ref`) WHERE source_ref IS NOT NULL AND status <> 'voided';--> statement-breakpoint
CREATE INDEX `bond_payments_status_idx` ON `bond_payments` (`status`,`due_date`);--> statement-breakpoint
CREATE INDEX `bond_payments_due_idx` ON `bond_payments` (`due_date`);--> statement-breakpoint
CREATE INDEX `bond_payments_member_idx` ON `bond_payments` (`member_id`,`due_date`);