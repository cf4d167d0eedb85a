// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.dify-gitops/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-restricted-imports': 'off',
    },
  },
  {
    // Each external system has exactly one adapter module (design.md §3): lint keeps it that way.
    files: ['src/**/*.ts'],
    ignores: ['src/dify/**', 'src/simulator/**', 'src/github/**', 'src/runtime/**', 'src/callbacks/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'undici', message: 'Only src/dify (and the simulator) talk HTTP to Dify.' },
          { name: 'octokit', message: 'Only src/github talks to GitHub.' },
          { name: 'node-cron', message: 'Only src/runtime schedules.' },
          { name: 'chokidar', message: 'Only src/runtime watches files.' },
        ],
      }],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['eslint.config.js'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
