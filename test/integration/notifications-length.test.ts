import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/core'
import { openDatabase } from '../../src/core/platform/db/open'
import { NotificationsService } from '../../src/core/notifications'
import { MIGRATIONS, tempDir } from '../support/temp-core'

const cleanups: Array<() => void> = []
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c()
})

describe('a notification longer than the centre shows', () => {
  it('is cut visibly, with an ellipsis, at 200 characters of title and 4,000 of body (characters, not UTF-16 units); a shorter one is kept whole', () => {
    const dir = tempDir('coffer-notif-')
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }))
    const clock = new ManualClock('2026-11-22T09:00:00Z')
    const { db, sqlite } = openDatabase({ file: path.join(dir, 'coffer.sqlite'), migrationsFolder: MIGRATIONS, backupsDir: path.join(dir, 'backups'), clock })
    cleanups.push(() => sqlite.close())
    const n = new NotificationsService({ db, sqlite, clock, emit: () => undefined })
    const long = n.create({ kind: 'error', title: '🙂'.repeat(250), body: 'x'.repeat(5000) })
    expect([...long.title]).toHaveLength(200)
    expect(long.title.endsWith('🙂…')).toBe(true)
    expect(long.body).toHaveLength(4000)
    expect(long.body.endsWith('x…')).toBe(true)
    const short = n.create({ kind: 'info', title: 'Backup done', body: 'Backed up 2.4 MB.' })
    expect(short).toMatchObject({ title: 'Backup done', body: 'Backed up 2.4 MB.' })
  })
})
