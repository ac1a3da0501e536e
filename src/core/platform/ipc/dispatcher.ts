import type { z } from 'zod'
import {
  contract,
  err,
  isChannel,
  ok,
  type Channel,
  type CoreChannel,
  type ShellChannel,
  type Envelope,
  type Output,
  type ParsedInput
} from '../../../shared/contract'
import { DomainError } from '../errors'

export type Handler<C extends Channel> = (input: ParsedInput<C>) => Output<C> | Promise<Output<C>>
export type Handlers = { [C in Channel]: Handler<C> }
export type CoreHandlers = Pick<Handlers, CoreChannel>
export type ShellHandlers = Pick<Handlers, ShellChannel>

export interface Logger {
  error(message: string, detail?: unknown): void
  warn(message: string, detail?: unknown): void
  info(message: string, detail?: unknown): void
}

export const consoleLogger: Logger = {
  error: (m, d) => console.error(`[coffer] ${m}`, d ?? ''),
  warn: (m, d) => console.warn(`[coffer] ${m}`, d ?? ''),
  info: (m, d) => console.info(`[coffer] ${m}`, d ?? '')
}

/** Zod issues to one message per field path ("sort", "values.email"). */
export function fieldMessages(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.') || '_'
    if (!(key in fields)) fields[key] = issue.message
  }
  return fields
}

export function validationEnvelope(error: z.ZodError): Envelope<never> {
  const fields = fieldMessages(error)
  const keys = Object.keys(fields)
  const only = keys.length === 1 ? fields[keys[0] as string] : undefined
  const message = only ?? 'Some fields need correcting.'
  return err('VALIDATION', keys.length === 1 && keys[0] === '_' ? `Invalid request: ${message}` : message, fields)
}

/**
 * The one way into core: validate the input against the contract, call the
 * handler, validate what it returns, and wrap either in an envelope. Never
 * throws and never leaks a stack trace to the caller.
 */
export interface DispatchOptions {
  /** Wraps the synchronous part of every handler call (the job write gate). */
  around?: <T>(fn: () => T) => T
}

export function createDispatcher(handlers: Partial<Handlers>, log: Logger = consoleLogger, options: DispatchOptions = {}) {
  const around = options.around ?? (<T>(fn: () => T): T => fn())
  return async function invoke(channel: unknown, rawInput: unknown): Promise<Envelope<unknown>> {
    if (!isChannel(channel)) return err('UNKNOWN_CHANNEL', `There is no channel named ${String(channel).slice(0, 80)}.`)
    const def = contract[channel]
    const handler = (handlers as Record<string, ((input: unknown) => unknown) | undefined>)[channel]
    if (!handler) {
      return err(
        'UNAVAILABLE',
        def.host === 'shell' ? 'This needs the Coffer desktop app.' : 'This is not available right now.'
      )
    }
    const parsed = def.input.safeParse(rawInput === undefined ? {} : rawInput)
    if (!parsed.success) return validationEnvelope(parsed.error)
    try {
      const value = await around(() => handler(parsed.data))
      const checked = def.output.safeParse(value)
      if (!checked.success) {
        log.error(`${channel}: the handler's answer does not match the contract`, checked.error.issues)
        return err('INTERNAL', 'Coffer produced an answer it cannot show. Nothing was lost; please report this.')
      }
      return ok(checked.data)
    } catch (e) {
      if (e instanceof DomainError) return err(e.code, e.message, e.fields)
      log.error(`${channel} failed`, e)
      const code = (e as { code?: unknown } | null)?.code
      if (code === 'SQLITE_BUSY') {
        return err('CONFLICT', 'The data file is busy with another task. Try again in a moment.')
      }
      return err('INTERNAL', 'Something went wrong and nothing was saved. Please try again.')
    }
  }
}

export type Invoke = ReturnType<typeof createDispatcher>
