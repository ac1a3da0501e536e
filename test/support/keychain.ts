import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/**
 * A real keychain for tests: a private D-Bus session bus and GNOME Keyring's
 * Secret Service on it, its keyrings in a temporary home, unlocked with a
 * password. Debian: `apt-get install gnome-keyring dbus-x11 libsecret-1-0`
 * (.ci/run installs them).
 *
 * The keychain binding keeps its bus connection for the life of the process,
 * so a test file (Vitest runs each in its own process) uses one keychain;
 * another "PC" with its own keychain is a child process given `env`.
 */
export interface TestKeychain {
  /** The variables that point a process at this keychain. */
  env: { DBUS_SESSION_BUS_ADDRESS: string; HOME: string; XDG_DATA_HOME: string; XDG_RUNTIME_DIR: string }
  stop(): void
}

const MISSING = ['dbus-daemon', 'dbus-send', 'gnome-keyring-daemon'].filter((bin) => spawnSync('sh', ['-c', `command -v ${bin}`]).status !== 0)

/** Why these tests cannot use a real keychain here, or null when they can. */
export const keychainSkipReason: string | null =
  process.platform !== 'linux'
    ? 'the test keychain is GNOME Keyring on a private D-Bus session (Linux only)'
    : MISSING.length > 0
      ? `${MISSING.join(' and ')} not installed (apt-get install gnome-keyring dbus-x11 libsecret-1-0)`
      : null

/** Starts a private bus with an unlocked Secret Service on it. `unlock: false`: the daemon runs with no keyring unlocked. */
export function startKeychain(opts: { unlock?: boolean } = {}): TestKeychain {
  if (keychainSkipReason) throw new Error(`No test keychain: ${keychainSkipReason}`)
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-keychain-'))
  const [address = '', pid = ''] = execFileSync('dbus-daemon', ['--session', '--fork', '--nopidfile', '--print-address=1', '--print-pid=1'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore']
  })
    .trim()
    .split('\n')
  const env = {
    DBUS_SESSION_BUS_ADDRESS: address,
    HOME: home,
    XDG_DATA_HOME: path.join(home, 'data'),
    XDG_RUNTIME_DIR: home
  }
  const unlock = opts.unlock ?? true
  execFileSync('gnome-keyring-daemon', [...(unlock ? ['--unlock'] : ['--start']), '--components=secrets', '--daemonize'], {
    env: { ...process.env, ...env },
    input: unlock ? 'coffer-test-keyring\n' : '',
    stdio: ['pipe', 'ignore', 'ignore']
  })
  waitForSecretService(env.DBUS_SESSION_BUS_ADDRESS)
  return {
    env,
    stop() {
      // The keyring daemon leaves with its bus.
      try {
        process.kill(Number(pid))
      } catch {
        /* already gone */
      }
      fs.rmSync(home, { recursive: true, force: true })
    }
  }
}

/**
 * The daemon forks before it has taken its name on the bus: a client asking
 * at once finds no Secret Service. Waits (up to 10 s) until the bus says the
 * name has an owner.
 */
function waitForSecretService(address: string): void {
  const deadline = performance.now() + 10_000
  for (;;) {
    let owned = false
    try {
      const out = execFileSync(
        'dbus-send',
        ['--bus=' + address, '--dest=org.freedesktop.DBus', '--type=method_call', '--print-reply', '/org/freedesktop/DBus', 'org.freedesktop.DBus.NameHasOwner', 'string:org.freedesktop.secrets'],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }
      )
      owned = /boolean true/.test(out)
    } catch {
      owned = false
    }
    if (owned) return
    if (performance.now() > deadline) throw new Error('The test keychain did not start: no Secret Service on its bus after 10 s.')
    execFileSync('sleep', ['0.1'])
  }
}
