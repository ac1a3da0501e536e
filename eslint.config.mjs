// @ts-check
import { builtinModules } from 'node:module'
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'

/**
 * The layer rules of docs/ARCHITECTURE.md, enforced here rather than by good
 * intentions: shared imports nobody; core never imports electron; renderer
 * never imports core, main, preload or Node; preload sees only electron and
 * shared; main never reaches into the renderer.
 */
const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)]
const layer = (...names) => names.flatMap((n) => [`**/${n}`, `**/${n}/**`])
const noImports = (message, { paths = [], patterns = [], regexes = [] }) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: paths.map((name) => ({ name, message })),
      patterns: [{ group: patterns, message }, ...regexes]
    }
  ]
})

/** What core may never import, whichever part of core. */
const coreBase = {
  paths: ['electron'],
  patterns: [...layer('main', 'preload', 'renderer', 'cli')]
}
const coreMessage = 'src/core never imports Electron or the shell/UI layers.'
/**
 * Inside core: an area (src/core/<area>/) imports platform and other areas'
 * index.ts only, never another area's inner files; platform imports no area
 * (nor openCore's assembly).
 */
const areaRule = {
  regex: '^\\.\\./(?!platform/)[^./][^/]*/',
  message: "An area imports another area only through its index.ts ('../members'), and platform through '../platform/...'."
}
const platformTop = { regex: '^\\.\\./(?!\\.\\./)', message: 'Platform imports no area: it is the machinery areas build on.' }
const platformNested = { regex: '^\\.\\./\\.\\./(?!\\.\\./)', message: 'Platform imports no area: it is the machinery areas build on.' }

/** Services take an injected Clock; only src/core/clock.ts reads the wall clock. */
const noWallClock = {
  'no-restricted-syntax': [
    'error',
    {
      selector: "NewExpression[callee.name='Date'][arguments.length=0]",
      message: 'Read the time from the injected Clock (src/core/clock.ts), not new Date().'
    },
    {
      selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
      message: 'Read the time from the injected Clock (src/core/clock.ts), not Date.now().'
    }
  ]
}

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-globals': ['error', { name: 'parseFloat', message: 'Money and rates are exact: no floats.' }],
      'no-restricted-properties': [
        'error',
        { object: 'Number', property: 'parseFloat', message: 'Money and rates are exact: no floats.' }
      ]
    }
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' }
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: noImports('src/shared is pure: it imports no Node, Electron or other layer.', {
      paths: ['electron', ...nodeBuiltins],
      patterns: [...layer('core', 'main', 'preload', 'renderer', 'cli')]
    })
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      ...noImports(coreMessage, coreBase),
      ...noWallClock
    }
  },
  {
    files: ['src/core/*/**/*.ts'],
    ignores: ['src/core/platform/**'],
    rules: noImports(coreMessage, { ...coreBase, regexes: [areaRule] })
  },
  {
    files: ['src/core/platform/*.ts'],
    rules: noImports(coreMessage, { ...coreBase, regexes: [platformTop] })
  },
  {
    files: ['src/core/platform/*/**/*.ts'],
    rules: noImports(coreMessage, { ...coreBase, regexes: [platformNested] })
  },
  {
    files: ['src/core/platform/clock.ts'],
    rules: { 'no-restricted-syntax': 'off' }
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: noImports('The preload sees only electron and src/shared.', {
      paths: nodeBuiltins,
      patterns: [...layer('core', 'main', 'renderer', 'cli')]
    })
  },
  {
    files: ['src/main/**/*.ts'],
    rules: noImports('main never imports the renderer or preload.', {
      patterns: [...layer('renderer', 'preload')]
    })
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...noImports('The renderer talks to the app only through the contract (src/shared).', {
        paths: ['electron', ...nodeBuiltins],
        patterns: [...layer('core', 'main', 'preload', 'cli')]
      })
    }
  }
)
