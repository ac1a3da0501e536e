import { useId, useRef, useState, type ChangeEvent } from 'react'
import { Link, useNavigate } from 'react-router-dom'
import {
  IMPORT_COLUMNS,
  MAX_IMPORT_BYTES,
  type ImportKind,
  type ImportPreview,
  type ImportReport,
  type ImportRow
} from '../../../../shared/contract'
import { invoke } from '../../platform/api'
import { fmtCount, fmtDate } from '../../platform/format'
import { useCallMutation } from '../../platform/queries'
import { Banner, ErrorBanner } from '../../ui/Banner'
import { Button } from '../../ui/Button'
import { DataTable, type Column } from '../../ui/DataTable'
import { CheckField, Field, SelectField } from '../../ui/Field'
import { PageHeader } from '../../ui/PageHeader'
import { PageLoading } from '../../ui/PageState'
import { useProfile } from '../profile/ProfileContext'
import './imports.css'

const KIND_WORDS: Record<ImportKind, { title: string; one: string; many: string; back: { to: string; label: string } }> = {
  members: { title: 'Import members', one: 'member', many: 'members', back: { to: '/members', label: 'Members' } },
  holdings: { title: 'Import bond holdings', one: 'holding', many: 'holdings', back: { to: '/bonds/holdings', label: 'Holdings' } }
}
const KIND_PATH: Record<ImportKind, string> = { members: '/members/import', holdings: '/bonds/holdings/import' }
const DATE_FIELDS = new Set(['joinedOn', 'purchaseDate'])

interface Picked {
  fileName: string
  contentBase64: string
}

/** The file's bytes as base64, read in the window (no Node here). */
async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer())
  let binary = ''
  const CHUNK = 0x8000
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK))
  return btoa(binary)
}

const rowWord = (n: number) => (n === 1 ? 'row' : 'rows')

/**
 * Members → Import…, Bonds → Holdings → Import…: a CSV or .xlsx file read in
 * the window, checked by the app (imports.preview) and shown row by row with
 * each row's problems beside it; Import (imports.commit, which checks the
 * file again) is possible only when no row with a problem is included.
 */
export function ImportPage({ kind }: { kind: ImportKind }) {
  const { profile } = useProfile()
  const navigate = useNavigate()
  const words = KIND_WORDS[kind]
  const fileId = useId()
  const fileRef = useRef<HTMLInputElement>(null)
  const [picked, setPicked] = useState<Picked | null>(null)
  const [fileError, setFileError] = useState<string | null>(null)
  const [preview, setPreview] = useState<ImportPreview | null>(null)
  const [reading, setReading] = useState(false)
  const [excludeInvalid, setExcludeInvalid] = useState(false)
  const [report, setReport] = useState<ImportReport | null>(null)
  const [commitError, setCommitError] = useState<string | null>(null)
  const commit = useCallMutation('imports.commit')
  const count = (n: number) => fmtCount(n, profile.locale)

  const check = async (file: Picked) => {
    setReading(true)
    try {
      const r = await invoke('imports.preview', { kind, ...file })
      if (r.ok) {
        setPreview(r.value)
        setFileError(null)
      } else {
        setPreview(null)
        setFileError(r.error.fields?.contentBase64 ?? r.error.fields?.fileName ?? r.error.message)
      }
    } finally {
      setReading(false)
    }
  }

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0]
    setReport(null)
    setCommitError(null)
    setPreview(null)
    setExcludeInvalid(false)
    setPicked(null)
    if (!file) return
    if (file.size > MAX_IMPORT_BYTES) {
      setFileError(`${file.name} is larger than 20 MB; split it into smaller files and import each`)
      return
    }
    if (file.size === 0) {
      setFileError(`${file.name} is empty`)
      return
    }
    setFileError(null)
    setReading(true)
    let next: Picked
    try {
      next = { fileName: file.name, contentBase64: await base64Of(file) }
    } catch {
      setReading(false)
      setFileError(`${file.name} could not be read; check that it is not open in another program, then choose it again`)
      return
    }
    setPicked(next)
    await check(next)
  }

  const invalidRows = preview?.rows.filter((r) => r.problems.length > 0).map((r) => r.row) ?? []
  const excluded = new Set(excludeInvalid ? invalidRows : [])
  const toImport = preview && preview.fileProblems.length === 0 ? preview.rows.length - excluded.size : 0
  const blocked = invalidRows.length > 0 && !excludeInvalid
  const canImport = !!picked && !!preview && preview.fileProblems.length === 0 && !blocked && toImport > 0

  const doImport = async () => {
    if (!picked || !canImport) return
    setCommitError(null)
    const r = await commit.mutateAsync({ kind, ...picked, excludeRows: [...excluded] })
    if (r.ok) {
      setReport(r.value)
      setPreview(null)
      setPicked(null)
      if (fileRef.current) fileRef.current.value = ''
    } else {
      // The data may have changed since the preview: show what the app says now, row by row.
      setCommitError(r.error.message)
      await check(picked)
    }
  }

  const valueCell = (field: string) => (r: ImportRow) => {
    const v = r.values[field] ?? ''
    return DATE_FIELDS.has(field) ? fmtDate(v, profile.locale) : v
  }
  const columns: Column<ImportRow>[] = [
    { id: 'row', header: 'Row', className: 'num import-rownum', cell: (r) => r.row },
    ...(preview?.columns ?? []).map(
      (c): Column<ImportRow> => ({
        id: c.field,
        header: c.header,
        cell: valueCell(c.field),
        cellClassName: c.field === 'units' ? 'num' : undefined,
        title: (r) => r.values[c.field] || undefined
      })
    ),
    {
      id: 'problems',
      header: 'Problems',
      className: 'import-problems',
      cell: (r) =>
        r.problems.length === 0 ? (
          <span className="import-ok">Ready</span>
        ) : (
          <ul className="import-problem-list">
            {excluded.has(r.row) ? <li className="import-left-out">Left out</li> : null}
            {r.problems.map((p, i) => (
              <li key={i}>
                {p.column ? <strong>{p.column}: </strong> : null}
                {p.message}
              </li>
            ))}
          </ul>
        )
    }
  ]

  const spec = IMPORT_COLUMNS[kind]
  return (
    <div className="page page-import">
      <PageHeader
        title={words.title}
        subtitle={`${words.many.charAt(0).toUpperCase()}${words.many.slice(1)} from the spreadsheet kept before Coffer: a CSV or Excel (.xlsx) file with a header row.`}
        before={
          <Link to={words.back.to} className="back-link">
            ← {words.back.label}
          </Link>
        }
      />

      <div className="import-form">
        <SelectField
          label="What to import"
          value={kind}
          onChange={(e) => navigate(KIND_PATH[e.target.value as ImportKind], { replace: true })}
          options={[
            { value: 'members', label: 'Members' },
            { value: 'holdings', label: 'Bond holdings' }
          ]}
        />
        <Field
          label="File"
          id={fileId}
          error={fileError}
          hint={
            <>
              Columns: {spec.map((c, i) => (
                <span key={c.field}>
                  {i > 0 ? ', ' : ''}
                  <span className="import-col">{c.header}</span>
                  {c.required ? '' : ' (optional)'}
                </span>
              ))}
              . Dates as {fmtDateExample(profile.locale)} or 2025-07-15{kind === 'holdings' ? '; units in whole numbers' : ''}.
            </>
          }
        >
          <input
            ref={fileRef}
            type="file"
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            onChange={(e) => void onFile(e)}
          />
        </Field>
      </div>

      {report ? (
        <Banner tone="success" title={`${count(report.imported)} ${report.imported === 1 ? words.one : words.many} imported from ${report.fileName}`}>
          <p data-testid="import-report">
            {report.excludedRows.length > 0
              ? `${count(report.excludedRows.length)} ${rowWord(report.excludedRows.length)} left out: ${report.excludedRows.join(', ')}.`
              : 'No row was left out.'}
          </p>
          <p>
            <Link to={words.back.to}>See the {words.back.label.toLowerCase()}</Link>
          </p>
        </Banner>
      ) : null}

      <ErrorBanner message={commitError} onDismiss={() => setCommitError(null)} />

      {reading ? <PageLoading label="Reading the file…" /> : null}

      {preview && !reading ? (
        preview.fileProblems.length > 0 ? (
          <Banner tone="error" title={`${preview.fileName} cannot be imported`}>
            <ul data-testid="import-file-problems">
              {preview.fileProblems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          </Banner>
        ) : (
          <>
            <div className="import-summary" role="status" data-testid="import-summary">
              <span>
                {count(preview.rows.length)} {rowWord(preview.rows.length)} in {preview.fileName}
                {preview.sheet ? ` (worksheet “${preview.sheet.name}”${preview.sheet.of > 1 ? `, the first of ${preview.sheet.of}` : ''})` : ''}:{' '}
                <strong>{count(preview.valid)} ready</strong>
                {preview.invalid > 0 ? (
                  <>
                    , <strong className="import-bad">{count(preview.invalid)} with problems</strong>
                  </>
                ) : null}
                .
                {preview.blankRows.length > 0 ? ` Empty ${rowWord(preview.blankRows.length)} passed over: ${preview.blankRows.join(', ')}.` : ''}
              </span>
            </div>
            {invalidRows.length > 0 ? (
              <CheckField
                label={`Leave out the ${count(invalidRows.length)} ${rowWord(invalidRows.length)} with problems (${invalidRows.join(', ')})`}
                checked={excludeInvalid}
                onChange={setExcludeInvalid}
              />
            ) : null}
            <DataTable
              label="Rows to import"
              className="import-table"
              columns={columns}
              rows={preview.rows}
              getRowId={(r) => r.row}
              idAttribute="data-import-row"
              rowClassName={(r) => (r.problems.length === 0 ? undefined : excluded.has(r.row) ? 'import-row-excluded' : 'import-row-invalid')}
              empty="The file has a header but no rows."
            />
            <div className="import-actions">
              <Button
                variant="primary"
                busy={commit.isPending}
                disabled={!canImport}
                title={
                  blocked
                    ? 'Correct the rows with problems in the file, or leave them out'
                    : toImport === 0
                      ? 'Nothing to import'
                      : undefined
                }
                onClick={() => void doImport()}
              >
                {blocked || toImport === 0 ? `Import ${words.many}` : `Import ${count(toImport)} ${toImport === 1 ? words.one : words.many}`}
              </Button>
              {blocked ? <span className="import-blocked">Rows with problems are included: correct the file, or leave them out.</span> : null}
            </div>
          </>
        )
      ) : null}
    </div>
  )
}

/** 15 July 2025 as the cooperative writes dates in numbers ("15/07/2025"), for the hint. */
function fmtDateExample(locale: string): string {
  try {
    return new Intl.DateTimeFormat(locale, { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'UTC', numberingSystem: 'latn' }).format(
      Date.UTC(2025, 6, 15)
    )
  } catch {
    return '15/07/2025'
  }
}
