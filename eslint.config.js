// ESLint: the recommended JavaScript and typescript-eslint rules over the toolchain, its tests and
// the bench. Formatting is Prettier's job (`npm run format:check`), not the linter's.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'build/', 'fsh-generated/', '.fhir-packages/', 'test-results/', 'dist/', 'site/assets/vendor/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'no-control-regex': 'off'
    }
  },
  {
    // The dependency-cruiser configuration is CommonJS (the tool loads it with require).
    files: ['*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } }
  },
  {
    // Tests read loosely typed JSON back from the tools they run.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' }
  },
  {
    files: ['site/assets/**/*.js', 'bin/*.js', 'bin/*.mjs', 'bench/*.mjs'],
    languageOptions: {
      globals: {
        window: 'readonly',
        document: 'readonly',
        console: 'readonly',
        process: 'readonly',
        URL: 'readonly',
        navigator: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        EventSource: 'readonly',
        location: 'readonly',
        localStorage: 'readonly',
        fetch: 'readonly',
        sessionStorage: 'readonly',
        URLSearchParams: 'readonly',
        history: 'readonly',
        CSS: 'readonly'
      }
    }
  }
);
