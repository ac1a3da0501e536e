import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { HashRouter } from 'react-router-dom'
import { App } from './App'
import './styles/base.css'
import './styles/ui.css'
import './styles/shell.css'
import './styles/boot.css'
import './styles/members.css'
import './styles/jobs.css'
import './styles/notifications.css'
import './styles/settings.css'
import './styles/bonds.css'
import './styles/payments.css'

const root = document.getElementById('root')
if (!root) throw new Error('#root is missing from index.html')

createRoot(root).render(
  <StrictMode>
    <HashRouter>
      <App />
    </HashRouter>
  </StrictMode>
)
