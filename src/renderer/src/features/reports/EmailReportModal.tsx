import { useState } from 'react'
import type { GeneratedReport } from '../../../../shared/contract'
import { serverFieldErrors, type FieldErrors } from '../../platform/forms'
import { useCallMutation } from '../../platform/queries'
import { ConfirmModal } from '../../ui/ConfirmModal'
import { TextAreaField } from '../../ui/Field'
import { FORMAT_WORDS, splitAddresses } from './words'

/**
 * Email a generated report: the addresses (one per line or separated by
 * commas) and an optional message; reports.email queues one email in the
 * outbox with the file attached (core checks the file against its SHA-256
 * first). Core's messages land by the field they are about: an address's
 * message ("to.2") by the addresses.
 */
export function EmailReportModal({ report, onClose, onQueued }: { report: GeneratedReport; onClose: () => void; onQueued: (queued: number, to: string[]) => void }) {
  const email = useCallMutation('reports.email')
  const [to, setTo] = useState('')
  const [message, setMessage] = useState('')
  const [errors, setErrors] = useState<FieldErrors>({})
  const [banner, setBanner] = useState<string | null>(null)

  async function send() {
    setBanner(null)
    const addresses = splitAddresses(to)
    if (addresses.length === 0) {
      setErrors({ to: 'Give at least one address' })
      return
    }
    setErrors({})
    const r = await email.mutateAsync({ id: report.id, to: addresses, ...(message.trim() ? { message: message.trim() } : {}) })
    if (r.ok) {
      onQueued(r.value.queued, addresses)
      return
    }
    const found: FieldErrors = {}
    const stray: string[] = []
    for (const [path, text] of Object.entries(serverFieldErrors(r.error))) {
      const index = /^to\.(\d+)$/.exec(path)
      if (path === 'to' || index) {
        const which = index ? addresses[Number(index[1])] : undefined
        found.to ??= which ? `${which}: ${text}` : text
      } else if (path === 'message') found.message = text
      else stray.push(text)
    }
    setErrors(found)
    setBanner(Object.keys(found).length === 0 ? r.error.message : stray.length > 0 ? stray.join(' ') : null)
  }

  return (
    <ConfirmModal
      title="Email this report"
      confirmLabel="Queue the email"
      onConfirm={() => void send()}
      onClose={onClose}
      busy={email.isPending}
      error={banner}
      onDismissError={() => setBanner(null)}
      fields={
        <>
          <TextAreaField
            label="To"
            required
            rows={3}
            value={to}
            error={errors.to}
            hint="One address per line, or separated by commas; at most 20."
            spellCheck={false}
            autoComplete="off"
            onChange={(e) => {
              setTo(e.target.value)
              setErrors((x) => ({ ...x, to: '' }))
            }}
          />
          <TextAreaField
            label="Message"
            rows={4}
            maxLength={2000}
            value={message}
            error={errors.message}
            hint="Optional: a few words above the attachment."
            onChange={(e) => {
              setMessage(e.target.value)
              setErrors((x) => ({ ...x, message: '' }))
            }}
          />
        </>
      }
    >
      <p className="modal-text">
        <strong>{report.title}</strong> ({report.subtitle}) goes as its {FORMAT_WORDS[report.format]} file, attached, through the outbox: the mail job
        sends it within a minute once email is set up.
      </p>
    </ConfirmModal>
  )
}
