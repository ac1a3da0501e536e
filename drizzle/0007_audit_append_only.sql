-- The audit trail is append-only inside the app: an UPDATE or DELETE of an
-- audit row is refused. A change made outside the app (the sqlite3 shell,
-- which can drop these) breaks the hash chain instead: `coffer audit verify`.
CREATE TRIGGER `audit_log_no_update` BEFORE UPDATE ON `audit_log`
BEGIN
  SELECT RAISE(ABORT, 'The audit trail cannot be changed.');
END;
--> statement-breakpoint
CREATE TRIGGER `audit_log_no_delete` BEFORE DELETE ON `audit_log`
BEGIN
  SELECT RAISE(ABORT, 'The audit trail cannot be changed.');
END;
