-- The ledger's starting point (issue 11).
-- 1. Journal entries and lines are never changed or deleted inside the app:
--    a correction is a reversal entry linked to the original.
CREATE TRIGGER `journal_entries_no_update` BEFORE UPDATE ON `journal_entries`
WHEN NOT (
  -- The one change allowed: a pending entry (maker-checker) approved or rejected, once, nothing else touched.
  OLD.status = 'pending' AND NEW.status IN ('posted', 'rejected')
  AND NEW.id = OLD.id AND NEW.value_date = OLD.value_date AND NEW.description = OLD.description
  AND NEW.source = OLD.source AND NEW.source_ref IS OLD.source_ref AND NEW.reference IS OLD.reference
  AND NEW.reverses_id IS OLD.reverses_id AND NEW.entered_by_id IS OLD.entered_by_id AND NEW.entered_by = OLD.entered_by
  AND NEW.entered_at = OLD.entered_at AND NEW.note IS OLD.note AND NEW.pending_lines IS OLD.pending_lines
  AND OLD.decided_at IS NULL AND NEW.decided_at IS NOT NULL AND NEW.decided_by IS NOT NULL
)
BEGIN
  SELECT RAISE(ABORT, 'Journal entries cannot be changed: reverse the entry instead.');
END;
--> statement-breakpoint
CREATE TRIGGER `journal_entries_no_delete` BEFORE DELETE ON `journal_entries`
BEGIN
  SELECT RAISE(ABORT, 'Journal entries cannot be deleted: reverse the entry instead.');
END;
--> statement-breakpoint
CREATE TRIGGER `journal_lines_no_update` BEFORE UPDATE ON `journal_lines`
BEGIN
  SELECT RAISE(ABORT, 'Journal lines cannot be changed: reverse the entry instead.');
END;
--> statement-breakpoint
CREATE TRIGGER `journal_lines_no_delete` BEFORE DELETE ON `journal_lines`
BEGIN
  SELECT RAISE(ABORT, 'Journal lines cannot be deleted: reverse the entry instead.');
END;
--> statement-breakpoint
-- 2. The default chart of accounts for a cooperative. Roles are how Coffer
--    finds the accounts it posts to; codes and names are the treasurer's to change.
INSERT INTO `ledger_accounts` (`code`, `name`, `type`, `role`, `control_of`, `active`, `created_at`, `updated_at`)
SELECT c.code, c.name, c.type, c.role, c.control_of, 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
FROM (
  SELECT '1000' AS code, 'Cash' AS name, 'asset' AS type, 'cash' AS role, NULL AS control_of
  UNION ALL SELECT '1010', 'Bank', 'asset', 'bank', NULL
  UNION ALL SELECT '2000', 'Members'' savings', 'liability', 'member-savings', 'savings'
  UNION ALL SELECT '2100', 'Bonds payable', 'liability', 'bonds-payable', NULL
  UNION ALL SELECT '2200', 'Withholding tax payable', 'liability', 'withholding-tax', NULL
  UNION ALL SELECT '2300', 'Salaries payable', 'liability', 'salaries-payable', NULL
  UNION ALL SELECT '2310', 'Statutory deductions payable', 'liability', 'statutory-payable', NULL
  UNION ALL SELECT '3000', 'Share capital', 'equity', 'share-capital', 'shares'
  UNION ALL SELECT '3900', 'Surplus', 'equity', 'surplus', NULL
  UNION ALL SELECT '4000', 'Interest income', 'income', 'interest-income', NULL
  UNION ALL SELECT '4100', 'Fee income', 'income', 'fee-income', NULL
  UNION ALL SELECT '5000', 'Coupon interest', 'expense', 'coupon-expense', NULL
  UNION ALL SELECT '5100', 'Salaries', 'expense', 'salary-expense', NULL
) c;
--> statement-breakpoint
-- 3. The backfill: the ledger starts complete. Every bond purchase already
--    recorded (bank against bonds payable, at face value, dated its purchase
--    date), every payment already paid (dated its paid date; a voided one
--    also reversed, dated the day it was voided).
INSERT INTO `journal_entries` (`value_date`, `description`, `source`, `source_ref`, `reference`, `entered_by`, `entered_at`, `note`)
SELECT h.purchase_date,
       'Bond purchase: ' || s.code || ', ' || h.units || ' units, ' || m.member_no || ' ' || m.full_name,
       'bond-purchase', 'bond_holdings:' || h.id, NULL, 'System', h.created_at,
       'Posted when the ledger was added'
FROM bond_holdings h JOIN bond_series s ON s.id = h.series_id JOIN members m ON m.id = h.member_id
ORDER BY h.purchase_date, h.id;
--> statement-breakpoint
INSERT INTO `journal_lines` (`entry_id`, `account_id`, `member_account_id`, `value_date`, `debit_minor`, `credit_minor`)
SELECT e.id, a.id, NULL, e.value_date,
       CASE a.role WHEN 'bank' THEN h.units * s.face_value_minor ELSE 0 END,
       CASE a.role WHEN 'bank' THEN 0 ELSE h.units * s.face_value_minor END
FROM journal_entries e
JOIN bond_holdings h ON e.source_ref = 'bond_holdings:' || h.id
JOIN bond_series s ON s.id = h.series_id
JOIN ledger_accounts a ON a.role IN ('bank', 'bonds-payable')
WHERE e.source = 'bond-purchase'
ORDER BY e.id, a.role;
--> statement-breakpoint
INSERT INTO `journal_entries` (`value_date`, `description`, `source`, `source_ref`, `reference`, `entered_by`, `entered_at`, `note`)
SELECT p.paid_on,
       CASE p.kind WHEN 'principal' THEN 'Redemption paid: ' WHEN 'interest' THEN 'Interest paid: ' ELSE 'Coupon paid: ' END
         || s.code || ', ' || m.member_no || ' ' || m.full_name,
       'bond-payment', 'bond_payments:' || p.id, v.number, coalesce(p.approved_by, 'System'), coalesce(p.paid_at, p.created_at),
       'Posted when the ledger was added'
FROM bond_payments p
JOIN bond_holdings h ON h.id = p.holding_id JOIN bond_series s ON s.id = h.series_id JOIN members m ON m.id = h.member_id
LEFT JOIN vouchers v ON v.payment_id = p.id
WHERE p.status IN ('paid', 'voided') AND p.paid_on IS NOT NULL AND p.gross_minor > 0
ORDER BY p.paid_on, p.id;
--> statement-breakpoint
-- The expense (coupon interest) or the liability repaid (bonds payable), gross.
INSERT INTO `journal_lines` (`entry_id`, `account_id`, `member_account_id`, `value_date`, `debit_minor`, `credit_minor`)
SELECT e.id, a.id, NULL, e.value_date, p.gross_minor, 0
FROM journal_entries e JOIN bond_payments p ON e.source_ref = 'bond_payments:' || p.id
JOIN ledger_accounts a ON a.role = CASE p.kind WHEN 'principal' THEN 'bonds-payable' ELSE 'coupon-expense' END
WHERE e.source = 'bond-payment' AND e.reverses_id IS NULL
ORDER BY e.id;
--> statement-breakpoint
-- What left the cooperative, net: cash, or the bank for transfers and cheques.
INSERT INTO `journal_lines` (`entry_id`, `account_id`, `member_account_id`, `value_date`, `debit_minor`, `credit_minor`)
SELECT e.id, a.id, NULL, e.value_date, 0, p.net_minor
FROM journal_entries e JOIN bond_payments p ON e.source_ref = 'bond_payments:' || p.id
JOIN ledger_accounts a ON a.role = CASE p.method WHEN 'cash' THEN 'cash' ELSE 'bank' END
WHERE e.source = 'bond-payment' AND e.reverses_id IS NULL AND p.net_minor > 0
ORDER BY e.id;
--> statement-breakpoint
-- The tax withheld, owed to the tax authority.
INSERT INTO `journal_lines` (`entry_id`, `account_id`, `member_account_id`, `value_date`, `debit_minor`, `credit_minor`)
SELECT e.id, a.id, NULL, e.value_date, 0, p.tax_minor
FROM journal_entries e JOIN bond_payments p ON e.source_ref = 'bond_payments:' || p.id
JOIN ledger_accounts a ON a.role = 'withholding-tax'
WHERE e.source = 'bond-payment' AND e.reverses_id IS NULL AND p.tax_minor > 0
ORDER BY e.id;
--> statement-breakpoint
-- A voided payment's entry is reversed, dated the day it was voided in the cooperative's time zone
-- (coffer_calendar_date: registered by the app before migrating), never before it was paid.
INSERT INTO `journal_entries` (`value_date`, `description`, `source`, `source_ref`, `reference`, `reverses_id`, `entered_by`, `entered_at`, `note`)
SELECT max(e.value_date, coffer_calendar_date(p.voided_at, (SELECT time_zone FROM cooperative_profile WHERE id = 1))), 'Reversal of #' || e.id || ': payment voided: ' || coalesce(p.void_reason, ''),
       'reversal', e.source_ref, e.reference, e.id, 'System', p.voided_at, 'Posted when the ledger was added'
FROM journal_entries e JOIN bond_payments p ON e.source_ref = 'bond_payments:' || p.id
WHERE e.source = 'bond-payment' AND e.reverses_id IS NULL AND p.status = 'voided' AND p.voided_at IS NOT NULL
ORDER BY e.id;
--> statement-breakpoint
INSERT INTO `journal_lines` (`entry_id`, `account_id`, `member_account_id`, `value_date`, `debit_minor`, `credit_minor`)
SELECT r.id, l.account_id, l.member_account_id, r.value_date, l.credit_minor, l.debit_minor
FROM journal_entries r JOIN journal_lines l ON l.entry_id = r.reverses_id
WHERE r.source = 'reversal'
ORDER BY r.id, l.id;
--> statement-breakpoint
-- 4. The summaries of what was backfilled (the same arithmetic as `coffer summaries rebuild`).
INSERT INTO `ledger_summaries` (`mode`, `account_id`, `member_account_id`, `bucket`, `debit_minor`, `credit_minor`, `count`)
SELECT 'd', account_id, 0, value_date, sum(debit_minor), sum(credit_minor), count(*)
FROM journal_lines GROUP BY account_id, value_date;
--> statement-breakpoint
INSERT INTO `ledger_summaries` (`mode`, `account_id`, `member_account_id`, `bucket`, `debit_minor`, `credit_minor`, `count`)
SELECT 'w', account_id, 0, date(bucket, '-' || ((CAST(strftime('%w', bucket) AS INTEGER) + 6) % 7) || ' days') AS w,
       sum(debit_minor), sum(credit_minor), sum(count)
FROM ledger_summaries WHERE mode = 'd' GROUP BY account_id, w;
--> statement-breakpoint
INSERT INTO `ledger_summaries` (`mode`, `account_id`, `member_account_id`, `bucket`, `debit_minor`, `credit_minor`, `count`)
SELECT 'm', account_id, 0, substr(bucket, 1, 8) || '01' AS mo, sum(debit_minor), sum(credit_minor), sum(count)
FROM ledger_summaries WHERE mode = 'd' GROUP BY account_id, mo;
