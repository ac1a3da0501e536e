import fs from 'node:fs'
import path from 'node:path'
import { Writable } from 'node:stream'
import ExcelJS from 'exceljs'
import { afterEach, describe, expect, it } from 'vitest'
import type { Core } from '../../src/core'
import { importCommand } from '../../src/cli/import-command'
import type { BondSeries, Holding, MemberListPage } from '../../src/shared/contract'
import { PROFILE, tempCore, tempDir, value } from '../support/temp-core'
import { SERIES } from '../support/series'

const cores: Core[] = []
afterEach(async () => {
  while (cores.length) await cores.pop()?.shutdown()
})

async function setup() {
  const t = tempCore()
  cores.push(t.core)
  value(await t.core.invoke('profile.save', PROFILE))
  return t
}

function sink() {
  let text = ''
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk)
      done()
    }
  })
  return { stream, text: () => text }
}

async function coffer(core: Core, ...argv: string[]) {
  const out = sink()
  const err = sink()
  const code = await importCommand(core, argv, { out: out.stream, err: err.stream, env: {} })
  return { code, out: out.text(), err: err.text() }
}

function file(name: string, text: string): string {
  const f = path.join(tempDir('coffer-import-'), name)
  fs.writeFileSync(f, text)
  return f
}

const memberNos = async (core: Core) =>
  value<MemberListPage>(await core.invoke('members.list', { status: 'all', sort: 'memberNo' })).rows.map((m) => m.memberNo)

const MEMBERS = ['Member number,Name,Email,Joined', 'M-1,Jane Wanjiru,,2025-01-01', 'M-2,Peter,not-an-email,2025-01-01', 'M-3,Amina,,32/01/2025', 'M-4,Zoë,,2025-02-01', ''].join('\n')

describe('coffer import', () => {
  it('prints each problem and writes nothing while rows have problems', async () => {
    const { core } = await setup()
    const f = file('members.csv', MEMBERS)
    const r = await coffer(core, 'members', f)
    expect(r.code).toBe(1)
    expect(r.out).toBe('')
    expect(r.err).toBe(
      'Row 3, Email: Enter an email address like name@example.org\n' +
        `Row 4, Joined: Joined 32/01/2025 is not a real date when read as day/month/year (as 15/07/2025 is); write it as 15/07/2025 or 2025-07-15\n` +
        'Nothing was imported: 2 rows have problems (3, 4). Correct the file, or run again with --exclude-invalid to import the other rows.\n'
    )
    expect(await memberNos(core)).toEqual([])
  })

  it('--dry-run checks and writes nothing; --exclude-invalid imports the valid rows and lists the rest', async () => {
    const { core } = await setup()
    const f = file('members.csv', MEMBERS)
    const dry = await coffer(core, 'members', f, '--exclude-invalid', '--dry-run')
    expect(dry.code).toBe(0)
    expect(dry.out).toBe(`Dry run: would import 2 members from ${f} and leave out 2 rows with problems (3, 4). Nothing was written.\n`)
    expect(await memberNos(core)).toEqual([])

    const r = await coffer(core, 'members', f, '--exclude-invalid')
    expect(r.code).toBe(0)
    expect(r.out).toBe(`Imported 2 members from ${f}.\nLeft out 2 rows with problems: 3, 4.\n`)
    expect(r.err).toMatch(/^Row 3, Email: /)
    expect(await memberNos(core)).toEqual(['M-1', 'M-4'])

    // Again: the numbers are taken, every row has a problem, nothing is written.
    const again = await coffer(core, 'members', f, '--exclude-invalid')
    expect(again.code).toBe(1)
    expect(again.err).toMatch(/Row 2, Member number: Member number M-1 is already used by Jane Wanjiru\n/)
    expect(again.err).toMatch(/Nothing was imported: no row of .* can be imported\.\n$/)
    expect(await memberNos(core)).toEqual(['M-1', 'M-4'])
  })

  it('imports holdings from a workbook and names the worksheet', async () => {
    const { core } = await setup()
    const series = value<BondSeries>(await core.invoke('bonds.createSeries', SERIES))
    value(await core.invoke('members.create', { memberNo: 'M-1', fullName: 'Jane Wanjiru', joinedOn: '2020-01-01' }))
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('Bonds')
    ws.addRow(['Member number', 'Series', 'Units', 'Purchase date'])
    ws.addRow(['M-1', 'UMJ-27', 4, new Date(Date.UTC(2026, 2, 2))])
    wb.addWorksheet('Other')
    const f = path.join(tempDir('coffer-import-'), 'holdings.xlsx')
    await wb.xlsx.writeFile(f)
    const r = await coffer(core, 'holdings', f)
    expect(r).toEqual({ code: 0, out: `Imported 1 holding from ${f} (worksheet "Bonds", the first of 2).\n`, err: '' })
    const rows = value<{ rows: Holding[] }>(await core.invoke('bonds.listHoldings', { seriesId: series.id })).rows
    expect(rows.map((h) => [h.memberNo, h.units, h.purchaseDate])).toEqual([['M-1', 4, '2026-03-02']])
  })

  it('refuses wrong usage with exit 2 and a file-level problem with exit 1', async () => {
    const { core } = await setup()
    const f = file('members.csv', MEMBERS)
    expect(await coffer(core, 'members', f, '--exclude-invaild')).toEqual({
      code: 2,
      out: '',
      err: 'coffer: Unknown option --exclude-invaild for coffer import. It takes --exclude-invalid, --dry-run.\n'
    })
    expect((await coffer(core, 'payments', f)).code).toBe(2)
    expect((await coffer(core, 'members')).err).toBe('coffer: coffer import members needs the file to read: coffer import members FILE.\n')
    expect((await coffer(core, 'members', path.join(tempDir(), 'missing.csv'))).code).toBe(2)
    const bad = await coffer(core, 'holdings', f)
    expect(bad.code).toBe(1)
    expect(bad.err).toMatch(/: Column B "Name" is not a column Coffer imports for holdings/)
    expect(bad.err).toMatch(/Nothing was imported from /)
    expect(await memberNos(core)).toEqual([])
  })
})
