-- Full-text index over members for search by name, member number or email.
-- External content: the rows live in `members`; triggers keep the index in step.
-- Custom migration (drizzle-kit generate --custom): drizzle-kit does not model virtual tables.
CREATE VIRTUAL TABLE `members_fts` USING fts5(
	full_name, member_no, email,
	content='members', content_rowid='id',
	tokenize = 'unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE TRIGGER `members_fts_ai` AFTER INSERT ON `members` BEGIN
	INSERT INTO members_fts(rowid, full_name, member_no, email) VALUES (new.id, new.full_name, new.member_no, new.email);
END;
--> statement-breakpoint
CREATE TRIGGER `members_fts_ad` AFTER DELETE ON `members` BEGIN
	INSERT INTO members_fts(members_fts, rowid, full_name, member_no, email) VALUES ('delete', old.id, old.full_name, old.member_no, old.email);
END;
--> statement-breakpoint
CREATE TRIGGER `members_fts_au` AFTER UPDATE OF full_name, member_no, email ON `members` BEGIN
	INSERT INTO members_fts(members_fts, rowid, full_name, member_no, email) VALUES ('delete', old.id, old.full_name, old.member_no, old.email);
	INSERT INTO members_fts(rowid, full_name, member_no, email) VALUES (new.id, new.full_name, new.member_no, new.email);
END;
--> statement-breakpoint
INSERT INTO members_fts(members_fts) VALUES ('rebuild');
