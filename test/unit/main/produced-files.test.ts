/**
 * The files the shell opens (app.openFile) and shows (the voucher viewer):
 * only those Coffer wrote for the operator at the window, never the data
 * file or a backup, and never through a link that leads elsewhere.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ok, err } from '../../../src/shared/contract'
import { ProducedFiles, readProducedFile, inside } from '../../../src/main/produced-files'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

/** A data folder as core leaves it: the data file, its journal, a backup, an export and a voucher. */
function dataFolder() {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-produced-'))
  dirs.push(base)
  const dataDir = path.join(base, 'data')
  for (const d of ['exports', 'vouchers', 'backups']) fs.mkdirSync(path.join(dataDir, d), { recursive: true })
  const put = (rel: string, content = 'x') => {
    const file = path.join(dataDir, rel)
    fs.writeFileSync(file, content)
    return file
  }
  const files = {
    database: put('coffer.sqlite', 'SQLite format 3\0'),
    journal: put('coffer.sqlite-wal'),
    backup: put('backups/coffer-2026-11-22.pdf'),
    workbook: put('exports/audit-trail-2026-11-22.xlsx', 'PK'),
    voucher: put('vouchers/PV-2026-000001.pdf', '%PDF-1.7\n')
  }
  const produced = new ProducedFiles({ dataDir, databaseFile: 'coffer.sqlite', backupsDir: 'backups' })
  return { base, dataDir, files, produced }
}

describe('ProducedFiles: what the shell may open', () => {
  it('opens a file a producing channel answered, by its real path and type', async () => {
    const { files, produced } = dataFolder()
    produced.noteAnswer('audit.export', ok({ file: files.workbook, rows: 3 }))
    produced.noteAnswer('vouchers.pdf', ok({ file: files.voucher, vouchers: 1, copies: 0 }))
    expect(produced.size).toBe(2)
    expect(await produced.check(files.workbook)).toEqual({
      ok: true,
      file: fs.realpathSync(files.workbook),
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
    })
    expect(await produced.check(files.voucher, 'vouchers')).toMatchObject({ ok: true, contentType: 'application/pdf' })
  })

  it('opens a generated report once reports.file has answered it (the file checked by core first)', async () => {
    const { files, produced } = dataFolder()
    expect(await produced.check(files.workbook)).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    produced.noteAnswer('reports.file', ok({ file: files.workbook }))
    expect(await produced.check(files.workbook)).toMatchObject({ ok: true, file: fs.realpathSync(files.workbook) })
  })

  it('refuses a file in the data folder that Coffer did not answer in this session', async () => {
    const { files, produced } = dataFolder()
    expect(await produced.check(files.workbook)).toMatchObject({ ok: false, code: 'FORBIDDEN', message: expect.stringMatching(/only the files it saved/) })
    // Refusals, other channels and answers without a file are not remembered.
    produced.noteAnswer('audit.export', err('FORBIDDEN', 'no'))
    produced.noteAnswer('members.list', ok({ file: files.workbook }))
    produced.noteAnswer('bonds.exportPortfolio', ok({ file: 42 }))
    expect(produced.size).toBe(0)
    expect(await produced.check(files.workbook)).toMatchObject({ ok: false, code: 'FORBIDDEN' })
  })

  it('never remembers nor opens the data file, its journal or a backup, however they are named', async () => {
    const { dataDir, files, produced } = dataFolder()
    for (const file of [files.database, files.journal, files.backup, path.join(dataDir, 'exports', '..', 'coffer.sqlite')]) {
      produced.noteAnswer('audit.export', ok({ file, rows: 1 }))
      expect(produced.record(file)).toBe(false)
      expect(await produced.check(file)).toMatchObject({ ok: false, code: 'FORBIDDEN', message: 'Coffer does not open its data file or its backups.' })
    }
    expect(produced.isProtected(path.join(dataDir, 'Coffer.SQLite.encrypting.pdf'))).toBe(true)
    expect(produced.isProtected(path.join(dataDir, 'BACKUPS', 'x.pdf'))).toBe(true)
    expect(produced.isProtected(path.join(dataDir, 'exports', 'coffer.sqlite.pdf'))).toBe(false)
    expect(produced.isProtected(path.join(dataDir, 'coffer.sqlite.partial.pdf'))).toBe(true)
    expect(produced.size).toBe(0)
  })

  it('remembers only files inside the data folder, of a type core writes', async () => {
    const { base, dataDir, produced } = dataFolder()
    const outside = path.join(base, 'elsewhere.pdf')
    fs.writeFileSync(outside, '%PDF')
    const script = path.join(dataDir, 'exports', 'run-me.bat')
    fs.writeFileSync(script, 'echo')
    for (const file of [outside, script, path.join(dataDir, 'exports', 'x.exe'), dataDir, path.join(dataDir, 'exports', '..', '..', 'elsewhere.pdf')]) {
      expect(produced.record(file)).toBe(false)
      expect(await produced.check(file)).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    }
  })

  it('a file moved or deleted since is not found; a link or folder put in its place is refused', async () => {
    const { base, dataDir, files, produced } = dataFolder()
    produced.record(files.workbook)
    fs.rmSync(files.workbook)
    expect(await produced.check(files.workbook)).toMatchObject({ ok: false, code: 'NOT_FOUND' })

    // The voucher's name now links to the data file.
    produced.record(files.voucher)
    fs.rmSync(files.voucher)
    fs.symlinkSync(files.database, files.voucher)
    expect(await produced.check(files.voucher)).toMatchObject({ ok: false, code: 'FORBIDDEN', message: expect.stringMatching(/link or a folder/) })

    // A folder with the name of a PDF.
    const folder = path.join(dataDir, 'exports', 'portfolio.pdf')
    fs.mkdirSync(folder)
    produced.record(folder)
    expect(await produced.check(folder)).toMatchObject({ ok: false, code: 'FORBIDDEN' })

    // The exports folder now links out of the data folder, to a file of the same name.
    const away = path.join(base, 'away')
    fs.mkdirSync(away)
    fs.writeFileSync(path.join(away, 'book.xlsx'), 'PK')
    fs.renameSync(path.join(dataDir, 'exports'), path.join(dataDir, 'exports-old'))
    fs.symlinkSync(away, path.join(dataDir, 'exports'))
    const linked = path.join(dataDir, 'exports', 'book.xlsx')
    expect(produced.record(linked)).toBe(true)
    expect(await produced.check(linked)).toMatchObject({ ok: false, code: 'FORBIDDEN', message: expect.stringMatching(/link or a folder/) })

    // The backups folder reached through a link named like the vouchers folder.
    fs.renameSync(path.join(dataDir, 'vouchers'), path.join(dataDir, 'vouchers-old'))
    fs.symlinkSync(path.join(dataDir, 'backups'), path.join(dataDir, 'vouchers'))
    const viaLink = path.join(dataDir, 'vouchers', 'coffer-2026-11-22.pdf')
    expect(produced.record(viaLink)).toBe(true)
    expect(await produced.check(viaLink, 'vouchers')).toMatchObject({ ok: false, code: 'FORBIDDEN' })
  })

  it('a data folder reached through a link of its own still opens its files', async () => {
    const { base, dataDir, files } = dataFolder()
    const alias = path.join(base, 'alias')
    fs.symlinkSync(dataDir, alias)
    const produced = new ProducedFiles({ dataDir: alias, databaseFile: 'coffer.sqlite', backupsDir: 'backups' })
    const file = path.join(alias, 'exports', path.basename(files.workbook))
    produced.record(file)
    expect(await produced.check(file)).toMatchObject({ ok: true, file: fs.realpathSync(files.workbook) })
  })

  it('shows the voucher viewer only files in the vouchers folder', async () => {
    const { files, produced } = dataFolder()
    produced.record(files.workbook)
    produced.record(files.voucher)
    expect(await produced.check(files.workbook, 'vouchers')).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(await produced.check(files.voucher, 'vouchers')).toMatchObject({ ok: true })
  })

  it('forgets everything when an operator signs in or out (another person may be at the window)', async () => {
    const { files, produced } = dataFolder()
    for (const channel of ['auth.signIn', 'auth.signOut', 'auth.createAdministrator']) {
      produced.record(files.workbook)
      // A wrong password changes nobody: nothing is forgotten.
      produced.noteAnswer(channel, err('VALIDATION', 'Wrong password'))
      expect(await produced.check(files.workbook)).toMatchObject({ ok: true })
      produced.noteAnswer(channel, ok({ operator: null }))
      expect(produced.size).toBe(0)
      expect(await produced.check(files.workbook)).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    }
    // Locking and unlocking keep the page, and what it saved.
    produced.record(files.workbook)
    produced.noteAnswer('auth.lock', ok({}))
    produced.noteAnswer('auth.unlock', ok({}))
    expect(produced.size).toBe(1)
  })

  it('reads a checked file, but not a link put in its place since', async () => {
    const { files } = dataFolder()
    expect((await readProducedFile(files.voucher)).toString()).toBe('%PDF-1.7\n')
    const link = `${files.voucher}.link.pdf`
    fs.symlinkSync(files.database, link)
    if (fs.constants.O_NOFOLLOW !== undefined) await expect(readProducedFile(link)).rejects.toThrow()
    await expect(readProducedFile(path.dirname(files.voucher))).rejects.toThrow()
  })

  it('inside(): a child path, never the folder itself or a sibling with the same prefix', () => {
    expect(inside('/d/data', '/d/data/exports/a.pdf')).toBe(path.join('exports', 'a.pdf'))
    expect(inside('/d/data', '/d/data')).toBeNull()
    expect(inside('/d/data', '/d/data-old/a.pdf')).toBeNull()
    expect(inside('/d/data', '/d/data/../a.pdf')).toBeNull()
    expect(inside('/d/data', '/d/data/..a.pdf')).toBe('..a.pdf')
  })
})
