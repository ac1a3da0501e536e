import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { HashRouter } from 'react-router-dom'
import { QueryClientProvider } from '@tanstack/react-query'
import { App } from './app/App'
import { connectEvents, createQueryClient } from './app/invalidation'
import './app/base.css'
import './ui/ui.css'
import './app/shell.css'
import './app/boot/boot.css'
import './features/members/members.css'
import './features/jobs/jobs.css'
import './features/notifications/notifications.css'
import './features/settings/settings.css'
import './features/bonds/bonds.css'
import './features/payments/payments.css'
import './features/auth/auth.css'
import './features/operators/operators.css'

const root = document.getElementById('root')
if (!root) throw new Error('#root is missing from index.html')

const client = createQueryClient()
// Events from the app keep the cache current for the life of the window.
connectEvents(client)

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={client}>
      <HashRouter>
        <App />
      </HashRouter>
    </QueryClientProvider>
  </StrictMode>
)
