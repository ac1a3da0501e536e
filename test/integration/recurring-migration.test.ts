/**
 * Migration 0010 adds the account standing orders paying out to a bank post
 * against (role orders-payable): 2400 in a default chart, 2400-SO in a chart
 * that already uses 2400 for something else, and never a second one.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, expect, it } from 'vitest'
import { ManualClock } from '../../src/core'
import { openDatabase } from '../../src/core/platform/db/open'
import { MIGRATIONS, tempDir } from '../support/temp-core'
import { migrationsUpTo } from '../support/migrations'

const dirs: string[] = []
afterEach(() => {
  while (dirs.length) fs.rmSync(dirs.pop() as string, { recursive: true, force: true })
})


function payables(file: string, folder: string, before?: (db: ReturnType<typeof openDatabase>['sqlite']) => void): { code: string; name: string }[] {
  const backupsDir = path.join(path.dirname(file), 'backups')
  if (before) {
    const old = openDatabase({ file, migrationsFolder: migrationsUpTo('0009_ledger_chart_backfill'), backupsDir, clock: new ManualClock('2026-06-01T08:00:00Z') })
    try {
      before(old.sqlite)
    } finally {
      old.sqlite.close()
    }
  }
  const db = openDatabase({ file, migrationsFolder: folder, backupsDir, clock: new ManualClock('2026-06-01T08:30:00Z') })
  try {
    return db.sqlite.prepare("SELECT code, name FROM ledger_accounts WHERE role = 'orders-payable'").all() as { code: string; name: string }[]
  } finally {
    db.sqlite.close()
  }
}

it('adds Standing orders payable as 2400 to a default chart, and as 2400-SO where 2400 is taken', () => {
  const fresh = tempDir('coffer-recurring-migration-')
  dirs.push(fresh)
  expect(payables(path.join(fresh, 'coffer.sqlite'), MIGRATIONS)).toEqual([{ code: '2400', name: 'Standing orders payable' }])

  const taken = tempDir('coffer-recurring-migration-')
  dirs.push(taken)
  const file = path.join(taken, 'coffer.sqlite')
  const accounts = payables(file, MIGRATIONS, (db) => {
    db.prepare(
      "INSERT INTO ledger_accounts (code, name, type, role, control_of, active, created_at, updated_at) VALUES ('2400', 'Loans payable', 'liability', NULL, NULL, 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')"
    ).run()
  })
  expect(accounts).toEqual([{ code: '2400-SO', name: 'Standing orders payable' }])
})
