import { errorMessage } from '../../ui/PageState'
import { Button } from '../../ui/Button'

/** When even asking the app for its status failed (e.g. the page was opened outside the app). */
export function BootErrorPage({ error }: { error: unknown }) {
  return (
    <main className="boot-page" aria-labelledby="boot-error-title">
      <div className="boot-card" role="alert">
        <p className="boot-eyebrow">Coffer could not start</p>
        <h1 id="boot-error-title" className="boot-title">
          The app did not answer
        </h1>
        <p className="boot-message">{errorMessage(error)}</p>
        <div className="boot-actions">
          <Button variant="primary" onClick={() => window.location.reload()}>
            Try again
          </Button>
        </div>
      </div>
    </main>
  )
}
