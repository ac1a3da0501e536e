import { useQuery } from '@tanstack/react-query'
import { Link, useNavigate, useParams } from 'react-router-dom'
import { NoticeKind, type NoticeTemplate } from '../../../../shared/contract'
import { call } from '../../platform/api'
import { DataTable, type Column } from '../../ui/DataTable'
import { PageHeader } from '../../ui/PageHeader'
import { PageError, PageLoading } from '../../ui/PageState'
import { useCan } from '../auth/useCan'
import { KIND_WORDS } from './OutboxWords'
import { mailKeys } from './queries'
import { TemplateEditor } from './TemplateEditor'
import './mail-settings.css'

export const AUDIENCE_WORDS: Record<NoticeTemplate['audience'], string> = {
  member: 'The member',
  staff: 'The staff member',
  alerts: 'The alert address and phone'
}

/** When each notice goes out, in a sentence. */
export const WHEN_WORDS: Record<NoticeKind, string> = {
  voucher: 'When a payment to a member is paid, with the voucher PDF attached.',
  'coupon-ready': 'When the coupon job creates a member’s coupon payment.',
  maturity: 'A number of days before a member’s holding matures, once per holding.',
  'standing-order-failed': 'When a member’s standing order could not be carried out.',
  payslip: 'When payroll posts, with the payslip PDF attached (a re-post sends the new one).',
  'job-failure': 'When one of Coffer’s jobs fails, to the staff’s alert address and phone.'
}

const channels = (t: NoticeTemplate) => (
  <span className="channel-tags">
    {t.email ? <span className="badge badge-active">Email</span> : <span className="badge badge-inactive">No email</span>}
    {t.sms ? <span className="badge badge-active">SMS</span> : <span className="badge badge-inactive">No SMS</span>}
  </span>
)

const COLUMNS: ReadonlyArray<Column<NoticeTemplate>> = [
  { id: 'kind', header: 'Notice', cell: (t) => <Link to={`/settings/notices/${t.kind}`}>{KIND_WORDS[t.kind]}</Link> },
  { id: 'audience', header: 'Goes to', cell: (t) => AUDIENCE_WORDS[t.audience] },
  { id: 'channels', header: 'Channels', cell: channels },
  { id: 'wording', header: 'Wording', cell: (t) => (t.edited ? 'Edited' : <span className="muted">Coffer’s</span>) },
  { id: 'when', header: 'When', cell: (t) => <span className="muted">{WHEN_WORDS[t.kind]}</span> }
]

/**
 * Settings → Notices (`/settings/notices`, also from the Outbox's header):
 * the notices Coffer sends, who gets each and by which channels; a kind's
 * page (`/settings/notices/:kind`) edits its wording with a live preview.
 */
export function NoticeTemplatesPage() {
  const params = useParams()
  const navigate = useNavigate()
  const canManage = useCan('mail.saveTemplate')
  const loaded = useQuery({ queryKey: mailKeys.templates(), queryFn: () => call('mail.templates', {}) })
  const kind = params.kind === undefined ? null : NoticeKind.safeParse(params.kind)
  if (kind && !kind.success) return <PageError error={new Error('There is no notice of this kind.')} title="Not found" />
  const selected = kind?.success ? (loaded.data?.templates.find((t) => t.kind === kind.data) ?? null) : null

  if (kind?.success) {
    return (
      <div className="page page-notice-template">
        <PageHeader
          before={
            <button type="button" className="link-button back-link" onClick={() => navigate('/settings/notices')}>
              ← Notices
            </button>
          }
          title={`${KIND_WORDS[kind.data]} notice`}
          subtitle={WHEN_WORDS[kind.data]}
        />
        {loaded.isError && !loaded.data ? (
          <PageError error={loaded.error} title="The notice could not be loaded" onRetry={() => void loaded.refetch()} />
        ) : !selected ? (
          <PageLoading label="Loading the notice…" />
        ) : (
          <TemplateEditor key={selected.kind} template={selected} readOnly={!canManage} />
        )}
      </div>
    )
  }

  return (
    <div className="page">
      <PageHeader
        before={
          <Link to="/settings" className="back-link">
            ← Settings
          </Link>
        }
        title="Notices"
        subtitle="What Coffer sends members and staff by email and SMS, and its wording. A member who opted out (on their page) gets nothing."
        actions={
          <Link to="/outbox" className="btn btn-secondary">
            Outbox
          </Link>
        }
      />
      {loaded.isError && !loaded.data ? (
        <PageError error={loaded.error} title="The notices could not be loaded" onRetry={() => void loaded.refetch()} />
      ) : !loaded.data ? (
        <PageLoading label="Loading the notices…" />
      ) : (
        <DataTable
          label="Notices"
          className="notices-table"
          columns={COLUMNS}
          rows={loaded.data.templates}
          getRowId={(t) => t.kind}
          idAttribute="data-kind"
          onOpen={(t) => navigate(`/settings/notices/${t.kind}`)}
        />
      )}
    </div>
  )
}
