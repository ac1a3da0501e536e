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
import { echo, plainMessage } from '../../../shared/contract/messages'
import { DomainError } from '../errors'
import { runAs, type CallScope } from '../actor'

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

/** At most this many field messages come back; the rest are counted in the summary. */
export const MAX_FIELD_MESSAGES = 20
const MAX_PATH = 120
const MAX_MESSAGE = 300

/**
 * Zod issues to one message per field path ("sort", "values.email"), in
 * Coffer's words (plainMessage names the field for any issue its schema did
 * not word), each path and message capped in length and at most
 * MAX_FIELD_MESSAGES of them.
 */
export function fieldMessages(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {}
  let count = 0
  for (const issue of error.issues) {
    const key = echo(issue.path.map((p) => (typeof p === 'symbol' ? '?' : String(p))).join('.'), MAX_PATH) || '_'
    if (key in fields) continue
    if (count >= MAX_FIELD_MESSAGES) break
    fields[key] = echo(issue.message || plainMessage(issue as never), MAX_MESSAGE)
    count++
  }
  return fields
}

export function validationEnvelope(error: z.ZodError): Envelope<never> {
  const fields = fieldMessages(error)
  const keys = Object.keys(fields)
  const only = keys.length === 1 ? fields[keys[0] as string] : undefined
  const message = only ?? 'Some fields need correcting.'
  return err('VALIDATION', keys.length === 1 && keys[0] === '_' ? `This request was not accepted: ${message}.` : message, fields)
}

/** A channel name fit to repeat in a message: the first few characters of a string, else nothing. */
const channelName = (channel: unknown): string | null => (typeof channel === 'string' ? echo(channel) : null)

/**
 * The one way into core: validate the input against the contract, call the
 * handler, validate what it returns, and wrap either in an envelope. Never
 * throws and never leaks a stack trace to the caller.
 */
export interface DispatchOptions {
  /** Wraps the synchronous part of every handler call (the job write gate). */
  around?: <T>(fn: () => T) => T
  /**
   * Who may make this call: answers the scope the handler runs as (the
   * operator and the channel, for the audit trail), or throws a DomainError
   * (UNAUTHENTICATED, LOCKED, FORBIDDEN) before the input is even read.
   * Without it every call runs as the system (the Electron shell's own
   * dispatcher, whose channels core authorises first).
   */
  authorize?: (channel: Channel) => CallScope
}

export function createDispatcher(handlers: Partial<Handlers>, log: Logger = consoleLogger, options: DispatchOptions = {}) {
  const around = options.around ?? (<T>(fn: () => T): T => fn())
  /** A logger that throws must not turn an answer into a rejection. */
  const logError = (message: string, detail?: unknown): void => {
    try {
      log.error(message, detail)
    } catch {
      // nothing more can be done: the caller still gets its envelope
    }
  }
  /** Never throws, whatever it is given: a getter that throws, a proxy, a cycle, a BigInt, a symbol. */
  return async function invoke(channel: unknown, rawInput: unknown): Promise<Envelope<unknown>> {
    try {
      return await dispatch(channel, rawInput)
    } catch (e) {
      logError('a request could not be handled', e)
      return err('INTERNAL', 'Something went wrong and nothing was saved. Please try again.')
    }
  }

  async function dispatch(channel: unknown, rawInput: unknown): Promise<Envelope<unknown>> {
    if (!isChannel(channel)) {
      const name = channelName(channel)
      return err('UNKNOWN_CHANNEL', name === null ? 'There is no such channel.' : `There is no channel named “${name}”.`)
    }
    const def = contract[channel]
    let scope: CallScope | null = null
    if (options.authorize) {
      try {
        scope = options.authorize(channel)
      } catch (e) {
        if (e instanceof DomainError) return err(e.code, e.message, e.fields, e.warnings)
        throw e
      }
    }
    const handler = (handlers as Record<string, ((input: unknown) => unknown) | undefined>)[channel]
    if (!handler) {
      return err(
        'UNAVAILABLE',
        def.host === 'shell' ? 'This needs the Coffer desktop app.' : 'This is not available right now.'
      )
    }
    let parsed: ReturnType<typeof def.input.safeParse>
    try {
      parsed = def.input.safeParse(rawInput === undefined ? {} : rawInput, { error: plainMessage })
    } catch {
      // Reading the input threw (a getter, a proxy trap): it cannot be what any form sends.
      return err('VALIDATION', 'This request could not be read. Nothing was changed.')
    }
    if (!parsed.success) return validationEnvelope(parsed.error)
    try {
      const value = await (scope ? runAs(scope, () => around(() => handler(parsed.data))) : around(() => handler(parsed.data)))
      const checked = def.output.safeParse(value)
      if (!checked.success) {
        logError(`${channel}: the handler's answer does not match the contract`, checked.error.issues)
        return err('INTERNAL', 'Coffer produced an answer it cannot show. Nothing was lost; please report this.')
      }
      return ok(checked.data)
    } catch (e) {
      if (e instanceof DomainError) return err(e.code, e.message, e.fields, e.warnings)
      logError(`${channel} failed`, e)
      const code = (e as { code?: unknown } | null)?.code
      if (code === 'SQLITE_BUSY') {
        return err('CONFLICT', 'The data file is busy with another task. Try again in a moment.')
      }
      return err('INTERNAL', 'Something went wrong and nothing was saved. Please try again.')
    }
  }
}

export type Invoke = ReturnType<typeof createDispatcher>
