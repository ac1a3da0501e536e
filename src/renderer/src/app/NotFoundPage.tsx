import { useNavigate } from 'react-router-dom'
import { PageHeader } from '../ui/PageHeader'
import { Button } from '../ui/Button'

export function NotFoundPage() {
  const navigate = useNavigate()
  return (
    <div className="page">
      <PageHeader title="Page not found" />
      <p className="muted">There is nothing at this address.</p>
      <Button onClick={() => navigate('/members')}>Go to Members</Button>
    </div>
  )
}
