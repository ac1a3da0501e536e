import { z } from 'zod'

export const MemberChangedEvent = z.object({
  id: z.number().int(),
  change: z.enum(['created', 'updated', 'deactivated', 'reactivated'])
})
