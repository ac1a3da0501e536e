import fs from 'node:fs'
import path from 'node:path'
import ExcelJS from 'exceljs'
import type { AuditEntry, Profile } from '../../shared/contract'
import { formatInstant } from '../../shared/words'
import { AUDIT_ACTION_WORDS, AUDIT_AREA_WORDS } from '../../shared/audit-labels'

/**
 * The audit trail as a workbook: one row per audit row, newest first, with
 * the time in the cooperative's zone, who, what, and the row before and
 * after as the JSON the trail keeps. Written to a .partial file, then renamed.
 */
export async function writeAuditWorkbook(
  file: string,
  profile: Profile,
  rows: Iterable<AuditEntry>,
  filterWords: string
): Promise<{ file: string; rows: number }> {
  const wb = new ExcelJS.Workbook()
  wb.creator = 'Coffer'
  const ws = wb.addWorksheet('Audit trail', { views: [{ state: 'frozen', ySplit: 3 }] })
  ws.getCell('A1').value = `${profile.name}: audit trail`
  ws.getCell('A1').font = { bold: true, size: 13 }
  ws.getCell('A2').value = filterWords
  const headers = ['#', 'When', 'Operator', 'Channel', 'Area', 'Record', 'Id', 'Action', 'Before', 'After']
  const head = ws.getRow(3)
  headers.forEach((h, i) => {
    const c = head.getCell(i + 1)
    c.value = h
    c.font = { bold: true }
    c.border = { bottom: { style: 'thin' } }
  })
  ws.columns = [8, 20, 22, 22, 14, 18, 10, 10, 60, 60].map((width) => ({ width }))
  let n = 0
  for (const r of rows) {
    ws.addRow([
      r.id,
      formatInstant(r.at, profile.locale, profile.timeZone, { seconds: true }),
      r.actor,
      r.channel,
      AUDIT_AREA_WORDS[r.area],
      r.entity,
      r.entityId,
      AUDIT_ACTION_WORDS[r.action],
      r.before ?? '',
      r.after ?? ''
    ])
    n++
  }
  if (n === 0) ws.addRow(['No audit rows match.'])
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const partial = `${file}.partial`
  await wb.xlsx.writeFile(partial)
  fs.renameSync(partial, file)
  return { file, rows: n }
}
