import type { z } from 'zod'

/** Where a channel is served: by core (plain Node) or by the Electron shell (main). */
export type Host = 'core' | 'shell'

export interface ChannelDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType, H extends Host = Host> {
  input: I
  output: O
  host: H
}

/** A request/response channel answered by core. */
export const channel = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O): ChannelDef<I, O, 'core'> => ({
  input,
  output,
  host: 'core'
})

/** A request/response channel that needs Electron itself (shell, dialogs, printing). */
export const shellChannel = <I extends z.ZodType, O extends z.ZodType>(
  input: I,
  output: O
): ChannelDef<I, O, 'shell'> => ({
  input,
  output,
  host: 'shell'
})
