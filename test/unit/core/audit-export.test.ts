import fs from 'node:fs'
import path from 'node:path'
import ExcelJS from 'exceljs'
import { afterEach, describe, expect, test } from 'vitest'
import type { Core } from '../../../src/core'
import type { Member } from '../../../src/shared/contract'
import { excelDateTimeFormat } from '../../../src/core/audit/export'
import { PROFILE, tempCore, value } from '../../support/temp-core'
import { SERIES } from '../../support/series'

const cores: Core[] = []
afterEach(async () => {
  for (const c of cores.splice(0)) await c.shutdown()
})

describe('audit.export: the trail as a workbook people can read', () => {
  test('one row per change, newest first, the time an Excel date on the cooperative’s clock, what changed in words; the stored JSON on its own sheet', async () => {
    const { core, clock } = tempCore()
    cores.push(core)
    value(await core.invoke('profile.save', PROFILE))
    const m = value<Member>(await core.invoke('members.create', { memberNo: 'M-00001', fullName: 'Amina Odhiambo', joinedOn: '2020-01-01' }))
    clock.advance(90_000)
    value(
      await core.invoke('members.update', {
        id: m.id,
        expectedVersion: m.version,
        values: { memberNo: 'M-00001', fullName: 'Amina Achieng Odhiambo', joinedOn: '2020-01-01', phone: '0722 000 111' }
      })
    )
    value(await core.invoke('bonds.createSeries', SERIES))

    const out = value<{ file: string; rows: number }>(await core.invoke('audit.export', { area: 'members' }))
    expect(path.dirname(out.file)).toBe(path.join(path.dirname(path.dirname(out.file)), 'exports'))
    if (process.env.COFFER_AUDIT_XLSX) fs.copyFileSync(out.file, process.env.COFFER_AUDIT_XLSX)

    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(out.file)
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Audit trail', 'Stored rows'])
    const ws = wb.getWorksheet('Audit trail')!
    expect(ws.getCell('A1').value).toBe(PROFILE.name)
    const header = (ws.getRow(5).values as unknown[]).slice(1)
    expect(header).toEqual(['#', 'When (Africa/Nairobi)', 'Operator', 'Channel', 'Area', 'Record', 'Record ID', 'Action', 'What changed'])

    // Only the members area: the update and its history row first (newest first), then the creation.
    const rows = [] as unknown[][]
    for (let r = 6; r < 6 + out.rows; r++) rows.push((ws.getRow(r).values as unknown[]).slice(1))
    expect(out.rows).toBe(rows.length)
    expect(rows.every((r) => r[4] === 'Members')).toBe(true)
    const ids = rows.map((r) => r[0] as number)
    expect([...ids].sort((a, b) => b - a)).toEqual(ids)

    const update = rows.find((r) => r[5] === 'Member' && r[7] === 'Changed')!
    expect(update[2]).toBe('Ada Admin')
    expect(update[3]).toBe('members.update')
    expect(update[6]).toBe(String(m.id))
    const lines = String(update[8]).split('\n')
    expect(lines[0]).toBe('Full name: Amina Odhiambo → Amina Achieng Odhiambo')
    expect(lines).toContain('Phone: (none) → 0722 000 111')
    // Bookkeeping after the real changes; unchanged fields not at all.
    expect(lines.findIndex((l) => l.startsWith('Version:'))).toBeGreaterThan(lines.findIndex((l) => l.startsWith('Phone:')))
    expect(lines.some((l) => l.startsWith('Member no.'))).toBe(false)

    // 09:01:30 UTC is 12:01:30 in Nairobi: the cell holds that wall-clock time, shown as en-KE writes it.
    const when = ws.getCell(6 + rows.indexOf(update), 2)
    expect(when.value).toEqual(new Date(Date.UTC(2026, 10, 22, 12, 1, 30)))
    expect(when.numFmt).toBe('d mmm yyyy, hh:mm:ss')

    const added = rows.find((r) => r[5] === 'Member' && r[7] === 'Added')!
    expect(String(added[8]).split('\n')).toEqual(expect.arrayContaining(['Member no.: M-00001', 'Joined on: 1 Jan 2020', 'Active: Yes']))

    const stored = wb.getWorksheet('Stored rows')!
    const storedUpdate = (stored.getRow(6 + rows.indexOf(update)).values as unknown[]).slice(1)
    expect(storedUpdate[0]).toBe(update[0])
    expect(JSON.parse(String(storedUpdate[4])).full_name).toBe('Amina Odhiambo')
    expect(JSON.parse(String(storedUpdate[5])).full_name).toBe('Amina Achieng Odhiambo')
  })

  test('nothing matches: the sheet says so', async () => {
    const { core } = tempCore()
    cores.push(core)
    value(await core.invoke('profile.save', PROFILE))
    const out = value<{ file: string; rows: number }>(await core.invoke('audit.export', { area: 'calendar' }))
    expect(out.rows).toBe(0)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(out.file)
    expect(wb.getWorksheet('Audit trail')!.getCell('A6').value).toBe('No audit rows match.')
  })
})

describe('excelDateTimeFormat: the locale’s medium date and time as an Excel format', () => {
  test.each([
    ['en-KE', 'd mmm yyyy, hh:mm:ss'],
    ['en-US', 'mmm d, yyyy, h:mm:ss AM/PM'],
    ['de-DE', 'dd.mm.yyyy, hh:mm:ss'],
    ['fr-FR', 'd mmm yyyy, hh:mm:ss'],
    ['ja-JP', 'yyyy/mm/dd hh:mm:ss']
  ])('%s → %s', (locale, fmt) => {
    expect(excelDateTimeFormat(locale)).toBe(fmt)
  })
})
